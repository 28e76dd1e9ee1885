"""Reader for the GENESIS "flat" CSV (``ffcsv``): one value per row.

Header: ``statistics_code;statistics_label;time_code;time_label;time;1_variable_code;
1_variable_label;1_variable_attribute_code;1_variable_attribute_label;…;value;value_unit;
value_variable_code;value_variable_label[;value_q]``. A variable whose code starts with ``GEO``
or is one of :data:`GEO_VARIABLES` holds the region key; every other variable is a breakdown
(``GES`` → ``sex``, ``ALT…`` → ``age``, ``NAT`` → ``nat``, others by their code); an empty
attribute code means the total. The measure is ``value_variable_code``.
"""

from __future__ import annotations

import csv
import io
import re

from .table import Cell, Measure, ParsedTable, TableError
from .vocab import (
    Period,
    age_item,
    breakdown_key,
    clean_item,
    nationality_item,
    parse_number,
    parse_period,
    sex_item,
)

GEO_VARIABLES = frozenset({"DINSG", "DLAND", "KREISE", "GEMEIN", "REGBEZ", "GEMVB", "DLANDX"})
REQUIRED = ("time", "value")
_VARIABLE = re.compile(r"\A(\d+)_variable_code\Z")
_DIMENSION_LABELS = {"sex": "Geschlecht", "age": "Alter", "nat": "Nationalität"}


def looks_flat(text: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return "statistics_code" in first and "value" in first.split(";")


def _dimension(code: str, attribute: str, label: str) -> tuple[str, str | None]:
    """(dimension name, item) for one breakdown variable; item ``None`` if unreadable."""
    upper = code.upper()
    if upper.startswith("GES"):
        return "sex", sex_item(attribute) if attribute else ""
    if upper.startswith("ALT"):
        if not attribute:
            return "age", ""
        return "age", age_item(attribute) or age_item(label)
    if upper.startswith("NAT"):
        return "nat", nationality_item(attribute) if attribute else ""
    return code.lower(), clean_item(attribute) if attribute else ""


def _period(time_code: str, time: str) -> Period | None:
    code = time_code.upper()
    if code == "JAHR" and re.fullmatch(r"\d{4}", time):
        return parse_period(time)
    if code == "STAG" or not code:
        return parse_period(time)
    raise ValueError(f"Zeitangabe „{time_code}“ wird nicht unterstützt (nur JAHR und STAG)")


def parse_flat(text: str, *, encoding: str = "utf-8", decimal: str = ",") -> ParsedTable:
    """Parse a flat GENESIS CSV. Problems are collected per line, not raised."""
    table = ParsedTable(layout="flat", encoding=encoding)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise TableError(
            "Kopfzeile des flachen GENESIS-Formats fehlt oder ist unvollständig: Spalte(n) "
            + ", ".join(missing)
            + " fehlen.",
            line=1,
        )
    col = {name: i for i, name in enumerate(header)}
    variables = sorted(
        (int(m.group(1)), name) for name in header if (m := _VARIABLE.match(name)) is not None
    )
    for number, _name in variables:
        for suffix in ("attribute_code", "label", "attribute_label"):
            if f"{number}_variable_{suffix}" not in col:
                raise TableError(f"Spalte {number}_variable_{suffix} fehlt.", line=1)

    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            table.problem(line, f"{len(row)} statt {len(header)} Spalten")
            continue
        values = {name: row[i].strip() for name, i in col.items()}
        if not table.table_code:
            table.table_code = values.get("statistics_code", "")
            table.title = values.get("statistics_label", "")
        _flat_row(table, line, values, [n for n, _name in variables], decimal)
    if not table.cells and not table.problems:
        raise TableError("Die Datei enthält keine Werte.")
    return table


def _flat_row(
    table: ParsedTable, line: int, values: dict[str, str], variables: list[int], decimal: str
) -> None:
    def get(name: str) -> str:
        return values.get(name, "")

    try:
        period = _period(get("time_code"), get("time"))
    except ValueError as exc:
        table.problem(line, str(exc))
        return
    if period is None:
        table.problem(line, f"Zeitangabe „{get('time')}“ ist kein Datum und kein Jahr")
        return
    region: str | None = None
    region_name = ""
    parts: dict[str, str] = {}
    for number in variables:
        code = get(f"{number}_variable_code")
        attribute = get(f"{number}_variable_attribute_code")
        label = get(f"{number}_variable_attribute_label")
        if not code:
            continue
        if code.upper().startswith("GEO") or code.upper() in GEO_VARIABLES:
            if region is not None:
                table.problem(line, "mehr als eine Regionalvariable in einer Zeile")
                return
            region, region_name = attribute, label
            continue
        name, item = _dimension(code, attribute, label)
        if item is None:
            table.problem(line, f"Merkmal {code}: Ausprägung „{attribute}“ nicht lesbar")
            return
        parts[name] = item
        dim_label = _DIMENSION_LABELS.get(name) or get(f"{number}_variable_label")
        table.label_item(name, item, label or attribute, dim_label)
    try:
        number_ = parse_number(get("value"), decimal=decimal)
    except ValueError as exc:
        table.problem(line, str(exc))
        return
    if number_ is None:
        table.note(line, "leerer Wert übersprungen")
        return
    measure = get("value_variable_code") or "value"
    if measure not in table.measures:
        table.measures[measure] = Measure(get("value_variable_label") or measure, get("value_unit"))
    table.cells.append(
        Cell(
            line=line,
            measure=measure,
            region=region,
            period=period,
            breakdown=breakdown_key(parts),
            value=number_.value,
            sign=number_.sign,
            region_name=region_name,
        )
    )
