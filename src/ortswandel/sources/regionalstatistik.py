"""Reader for district population by sex and 17 age groups (GENESIS 12411-0018).

Reads the long ("tidy") UTF-8 form in ``regionalstatistik_kreise/``
(``year_end,ags5,kreis_name,sex,age_group,population``) into arrays
``[kreis, sex, group]`` (sex: female = 0, male = 1) with the group's first ages
:data:`GROUP_STARTS` (``unter 3``, ``3 bis unter 6``, ..., ``75 Jahre und mehr``).

Attribution: "© Statistische Ämter des Bundes und der Länder, Deutschland, 2021,
Tabelle 12411-0018, dl-de/by-2-0".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "GROUP_STARTS",
    "SUCCESSORS",
    "DistrictAgeTable",
    "DistrictHistory",
    "MunicipalAgeTable",
    "RegionalFormatError",
    "read_district_age_groups",
    "read_district_history",
    "read_municipal_age_groups",
]

ATTRIBUTION = (
    "© Statistische Ämter des Bundes und der Länder, Deutschland, 2021, "
    "Tabelle 12411-0018 (Regionalstatistik), dl-de/by-2-0"
)
GROUP_STARTS = (0, 3, 6, 10, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 75)
_SEX = {"f": 0, "w": 0, "female": 0, "m": 1, "male": 1}
_FIRST_AGE = re.compile(r"^(?:unter \d+|(\d+) (?:bis unter \d+ Jahre|Jahre und mehr))")


class RegionalFormatError(ValueError):
    """The file does not look like the tidy 12411-0018 table."""


@dataclass(frozen=True)
class DistrictAgeTable:
    """Persons by district, sex and age group at 31 December of ``year``."""

    year: int
    ags5: tuple[str, ...]
    names: tuple[str, ...]
    counts: NDArray[np.float64]  # [kreis, 2, 17]
    group_starts: tuple[int, ...] = GROUP_STARTS


def _group_start(label: str) -> int:
    m = _FIRST_AGE.match(label.strip())
    if not m:
        raise RegionalFormatError(f"unknown age group {label!r}")
    return int(m.group(1)) if m.group(1) else 0


def _read_rows(path: str | Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        need = {"year_end", "ags5", "kreis_name", "sex", "age_group", "population"}
        if not need <= set(reader.fieldnames or ()):
            raise RegionalFormatError(f"{path}: needs columns {sorted(need)}")
        return list(reader)


def read_district_age_groups(path: str | Path, year: int | None = None) -> DistrictAgeTable:
    """Read the tidy 12411-0018 CSV for ``year`` (default: the latest year in the file)."""
    return _table(_read_rows(path), path, year)


def _table(rows: list[dict[str, str]], path: str | Path, year: int | None) -> DistrictAgeTable:
    years = {int(r["year_end"]) for r in rows}
    use = max(years) if year is None else year
    if use not in years:
        raise RegionalFormatError(f"{path}: no data for {use}; available {sorted(years)}")
    keys: dict[str, int] = {}
    names: list[str] = []
    cells: list[tuple[int, int, int, float]] = []
    for r in rows:
        if int(r["year_end"]) != use or not r["population"].strip().isdigit():
            continue
        k = keys.setdefault(r["ags5"], len(keys))
        if k == len(names):
            names.append(r["kreis_name"])
        g = GROUP_STARTS.index(_group_start(r["age_group"]))
        cells.append((k, _SEX[r["sex"].strip().lower()], g, float(r["population"])))
    counts = np.zeros((len(keys), 2, len(GROUP_STARTS)))
    for k, s, g, v in cells:
        counts[k, s, g] = v
    return DistrictAgeTable(use, tuple(keys), tuple(names), counts)


#: District mergers since 2015: old AGS -> successor (Göttingen + Osterode am Harz ->
#: Göttingen 03159 on 1 Nov 2016; Eisenach 16056 -> Wartburgkreis 16063 on 1 Jul 2021).
SUCCESSORS = {"03152": "03159", "03156": "03159", "16056": "16063"}


@dataclass(frozen=True)
class DistrictHistory:
    """Persons by district, sex and age group at 31 December of every year in the file.

    All years are on one territory: that of ``until`` (districts merged before it are
    added to their successor in the earlier years, see :data:`SUCCESSORS`).
    """

    years: tuple[int, ...]
    ags5: tuple[str, ...]
    names: tuple[str, ...]
    counts: NDArray[np.float64]  # [year, kreis, 2, 17]
    group_starts: tuple[int, ...] = GROUP_STARTS

    def at(self, year: int) -> NDArray[np.float64]:
        """Counts ``[kreis, 2, 17]`` at 31.12. of ``year``."""
        return self.counts[self.years.index(year)]


def read_district_history(path: str | Path, *, until: int | None = None) -> DistrictHistory:
    """All years of the tidy 12411-0018 CSV up to ``until`` (default: the latest), on the
    territory of ``until``."""
    raw = _read_rows(path)
    first = _table(raw, path, until)
    rows: dict[int, DistrictAgeTable] = {first.year: first}
    for y in sorted({int(r["year_end"]) for r in raw}):
        if y < first.year:
            rows[y] = _table([r for r in raw if int(r["year_end"]) == y], path, y)
    order = {k: i for i, k in enumerate(first.ags5)}
    use = sorted(rows)
    counts = np.zeros((len(use), len(order), 2, len(GROUP_STARTS)))
    for t, y in enumerate(use):
        tab = rows[y]
        for i, k in enumerate(tab.ags5):
            target = k
            while target not in order and target in SUCCESSORS:
                target = SUCCESSORS[target]
            if target not in order:
                raise RegionalFormatError(
                    f"{path}: district {k} of {y} has no successor on the territory of "
                    f"{first.year}; add it to SUCCESSORS"
                )
            counts[t, order[target]] += tab.counts[i]
    return DistrictHistory(tuple(use), first.ags5, first.names, counts)


@dataclass(frozen=True)
class MunicipalAgeTable:
    """Persons by municipality (8-digit AGS), sex and age group at 31.12. of ``year``."""

    year: int
    ags: tuple[str, ...]
    counts: NDArray[np.float64]  # [municipality, 2, K]
    group_starts: tuple[int, ...]


def read_municipal_age_groups(path: str | Path, year: int) -> MunicipalAgeTable:
    """Municipal age groups in the tidy long form ``year_end,ags8,sex,age_group,population``
    (e.g. derived from Regionalstatistik 12411-02-03-5); any groups whose labels read
    ``unter N``, ``N bis unter M Jahre`` or ``N Jahre und mehr``."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        need = {"year_end", "ags8", "sex", "age_group", "population"}
        if not need <= set(reader.fieldnames or ()):
            raise RegionalFormatError(f"{path}: needs columns {sorted(need)}")
        rows = [r for r in reader if r["year_end"].strip() == str(year)]
    if not rows:
        raise RegionalFormatError(f"{path}: no rows for {year}")
    starts = sorted({_group_start(r["age_group"]) for r in rows})
    keys: dict[str, int] = {}
    cells = []
    for r in rows:
        ags = r["ags8"].strip()
        if len(ags) != 8 or not ags.isdigit():
            raise RegionalFormatError(f"{path}: not an 8-digit AGS: {ags!r}")
        value = r["population"].strip()
        k = keys.setdefault(ags, len(keys))
        if value.isdigit():
            g = starts.index(_group_start(r["age_group"]))
            cells.append((k, _SEX[r["sex"].strip().lower()], g, float(value)))
    counts = np.zeros((len(keys), 2, len(starts)))
    for k, sx, g, v in cells:
        counts[k, sx, g] = v
    return MunicipalAgeTable(year, tuple(keys), counts, tuple(starts))
