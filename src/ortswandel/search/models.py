"""The search index: one flat, denormalised row per published catalogue object.

The text index itself depends on the database:

* SQLite: an FTS5 virtual table ``search_fts(title, body, raw)`` whose ``rowid`` is the
  ``SearchDocument.id``; it holds Snowball stems (and folded words for prefix search), written by
  :mod:`ortswandel.search.services`. Created by migration 0002 (SQLite only).
* PostgreSQL: the ``search_vector`` column (``german`` configuration, title weight A, body B,
  unstemmed ``simple`` words D for prefix search) with a GIN index (migration 0002, PostgreSQL
  only). On SQLite the column exists but stays empty.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PROJECT = "project", _("Projekt")
    RESULT = "result", _("Ergebnis")
    PUBLICATION = "publication", _("Publikation")
    NEWS = "news", _("Meldung")
    EVENT = "event", _("Veranstaltung")
    MUNICIPALITY = "municipality", _("Kommune")


class SearchDocument(models.Model):
    """Denormalised copy of one catalogue object for full-text search and facets.

    Facets are stored as delimited strings (``|12|13|``) so that filtering is a simple
    ``LIKE '%|12|%'`` on every backend; they are small (a handful of values per row).
    """

    kind = models.CharField(_("Art"), max_length=20, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField(_("Objekt-ID"))
    programme_id = models.PositiveBigIntegerField(_("Programm-ID"), db_index=True)
    programme_name = models.CharField(_("Programm"), max_length=300, blank=True)
    title = models.CharField(_("Titel"), max_length=500)
    body = models.TextField(_("Text"), blank=True, help_text=_("ohne HTML"))
    url = models.CharField(_("Adresse"), max_length=500)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    published = models.BooleanField(_("veröffentlicht"), default=False, db_index=True)
    date = models.DateField(_("Datum"), null=True, blank=True)
    theme_ids = models.CharField(_("Themen"), max_length=1000, blank=True, default="")
    land_codes = models.CharField(_("Länder"), max_length=100, blank=True, default="")
    size_classes = models.CharField(_("Größenklassen"), max_length=100, blank=True, default="")
    updated_at = models.DateTimeField(_("indexiert"), auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("Suchdokument")
        verbose_name_plural = _("Suchdokumente")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]
        indexes = [models.Index(fields=["published", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @staticmethod
    def join_facet(values: list[str] | set[str] | list[int] | set[int]) -> str:
        items = sorted({str(v) for v in values if v not in (None, "")})
        return f"|{'|'.join(items)}|" if items else ""

    @staticmethod
    def split_facet(value: str) -> list[str]:
        return [v for v in value.split("|") if v]
