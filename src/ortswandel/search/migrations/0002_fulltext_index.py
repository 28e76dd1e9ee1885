"""The database-specific full-text index.

SQLite: an FTS5 virtual table holding stems (rowid = SearchDocument.id).
PostgreSQL: a GIN index on search_document.search_vector.
Other backends: nothing (search then finds nothing rather than failing).
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, raw, tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS search_fts"
PG_CREATE = (
    "CREATE INDEX IF NOT EXISTS search_document_vector_gin "
    "ON search_searchdocument USING gin (search_vector)"
)
PG_DROP = "DROP INDEX IF EXISTS search_document_vector_gin"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(PG_CREATE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
