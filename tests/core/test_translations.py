"""The English catalogue: complete, nothing fuzzy, placeholders intact, and actually served on /en/.

The msgids are German (the default UI language). The catalogue is read with Babel, the same library
that compiles it (``scripts/compilemessages.py``), so these tests need no GNU gettext.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# %(name)s / %(n)d / %(mb).1f, bare %s / %d, a literal %%, and str.format fields {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[sdfir]|%[sdfir]|%%|\{\w*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _catalog():
    with PO_PATH.open("rb") as handle:
        return read_po(handle)


def _entries():
    return [message for message in _catalog() if message.id]


def _forms(message) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs; for plurals msgstr[0] ↔ msgid and msgstr[1] ↔ msgid_plural."""
    if message.pluralizable:
        ids = list(message.id)
        return [(ids[min(i, len(ids) - 1)], s) for i, s in enumerate(message.string)]
    return [(message.id, message.string)]


def _label(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def test_catalogue_header_is_english_with_two_plural_forms():
    catalog = _catalog()
    assert str(catalog.locale) == "en"
    assert catalog.num_plurals == 2
    assert not catalog.fuzzy


def test_every_entry_is_translated_and_not_fuzzy():
    entries = _entries()
    assert entries, f"{PO_PATH} has no entries"
    untranslated = [_label(m) for m in entries if not all(s.strip() for _, s in _forms(m))]
    fuzzy = [_label(m) for m in entries if m.fuzzy]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy (not compiled): {fuzzy}"


def test_placeholders_and_markup_survive_translation():
    broken = []
    for message in _entries():
        for msgid, msgstr in _forms(message):
            if set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(msgstr)):
                broken.append(("placeholders", msgid, msgstr))
            if sorted(HTML_TAG.findall(msgid)) != sorted(HTML_TAG.findall(msgstr)):
                broken.append(("markup", msgid, msgstr))
    assert not broken, broken


def test_compiled_catalogue_is_current():
    """Django serves the .mo; it is compiled at install (make messages), not committed."""
    buffer = io.BytesIO()
    write_mo(buffer, _catalog(), use_fuzzy=False)
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run `make messages`"
    assert MO_PATH.read_bytes() == buffer.getvalue(), f"{MO_PATH} is stale: run `make messages`"


def test_language_names_for_the_switch():
    names = dict(settings.LANGUAGES)
    with translation.override("en"):
        assert {code: str(name) for code, name in names.items()} == {
            "de": "Deutsch",
            "en": "English",
        }


# ----------------------------------------------------------------------------- served pages

NAV_DE = ["Programme", "Projekte", "Ergebnisse", "Veranstaltungen", "Kommunen"]
NAV_EN = ["Programs", "Projects", "Results", "Events", "Municipalities"]


def _nav_labels(html: str) -> list[str]:
    nav = html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/en/projekte/"])
def test_english_pages_speak_english(client, programme, path):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    labels = _nav_labels(html)
    assert all(label in labels for label in NAV_EN), labels
    assert not set(NAV_DE) & set(labels), labels
    assert "Skip to content" in html
    assert "Zum Inhalt springen" not in html
    # The switch back to German is named in German (autonym).
    assert re.search(r'<button [^>]*value="de"[^>]*lang="de">Deutsch</button>', html)


@pytest.mark.django_db
def test_english_project_directory_labels(client, programme):
    html = client.get("/en/projekte/").content.decode()
    assert "Project directory" in html
    assert "Apply filters" in html
    assert "Projektverzeichnis" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/projekte/"])
def test_german_pages_stay_german(client, programme, path):
    html = client.get(path).content.decode()
    assert '<html lang="de">' in html
    labels = _nav_labels(html)
    assert all(label in labels for label in NAV_DE), labels
    assert not set(NAV_EN) & set(labels), labels
    assert "Zum Inhalt springen" in html
    assert "Skip to content" not in html
    # The switch to English is named in English (autonym).
    assert re.search(r'<button [^>]*value="en"[^>]*lang="en">English</button>', html)


@pytest.mark.django_db
def test_dates_follow_the_language(client, programme):
    import datetime as dt

    from ortswandel.catalogue.models import NewsItem
    from ortswandel.core.models import PublicationStatus

    NewsItem.objects.create(
        programme=programme,
        title="Abschlusskonferenz",
        slug="abschlusskonferenz",
        published_on=dt.date(2025, 11, 27),
        status=PublicationStatus.PUBLISHED,
    )
    german = client.get("/aktuelles/").content.decode()
    english = client.get("/en/aktuelles/").content.decode()
    assert "27. November 2025" in german
    assert "November 27, 2025" in english
    assert "27. November 2025" not in english


def test_catalogue_has_each_message_once_and_entries_apart():
    """Babel keeps the last of two equal msgids silently, GNU gettext refuses the file; merges
    that glue two entries together (no blank line) hide such duplicates."""
    text = PO_PATH.read_text(encoding="utf-8")
    glued = re.findall(r'\nmsgstr[^\n]*\n(?:"[^\n]*\n)*msgid ', text)
    assert glued == []
    keys = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        ctxt = "".join(line[8:] for line in lines if line.startswith("msgctxt "))
        ids = []
        inside = False
        for line in lines:
            if line.startswith("msgid "):
                inside = True
                ids.append(line[6:])
            elif line.startswith(("msgstr", "msgid_plural", "msgctxt")):
                inside = False
            elif inside and line.startswith('"'):
                ids.append(line)
        if ids and "".join(ids) != '""':
            keys.append((ctxt, "".join(ids)))
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert duplicates == []
