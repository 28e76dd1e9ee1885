"""Reader for "wide" district tables: comma-separated, one row per region, one column per
indicator (e.g. INKAR and Regionalstatistik extracts re-published as R/CSV data).

The first row names the columns; ``key_column`` holds the region key (leading zeros may be
lost: ``1001`` is the Kreis ``01001``, a 7-digit key a municipality). A column name ending in
``_YYYY`` gives the year of its values (else ``year`` must be given). Numbers in quotes are in
German format (``"2.965,50"``), numbers without quotes in point format (``27.1``) — the mixture
these re-publications carry; an empty cell is no value.
"""

from __future__ import annotations

import datetime as dt
import re

from .table import Cell, Measure, ParsedTable, TableError
from .vocab import Period, parse_number

_FIELD = re.compile(r'\s*(?:"((?:[^"]|"")*)"|([^,]*))\s*(,|$)')
_YEAR_SUFFIX = re.compile(r"\A(?P<name>.+?)_(?P<year>(?:19|20)\d{2})\Z")


def split_line(line: str) -> list[tuple[str, bool]]:
    """``a,"b,c",3`` → ``[("a", False), ("b,c", True), ("3", False)]`` (value, was quoted)."""
    fields: list[tuple[str, bool]] = []
    position = 0
    while position <= len(line):
        match = _FIELD.match(line, position)
        if match is None:
            raise ValueError("Anführungszeichen sind nicht paarig")
        quoted, plain, end = match.groups()
        fields.append((quoted.replace('""', '"'), True) if quoted is not None else (plain, False))
        position = match.end()
        if not end:
            break
    return fields


def region_key(raw: str) -> str | None:  # noqa: PLR0911 - one return per key length
    """``1001`` → ``01001`` (Kreis), ``3241001`` → ``03241001`` (Gemeinde), ``3`` → ``03``
    (Land), ``DG``; ``None`` if no key."""
    text = raw.strip()
    if text == "DG":
        return text
    if not text.isascii() or not text.isdigit():
        return None
    if len(text) <= 2:
        return text.zfill(2)
    if len(text) == 3:
        return text
    if len(text) <= 5:
        return text.zfill(5)
    if len(text) <= 8:
        return text.zfill(8)
    return None


def parse_wide(
    text: str,
    *,
    encoding: str = "utf-8",
    key_column: str,
    skip_columns: tuple[str, ...] = (),
    year: int | None = None,
) -> ParsedTable:
    table = ParsedTable(layout="wide", encoding=encoding)
    lines = text.lstrip("\ufeff").splitlines()
    if not lines:
        raise TableError("Die Datei ist leer.")
    try:
        header = [name for name, _quoted in split_line(lines[0])]
    except ValueError as exc:
        raise TableError(str(exc), line=1) from None
    if key_column not in header:
        raise TableError(f"Schlüsselspalte „{key_column}“ fehlt in der Kopfzeile.", line=1)
    key_index = header.index(key_column)
    columns: dict[int, tuple[str, Period]] = {}
    for index, name in enumerate(header):
        if index == key_index or name in skip_columns:
            continue
        match = _YEAR_SUFFIX.match(name)
        if match:
            measure, column_year = match.group("name"), int(match.group("year"))
        elif year is not None:
            measure, column_year = name, year
        else:
            table.note(1, f"Spalte „{name}“ ohne Jahresangabe übersprungen")
            continue
        columns[index] = (measure, Period(dt.date(column_year, 12, 31), "jahr"))
        table.measures.setdefault(measure, Measure(measure.replace("_", " ")))
    for line_number, line in enumerate(lines[1:], start=2):
        if line.strip():
            _wide_row(table, line_number, line, header, key_index, columns)
    if not table.cells and not table.problems:
        raise TableError("Die Datei enthält keine Werte.")
    return table


def _wide_row(  # noqa: PLR0917 - private helper of parse_wide
    table: ParsedTable,
    line_number: int,
    line: str,
    header: list[str],
    key_index: int,
    columns: dict[int, tuple[str, Period]],
) -> None:
    try:
        fields = split_line(line)
    except ValueError as exc:
        table.problem(line_number, str(exc))
        return
    if len(fields) != len(header):
        table.problem(line_number, f"{len(fields)} statt {len(header)} Spalten")
        return
    region = region_key(fields[key_index][0])
    if region is None:
        table.problem(line_number, f"„{fields[key_index][0]}“ ist kein Gebietsschlüssel")
        return
    for index, (measure, period) in columns.items():
        raw, quoted = fields[index]
        try:
            number = parse_number(raw, decimal="," if quoted else ".")
        except ValueError as exc:
            table.problem(line_number, f"Spalte {header[index]}: {exc}")
            continue
        if number is not None:
            table.cells.append(
                Cell(line_number, measure, region, period, "", number.value, number.sign)
            )
