"""Reader for the classic GENESIS / Regionalstatistik CSV ("Tabelle" export, ``;``).

Layout::

    GENESIS-Tabelle: 12411-0018            title block: first cell only
    Bevölkerung: Kreise, Stichtag, …;;;
    Bevölkerungsstand (Anzahl);;;          → the measure and its unit
    ;;;männlich;männlich;…;weiblich        header rows: first cell empty; they describe
    ;;;unter 3 Jahre;3 bis unter 6 Jahre;…   the value columns
    31.12.2015;01001;Flensburg;1143;1130;…  data rows: label columns, then values
    __________                              footer: notes, ©, "Stand: 17.08.2021 / 13:26:54"

The structure is recognised from the content: a label column holds periods, region keys (the
next column is then the region's name) or a breakdown; a header row holds periods, Länder
names, units (the row above it is then the measure row), a title (one repeated word that names
the next row) or a breakdown. Blank header cells continue the cell to their left (merged cells).
A value column whose cells are all quality flags (``e``, ``p`` …) belongs to the column before
it and is dropped. A data row with only its first cell filled starts a section (e.g. the period
``2022/24`` of a life table).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from .table import Cell, Measure, ParsedTable, TableError, copyright_from, stand_from
from .table import table_code_from as _table_code
from .vocab import (
    KNOWN_DIMENSIONS,
    Period,
    breakdown_key,
    clean_item,
    detect_dimension,
    is_quality_flag,
    is_unit_label,
    land_code_for_name,
    looks_like_region_code,
    measure_from_title,
    parse_number,
    parse_period,
    slug,
)


@dataclass
class _Column:
    """What the header rows say about one value column."""

    period: Period | None = None
    region: str | None = None
    measure: str = ""
    unit: str = ""
    parts: dict[str, str] = field(default_factory=dict)


def _safe_period(text: str) -> Period | None:
    try:
        return parse_period(text)
    except ValueError:
        return None


def _read_rows(text: str) -> tuple[list[tuple[int, list[str]]], str]:
    """(line, cells) of the body, and the footer text (after the ``_____`` line)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    body: list[tuple[int, list[str]]] = []
    footer: list[str] = []
    in_footer = False
    start = 1
    for row in reader:
        line, start = start, reader.line_num + 1
        if in_footer:
            footer.append(" ".join(cell.strip() for cell in row if cell.strip()))
            continue
        if row and row[0].strip().startswith("_____"):
            in_footer = True
            continue
        if row and any(cell.strip() for cell in row):
            body.append((line, row))
    return body, "\n".join(footer)


def _fill_right(cells: list[str]) -> list[str]:
    out: list[str] = []
    last = ""
    for cell in cells:
        last = cell.strip() or last
        out.append(last)
    return out


@dataclass
class _Layout:
    """The recognised structure: value columns and what the labels of a row mean."""

    n_labels: int
    value_cols: list[int]
    columns: dict[int, _Column]
    label_roles: dict[int, str]
    flags: set[int]
    sections: dict[int, Period | str]
    decimal: str
    default_region: str | None
    keys: dict[tuple[tuple[tuple[str, str], ...], int], str] = field(default_factory=dict)

    def breakdown(self, row_parts: dict[str, str], column: int) -> str:
        """The key of a cell (memoised: few distinct row labels × columns)."""
        memo = (tuple(row_parts.items()), column)
        key = self.keys.get(memo)
        if key is None:
            key = self.keys[memo] = breakdown_key({**row_parts, **self.columns[column].parts})
        return key


def _blocks(
    body: list[tuple[int, list[str]]],
) -> tuple[list[str], list[tuple[int, list[str]]], list[tuple[int, list[str]]]]:
    """Title lines, header rows and data rows."""
    index = 0
    titles: list[str] = []
    while (
        index < len(body)
        and body[index][1][0].strip()
        and not any(cell.strip() for cell in body[index][1][1:])
    ):
        titles.append(body[index][1][0].strip())
        index += 1
    headers: list[tuple[int, list[str]]] = []
    while index < len(body) and not body[index][1][0].strip():
        headers.append(body[index])
        index += 1
    if not headers:
        raise TableError(
            "Keine Spaltenköpfe gefunden (Zeilen, die mit „;“ beginnen). Ist das eine "
            "GENESIS-Tabelle im CSV-Format?",
            line=body[index - 1][0] + 1 if index else 1,
        )
    if index >= len(body):
        raise TableError("Die Datei enthält keine Datenzeilen.")
    return titles, headers, body[index:]


