"""Reading ``facts.json``: the file's shape, the record types it may hold, and the value
parsers the record handlers share (partial dates, source lists, paragraphs)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

from ortswandel.catalogue.models import DatePrecision

FACTS_FILE = "facts.json"
KNOWN_RECORD_TYPES = {
    "programme",
    "ki_project",
    "ki_core_message",
    "note",
    "event",
    "ki_results_overview",
    "ki_result",
    "initiative",
    "msdz_model_project",
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


class ContentImportError(ValueError):
    """The facts file cannot be read or a record does not fit; nothing was imported."""


def read_facts(path: Path) -> list[dict[str, Any]]:
    """The records of ``path`` (``facts.json`` or a directory holding it), checked for shape."""
    if path.is_dir():
        path = path / FACTS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentImportError(
            f"{path}: Datei nicht gefunden (ORTSWANDEL_CONTENT_DIR prüfen)."
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContentImportError(f"{path}: kein gültiges JSON ({exc}).") from None
    if not isinstance(data, list):
        raise ContentImportError(f"{path}: erwartet wird eine JSON-Liste von Records.")
    for index, record in enumerate(data, start=1):
        if not isinstance(record, dict) or record.get("record_type") not in KNOWN_RECORD_TYPES:
            raise ContentImportError(
                f"{path}, Record {index}: unbekannter oder fehlender record_type "
                f"({record.get('record_type') if isinstance(record, dict) else record!r})."
            )
    return data


def parse_partial_date(value: Any, *, where: str, end: bool = False) -> tuple[dt.date, str] | None:
    """``"2016"``/``"2016-06"``/``"2016-06-01"`` → (date, precision); ``None`` stays ``None``.

    The date of a partial value is the first day of the year or month (its precision says how
    much of it the source states)."""
    if value in (None, ""):
        return None
    match = _DATE.match(str(value))
    if not match:
        raise ContentImportError(
            f"{where}: Datum {value!r} ist nicht JJJJ, JJJJ-MM oder JJJJ-MM-TT."
        )
    year, month, day = match.groups()
    try:
        date = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ContentImportError(f"{where}: Datum {value!r} gibt es nicht.") from None
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return date, precision


def sources(value: Any) -> list[str]:
    """The source URLs of a record field: one URL, a list of them, or nothing."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)]


def paragraph(text: str | None) -> str:
    """``text`` as one escaped HTML paragraph (empty stays empty)."""
    return f"<p>{html.escape(text, quote=False)}</p>" if text else ""
