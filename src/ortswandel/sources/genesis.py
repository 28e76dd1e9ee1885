"""Readers for GENESIS population tables by single year of age (Germany and Länder).

Layouts read here (the "GENESIS layout" CSV: a title block, header rows, data rows, a
footer; ``;``-separated; numbers without thousands separators; ``-`` = 0, ``.`` = unknown):

* 12411-0005 Germany, both sexes: rows = ages, columns = Stichtage (31.12.1970 ...).
* 12411-0006 Germany by sex: rows ``Stichtag;age;männlich;weiblich;Insgesamt``.
* 12411-0012 Länder, both sexes: rows ``Stichtag;age;<16 Länder>``.
* 12411-0013 Länder by sex: rows ``Stichtag;age;<16 Länder x (männlich, weiblich, Insgesamt)>``.

Age labels: ``unter 1 Jahr``, ``N-Jährige``, ``N Jahre und mehr`` (open group), ``Insgesamt``.
Some copies have U+FFFD instead of umlauts; labels are matched on their digits. Every
reader checks that the ages add up to the ``Insgesamt`` row.

Arrays use the engine's sex order (female = 0, male = 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .gv100ad import SourceFormatError
from .lands import LAND_NAMES as _LAND_NAMES_BY_KEY

__all__ = [
    "LAND_NAMES",
    "SingleYearTable",
    "age_of_label",
    "read_germany_by_sex",
    "read_germany_total",
    "read_laender_by_sex",
    "read_laender_total",
    "read_text",
]

F64 = NDArray[np.float64]

#: Länder in AGS order (01 Schleswig-Holstein ... 16 Thüringen).
LAND_NAMES = tuple(_LAND_NAMES_BY_KEY.values())
_DATE = re.compile(r"^31\.12\.(\d{4})$")
_OPEN = re.compile(r"^(\d+) Jahre? und (?:mehr|älter)")
_SINGLE = re.compile(r"^(\d+)-J")
_UNDER_ONE = re.compile(r"^unter 1 Jahr")


def read_text(path: str | Path) -> str:
    """File text: UTF-8 (with or without BOM), else ISO-8859-1 (older GENESIS exports)."""
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def age_of_label(label: str) -> tuple[int, bool] | None:
    """``(age, is_open)`` for a GENESIS age label, ``None`` for totals and unknown ages."""
    t = label.strip().strip('"')
    if _UNDER_ONE.match(t):
        return 0, False
    m = _SINGLE.match(t)
    if m:
        return int(m.group(1)), False
    m = _OPEN.match(t)
    if m:
        return int(m.group(1)), True
    return None


def _value(cell: str, path: Path, line: int) -> float:
    t = cell.strip()
    if t == "-":
        return 0.0
    if t in {".", "...", "x", "/", ""}:
        return float("nan")
    try:
        return float(t.replace(",", "."))
    except ValueError as exc:
        raise SourceFormatError(f"{path.name} line {line}: not a number: {cell!r}") from exc


@dataclass(frozen=True)
class SingleYearTable:
    """Persons by single year of age at 31 December of each year.

    ``counts[year]`` has shape ``[*lead, open_age + 1]`` (last = open group ``open_age``+),
    ``lead`` being ``[2]`` (female, male), ``[16]`` (Länder 01..16), ``[16, 2]`` or ``[]``.
    """

    table: str
    open_age: int
    counts: dict[int, F64]
    source: str

    @property
    def years(self) -> list[int]:
        return sorted(self.counts)

    def at(self, year: int) -> F64:
        """Counts at 31.12. of ``year``; raises ``KeyError`` with the available years."""
        if year not in self.counts:
            raise KeyError(f"{self.table}: no data for 31.12.{year}; available {self.years}")
        return self.counts[year]


def _check_total(cells: dict[int, F64], total: F64 | None, where: str, open_age: int) -> F64:
    ages = sorted(cells)
    if ages != list(range(open_age + 1)):
        raise SourceFormatError(f"{where}: ages {ages[:3]}..{ages[-3:]} are not 0..{open_age}")
    arr = np.stack([cells[a] for a in ages], axis=-1)
    if total is not None:
        ok = np.isnan(total) | (np.abs(np.nansum(arr, axis=-1) - total) < 0.5)
        if not ok.all():
            raise SourceFormatError(f"{where}: the ages do not add up to 'Insgesamt'")
    return arr


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    return [(i + 1, line.split(";")) for i, line in enumerate(read_text(path).splitlines())]


def _dated_rows(path: Path, ncols: int) -> tuple[dict[int, dict[int, F64]], dict[int, F64], int]:
    """Rows ``31.12.YYYY;age;values...`` -> ``{year: {age: values}}``, totals, open age."""
    by_year: dict[int, dict[int, F64]] = {}
    totals: dict[int, F64] = {}
    open_age = -1
    for line, cells in _rows(path):
        m = _DATE.match(cells[0].strip()) if cells else None
        if not m or len(cells) < 2 + ncols:
            continue
        year = int(m.group(1))
        vals = np.array([_value(c, path, line) for c in cells[2 : 2 + ncols]])
        label = cells[1].strip()
        if label.startswith("Insgesamt"):
            totals[year] = vals
            continue
        age = age_of_label(label)
        if age is None:
            continue
        if age[1]:
            open_age = age[0]
        by_year.setdefault(year, {})[age[0]] = vals
    if not by_year or open_age < 0:
        raise SourceFormatError(f"{path.name}: no rows '31.12.YYYY;<age>;...' with an open age")
    return by_year, totals, open_age


def read_germany_by_sex(path: str | Path) -> SingleYearTable:
    """GENESIS 12411-0006: Germany by sex, ``counts[year]`` ``[2, 86]`` (0..84, 85+)."""
    p = Path(path)
    by_year, totals, open_age = _dated_rows(p, 3)
    out = {}
    for year, cells in by_year.items():
        arr = _check_total(cells, totals.get(year), f"{p.name} {year}", open_age)  # [3, A]
        if np.isnan(arr).any():
            continue  # years with unknown cells (none in the 1970-2021 file)
        out[year] = arr[[1, 0]]  # männlich, weiblich -> female, male
    return SingleYearTable("12411-0006", open_age, out, p.name)


def read_laender_by_sex(path: str | Path) -> SingleYearTable:
    """GENESIS 12411-0013: Länder by sex, ``counts[year]`` ``[16, 2, 91]`` (0..89, 90+)."""
    p = Path(path)
    by_year, totals, open_age = _dated_rows(p, 48)
    out = {}
    for year, cells in by_year.items():
        arr = _check_total(cells, totals.get(year), f"{p.name} {year}", open_age)  # [48, A]
        arr = arr.reshape(16, 3, -1)
        names = _laender_header(p, 16 * 3)[::3]
        out[year] = arr[_land_order(names, p)][:, [1, 0]]
    return SingleYearTable("12411-0013", open_age, out, p.name)


def read_laender_total(path: str | Path) -> SingleYearTable:
    """GENESIS 12411-0012: Länder, both sexes, ``counts[year]`` ``[16, 91]`` (0..89, 90+).

    Years before 1990/91 have no values for the new Länder and are left out.
    """
    p = Path(path)
    by_year, totals, open_age = _dated_rows(p, 16)
    names = _laender_header(p, 16)
    order = _land_order(names, p)
    out = {}
    for year, cells in by_year.items():
        arr = _check_total(cells, totals.get(year), f"{p.name} {year}", open_age)
        if not np.isnan(arr).any():
            out[year] = arr[order]
    return SingleYearTable("12411-0012", open_age, out, p.name)


def read_germany_total(path: str | Path) -> SingleYearTable:
    """GENESIS 12411-0005: Germany, both sexes, ``counts[year]`` ``[86]`` (0..84, 85+)."""
    p = Path(path)
    rows = _rows(p)
    years: list[int] = []
    for _line, cells in rows:
        found = [_DATE.match(c.strip()) for c in cells[1:]]
        if found and all(found):
            years = [int(m.group(1)) for m in found if m]
            break
    if not years:
        raise SourceFormatError(f"{p.name}: no header row with the Stichtage '31.12.YYYY'")
    cells_by_age: dict[int, F64] = {}
    total = None
    open_age = -1
    for line, cells in rows:
        if len(cells) < 1 + len(years):
            continue
        label = cells[0].strip()
        age = age_of_label(label)
        if age is None and not label.startswith("Insgesamt"):
            continue
        vals = np.array([_value(c, p, line) for c in cells[1 : 1 + len(years)]])
        if age is None:
            total = vals
            continue
        if age[1]:
            open_age = age[0]
        cells_by_age[age[0]] = vals
    arr = _check_total(cells_by_age, None, p.name, open_age)  # [Y, A]
    if total is not None and not (np.abs(arr.sum(axis=-1) - total) < 0.5).all():
        raise SourceFormatError(f"{p.name}: the ages do not add up to 'Insgesamt'")
    return SingleYearTable("12411-0005", open_age, {y: arr[i] for i, y in enumerate(years)}, p.name)


def _laender_header(path: Path, ncols: int) -> list[str]:
    for _line, cells in _rows(path):
        names = [c.strip() for c in cells[2 : 2 + ncols]]
        if len(names) == ncols and sum(_norm(n) in _NORM_NAMES for n in names) >= ncols // 2:
            return names
    raise SourceFormatError(f"{path.name}: no header row with the 16 Länder")


def _norm(name: str) -> str:
    """Land name without umlauts or replacement characters, for matching."""
    return re.sub(r"[^a-z-]", "", name.lower())


_NORM_NAMES = {
    _norm(n): i for i, n in enumerate(LAND_NAMES)
}  # "baden-wrttemberg" etc. (umlauts dropped)


def _land_order(names: list[str], path: Path) -> list[int]:
    """Column index of each Land in AGS order."""
    idx = {}
    for col, n in enumerate(names):
        key = _norm(n)
        if key not in _NORM_NAMES:
            raise SourceFormatError(f"{path.name}: unknown Land {n!r} in the header")
        idx[_NORM_NAMES[key]] = col
    if sorted(idx) != list(range(16)):
        raise SourceFormatError(f"{path.name}: the header does not name all 16 Länder")
    return [idx[i] for i in range(16)]