def parse_classic(
    text: str,
    *,
    encoding: str = "utf-8",
    decimal: str = ",",
    default_region: str | None = None,
) -> ParsedTable:
    table = ParsedTable(layout="classic", encoding=encoding)
    body, footer = _read_rows(text)
    if not body:
        raise TableError("Die Datei enthält keine Tabelle.")
    table.footer = footer
    table.stand = stand_from(footer)
    table.copyright = copyright_from(footer)
    titles, headers, data = _blocks(body)
    table.table_code = _table_code("\n".join(titles))
    table.title = titles[1] if table.table_code and len(titles) > 1 else (titles or [""])[0]

    width = len(headers[-1][1])
    n_labels = min(_leading_empty(cells) for _, cells in headers)
    if n_labels < 1 or n_labels >= width:
        raise TableError("Die Tabelle hat keine Vorspalte.", line=headers[0][0])
    value_cols = [
        j
        for j in range(n_labels, width)
        if any(j < len(cells) and cells[j].strip() for _, cells in headers + data)
    ]
    columns = _read_headers(table, headers, value_cols)
    sections, rows = _split_sections(table, data, width)
    layout = _Layout(
        n_labels=n_labels,
        value_cols=value_cols,
        columns=columns,
        label_roles=_label_roles(table, rows, n_labels),
        flags=_flag_columns(rows, value_cols),
        sections=sections,
        decimal=decimal,
        default_region=default_region,
    )
    from_title = next((m for m in (measure_from_title(t) for t in reversed(titles)) if m), None)
    _register_measures(table, columns, value_cols, layout.flags, from_title)
    _check_coordinates(layout)
    previous: list[str] = []
    for line, cells in rows:
        labels = [
            cell.strip() or (previous[i] if i < len(previous) else "")
            for i, cell in enumerate(cells[:n_labels])
        ]
        previous = labels
        _emit_row(table, layout, line, labels, cells)
    if not table.cells and not table.problems:
        raise TableError("Die Datei enthält keine Werte.")
    return table


def _check_coordinates(layout: _Layout) -> None:
    roles = layout.label_roles.values()
    columns = layout.columns.values()
    has_period = any(c.period for c in columns) or "period" in roles
    if not (has_period or any(isinstance(s, Period) for s in layout.sections.values())):
        raise TableError("Kein Stichtag und kein Jahr erkennbar (weder in Vorspalte noch Kopf).")
    has_region = any(c.region for c in columns) or "region" in roles
    if not has_region and layout.default_region is None:
        raise TableError(
            "Die Tabelle nennt keine Region; bitte die Gebietseinheit angeben (z. B. DG)."
        )


def _row_coordinates(
    table: ParsedTable, layout: _Layout, line: int, labels: list[str]
) -> tuple[Period | None, str | None, str, dict[str, str]] | None:
    """(period, region, region name, breakdown parts) of a data row; ``None`` if broken."""
    period, region, region_name = None, None, ""
    parts: dict[str, str] = {}
    section = layout.sections.get(line)
    if isinstance(section, Period):
        period = section
    elif isinstance(section, str):
        parts["abschnitt"] = clean_item(section)
    for i, role in layout.label_roles.items():
        value = labels[i]
        if role == "period":
            try:
                period = parse_period(value)
            except ValueError as exc:
                table.problem(line, str(exc))
                return None
        elif role == "region":
            region = value
        elif role == "region_name":
            region_name = value
        elif role.startswith("dim:"):
            name = role[4:]
            item = _item(name, value)
            if item is None:
                table.problem(line, f"„{value}“ passt nicht zu den übrigen Zeilen ({name})")
                return None
            parts[name] = item
            table.label_item(name, item, value, _dim_label(name))
    return period, region, region_name, parts


def _emit_row(
    table: ParsedTable, layout: _Layout, line: int, labels: list[str], cells: list[str]
) -> None:
    coordinates = _row_coordinates(table, layout, line, labels)
    if coordinates is None:
        return
    row_period, row_region, region_name, row_parts = coordinates
    for j in layout.value_cols:
        if j in layout.flags:
            continue
        column = layout.columns[j]
        try:
            number = parse_number(cells[j] if j < len(cells) else "", decimal=layout.decimal)
        except ValueError as exc:
            table.problem(line, f"Spalte {j + 1}: {exc}")
            continue
        if number is None:
            continue
        period = column.period or row_period
        if period is None:
            table.problem(line, "kein Stichtag/Jahr für diese Zeile")
            return
        table.cells.append(
            Cell(
                line=line,
                measure=column.measure,
                region=column.region or row_region or layout.default_region,
                period=period,
                breakdown=layout.breakdown(row_parts, j),
                value=number.value,
                sign=number.sign,
                region_name=region_name,
            )
        )


def _leading_empty(cells: list[str]) -> int:
    count = 0
    for cell in cells:
        if cell.strip():
            break
        count += 1
    return count


def _dim_label(name: str) -> str:
    known = KNOWN_DIMENSIONS.get(name)
    return known[0] if known else name


def _item(name: str, label: str) -> str | None:
    known = KNOWN_DIMENSIONS.get(name)
    if known:
        return known[1](label)
    return clean_item(label)


