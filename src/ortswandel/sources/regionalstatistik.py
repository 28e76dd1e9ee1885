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

__all__ = ["GROUP_STARTS", "DistrictAgeTable", "RegionalFormatError", "read_district_age_groups"]

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


def read_district_age_groups(path: str | Path, year: int | None = None) -> DistrictAgeTable:
    """Read the tidy 12411-0018 CSV for ``year`` (default: the latest year in the file)."""
    rows = []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        need = {"year_end", "ags5", "kreis_name", "sex", "age_group", "population"}
        if not need <= set(reader.fieldnames or ()):
            raise RegionalFormatError(f"{path}: needs columns {sorted(need)}")
        rows = list(reader)
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
