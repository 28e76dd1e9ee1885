"""Reader for Zensus 2022 population per municipality (GENESIS table 1000A-0000, "flat" CSV).

The GENESIS "flat" export is ``;``-separated UTF-8 (with BOM), one value per row. The columns
used here are ``time`` (reference date, ``YYYY-MM-DD``), ``1_variable_code`` (``GEOGM…`` for
municipalities, other area levels such as ``GEODL1`` for Germany are skipped),
``1_variable_attribute_code`` (the municipality's 12-digit ARS, Gebietsstand 15.05.2022) and
``value`` (persons). GENESIS special signs: ``-`` means exactly zero; ``.``, ``/``, ``x`` and
``…`` mean unknown, secret or not meaningful and are left out.

Pure Python (no Django): raises :class:`~ortswandel.sources.gv100ad.SourceFormatError` with the
line number for malformed lines.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from .gv100ad import SourceFormatError

REQUIRED_COLUMNS = ("time", "1_variable_code", "1_variable_attribute_code", "value")
UNKNOWN_SIGNS = frozenset({".", "/", "x", "…", "..."})


@dataclass(frozen=True, slots=True)
class CensusPopulation:
    """Zensus population (persons) per 12-digit ARS, with the census reference date."""

    reference_date: dt.date
    by_ars: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_ars.values())


def read_census_population(path: str | Path) -> CensusPopulation:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise SourceFormatError(f"Datei nicht gefunden: {path}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise SourceFormatError(
            f"Datei ist nicht UTF-8-kodiert (Byte {exc.start})", path=str(path)
        ) from None
    try:
        return parse_census_population(text)
    except SourceFormatError as exc:
        exc.path = str(path)
        raise


def parse_census_population(text: str) -> CensusPopulation:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    header = next(reader, None)
    if header is None:
        raise SourceFormatError("die Datei ist leer", line=1)
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise SourceFormatError("Spalte(n) fehlen in der Kopfzeile: " + ", ".join(missing), line=1)
    col = {name: header.index(name) for name in REQUIRED_COLUMNS}
    by_ars: dict[str, int] = {}
    first_line: dict[str, int] = {}
    reference: dt.date | None = None
    for row in reader:
        lineno = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise SourceFormatError(f"{len(row)} statt {len(header)} Spalten", line=lineno)
        if not row[col["1_variable_code"]].startswith("GEOGM"):
            continue
        ars, date, value = _row(row, col, lineno)
        if reference is None:
            reference = date
        elif date != reference:
            raise SourceFormatError(
                f"Stichtag {date:%d.%m.%Y} weicht von {reference:%d.%m.%Y} ab", line=lineno
            )
        if value is None:
            continue
        if ars in by_ars:
            raise SourceFormatError(
                f"ARS '{ars}' kommt doppelt vor (schon in Zeile {first_line[ars]})", line=lineno
            )
        by_ars[ars] = value
        first_line[ars] = lineno
    if reference is None:
        raise SourceFormatError("die Datei enthält keine Gemeinden (GEOGM…)")
    return CensusPopulation(reference_date=reference, by_ars=by_ars)


def _row(row: list[str], col: dict[str, int], lineno: int) -> tuple[str, dt.date, int | None]:
    ars = row[col["1_variable_attribute_code"]].strip()
    if len(ars) != 12 or not ars.isascii() or not ars.isdigit():
        raise SourceFormatError(f"ARS '{ars}' ist keine 12-stellige Zahl", line=lineno)
    try:
        date = dt.date.fromisoformat(row[col["time"]].strip())
    except ValueError:
        raise SourceFormatError(
            f"Stichtag '{row[col['time']]}' ist kein Datum (JJJJ-MM-TT)", line=lineno
        ) from None
    raw = row[col["value"]].strip()
    if raw in UNKNOWN_SIGNS:
        return ars, date, None
    if raw == "-":
        return ars, date, 0
    if raw.isascii() and raw.isdigit():
        return ars, date, int(raw)
    raise SourceFormatError(f"Einwohnerzahl '{raw}' ist keine ganze Zahl", line=lineno)