def _header_kinds(filled: list[dict[int, str]]) -> list[str]:
    """period, unit, region, title, measure or dim for each header row."""
    kinds: list[str] = []
    for r, cells in enumerate(filled):
        values = [v for v in cells.values() if v]
        distinct = set(values)
        if values and all(_safe_period(v) for v in values):
            kinds.append("period")
        elif values and all(is_unit_label(v) for v in values):
            kinds.append("unit")
        elif values and all(land_code_for_name(v) for v in distinct):
            kinds.append("region")
        elif len(distinct) == 1 and r + 1 < len(filled):
            kinds.append("title")
        else:
            kinds.append("dim")
    for r in range(len(kinds) - 1):
        if kinds[r] in ("dim", "title") and kinds[r + 1] == "unit":
            kinds[r] = "measure"
    return kinds


def _read_headers(
    table: ParsedTable, headers: list[tuple[int, list[str]]], value_cols: list[int]
) -> dict[int, _Column]:
    filled = [
        dict(zip(value_cols, _fill_right([_cell(cells, j) for j in value_cols]), strict=True))
        for _line, cells in headers
    ]
    columns = {j: _Column() for j in value_cols}
    title = ""
    for r, (cells, kind) in enumerate(zip(filled, _header_kinds(filled), strict=True)):
        if kind == "title":
            title = next(iter(v for v in cells.values() if v), "")
            continue
        if kind == "dim":
            name = detect_dimension(list(cells.values())) or slug(title or f"merkmal{r + 1}")
            for j, value in cells.items():
                if value:
                    item = _item(name, value) or clean_item(value)
                    columns[j].parts[name] = item
                    table.label_item(name, item, value, title or _dim_label(name))
        else:
            for j, value in cells.items():
                _set_header(columns[j], kind, value)
        title = ""
    return columns


def _set_header(column: _Column, kind: str, value: str) -> None:
    if kind == "period":
        column.period = _safe_period(value)
    elif kind == "unit":
        column.unit = value
    elif kind == "region":
        column.region = land_code_for_name(value)
    elif kind == "measure":
        column.measure = value


def _cell(cells: list[str], j: int) -> str:
    return cells[j].strip() if j < len(cells) else ""


def _split_sections(
    table: ParsedTable, data: list[tuple[int, list[str]]], width: int
) -> tuple[dict[int, Period | str], list[tuple[int, list[str]]]]:
    """Section rows (only the first cell filled) apply to the rows after them."""
    sections: dict[int, Period | str] = {}
    rows: list[tuple[int, list[str]]] = []
    current: Period | str | None = None
    for line, cells in data:
        if cells[0].strip() and not any(c.strip() for c in cells[1:]):
            text = cells[0].strip()
            current = _safe_period(text) or text
            continue
        if len(cells) != width:
            table.problem(line, f"{len(cells)} statt {width} Spalten")
            continue
        rows.append((line, cells))
        if current is not None:
            sections[line] = current
    return sections, rows


def _label_roles(
    table: ParsedTable, rows: list[tuple[int, list[str]]], n_labels: int
) -> dict[int, str]:
    roles: dict[int, str] = {}
    columns = [[cells[i].strip() for _, cells in rows if cells[i].strip()] for i in range(n_labels)]
    i = 0
    while i < n_labels:
        values = columns[i]
        if values and all(_safe_period(v) for v in values):
            roles[i] = "period"
        elif values and all(looks_like_region_code(v) for v in values):
            roles[i] = "region"
            if i + 1 < n_labels:
                roles[i + 1] = "region_name"
                i += 1
        else:
            name = detect_dimension(values) or f"merkmal{i + 1}"
            roles[i] = f"dim:{name}"
        i += 1
    # A code column followed by its label (e.g. BEV-VARIANTE-01 | Geburten und LE moderat …):
    # keep the code, remember the label.
    for i in range(n_labels - 1):
        role, next_role = roles.get(i, ""), roles.get(i + 1, "")
        if not (role.startswith("dim:merkmal") and next_role.startswith("dim:merkmal")):
            continue
        pairs = {(cells[i].strip(), cells[i + 1].strip()) for _, cells in rows}
        if len({a for a, _ in pairs}) == len(pairs) == len({b for _, b in pairs}):
            roles.pop(i + 1)
            for code, label in pairs:
                table.label_item(role[4:], clean_item(code), label, "Merkmal")
    return roles


def _flag_columns(rows: list[tuple[int, list[str]]], value_cols: list[int]) -> set[int]:
    flags: set[int] = set()
    for position, j in enumerate(value_cols):
        if position == 0:
            continue
        cells = [cells[j].strip() for _, cells in rows if j < len(cells) and cells[j].strip()]
        if cells and all(is_quality_flag(c) for c in cells):
            flags.add(j)
    return flags


def _register_measures(
    table: ParsedTable,
    columns: dict[int, _Column],
    value_cols: list[int],
    flags: set[int],
    from_title: tuple[str, str] | None,
) -> None:
    for j in value_cols:
        if j in flags:
            continue
        column = columns[j]
        label = column.measure or (from_title[0] if from_title else "Wert")
        unit = column.unit or (from_title[1] if from_title else "")
        key = slug(label)
        column.measure = key
        if key not in table.measures:
            table.measures[key] = Measure(label, unit)
