"""Estimated base populations by single year of age for all municipalities.

Official data give municipality totals by sex (GV100AD, 31.12.2022) but ages only
for districts (12411-0018, 17 groups). The estimate: the municipality's female and
male totals x the age distribution of its district (the same sex), split into
single years 0..99, 100+ with :func:`ortswandel.engine.split_groups` (open group
75+ spread like the stationary population ``Lx`` of the Destatis life table).
Districts missing in the age table (boundary changes) use the age structure of
their Land. Sums by municipality and sex equal the official totals exactly.

Attribution: GV100AD (Destatis, Stand 30.11.2023), 12411-0018 (Regionalstatistik),
Sterbetafel 12621-0001 (Destatis); all dl-de/by-2-0, "Daten verändert".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ortswandel.engine import split_groups

from .lifetables import read_destatis_life_tables
from .regionalstatistik import read_district_age_groups

__all__ = ["BasePopulation", "estimate_base_population"]

GV100AD_CSV = "gv100ad/gv100ad_20231130_gemeinden.csv"
DISTRICT_CSV = "regionalstatistik_kreise/destatis_12411-0018_tidy_utf8.csv"
LIFE_TABLE_CSV = "sterbetafeln/destatis_12621-0001_sterbetafel_2022-2024.csv"


@dataclass(frozen=True)
class BasePopulation:
    """Persons ``[area, 2, 101]`` (female, male; ages 0..99, 100+) per municipality."""

    ags: tuple[str, ...]
    names: tuple[str, ...]
    land: tuple[str, ...]
    population: NDArray[np.float64]
    year: int = 2022


def _read_municipalities(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def estimate_base_population(directory: str | Path) -> BasePopulation:
    """Estimate single-year populations of all 10,981 municipalities (see module docstring).

    ``directory``: the data directory (``settings.ORTSWANDEL_DATA_DIR``, or
    :func:`ortswandel.core.env.data_dir` outside Django)."""
    root = Path(directory)
    munis = _read_municipalities(root / GV100AD_CSV)
    districts = read_district_age_groups(root / DISTRICT_CSV)
    tables = read_destatis_life_tables(root / LIFE_TABLE_CSV)
    top = districts.group_starts[-1]
    tail = {s: t.Lx[top:] for s, t in tables.items()}
    single = np.stack(
        [
            split_groups(
                districts.counts[:, 0], districts.group_starts, open_weights=tail["female"]
            ),
            split_groups(districts.counts[:, 1], districts.group_starts, open_weights=tail["male"]),
        ],
        axis=1,
    )  # [kreis, 2, 101]
    index = {k: i for i, k in enumerate(districts.ags5)}
    land_struct: dict[str, NDArray[np.float64]] = {}
    for k, i in index.items():
        land_struct[k[:2]] = land_struct.get(k[:2], 0) + single[i]
    shares = np.empty((len(munis), 2, single.shape[-1]))
    for j, m in enumerate(munis):
        struct = single[index[m["kreis"]]] if m["kreis"] in index else land_struct[m["land"]]
        tot = struct.sum(axis=-1, keepdims=True)
        shares[j] = np.divide(struct, tot, out=np.zeros_like(struct), where=tot > 0)
    totals = np.array([[float(m["female"] or 0), float(m["male"] or 0)] for m in munis])
    return BasePopulation(
        ags=tuple(m["ags"] for m in munis),
        names=tuple(m["name"] for m in munis),
        land=tuple(m["land"] for m in munis),
        population=shares * totals[:, :, None],
    )
