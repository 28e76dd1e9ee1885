"""Which municipalities are structurally similar to a given one — and why.

The score compares size, settlement structure, demographic trend and age structure. For
municipalities *a* and *b* the distance is

.. math::

    D = |\\log_2 (P_a / P_b)|                       (population: one doubling = 1)
      + 0.5 \\, |\\log_2 (d_a / d_b)|               (density, inhabitants per km²)
      + 0.5 \\, [\\text{Land differs}]
      + 0.5 \\, [\\text{type group differs}]        (town: Stadt, Große Kreisstadt, kreisfreie
                                                    Stadt, Stadtkreis; otherwise Gemeinde/Markt)
      + 1.0 \\, [\\text{district status differs}]   (kreisfrei vs. kreisangehörig)
      + 1.0 \\, |t_a - t_b| / 0.5                     (trend: average yearly population change
                                                    of the district 2017–2022 in percent;
                                                    0.5 percentage points = 1)
      + 1.0 \\, (|u_a - u_b| / 2 + |s_a - s_b| / 3 + |e_a - e_b| / 1.5) / 3
                                                   (age: shares under 18, 65+ and 80+ in
                                                    percent, estimate of 31.12.2022)

and the similarity is :math:`S = 1 / (1 + D)` (1 = same profile; 0.5 = e.g. twice the
population, otherwise alike). A trend or age structure that is unknown for either side adds
1 for that part (unknown is not "alike"). Without the trend and age parts a shrinking town
was matched with a fast-growing suburb of the same size (Wittenberge with Stahnsdorf, 64 %).
Uninhabited areas (no population or area) are never similar to anything. Ties are broken by
AGS, so the order is deterministic.

Trend and age shares come from :mod:`.profile` (official files: 12411-0018 for the
districts, GV100AD, and the estimated age structure of every municipality). The trend is the
district's: the files hold no time series for municipalities.

All municipalities are held as NumPy arrays (about 1 MB for 10,981 rows), cached through
:func:`ortswandel.core.cache.versioned` under the register's content version, which the import
service and the admin replace on commit, and rebuilt at the latest after
``ARRAYS_MAX_AGE_SECONDS`` (so a process with its own per-process cache also picks up an import
run by another process). Scoring all municipalities against one is a handful of vector
operations (well under a millisecond).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np

from ortswandel.core import versions
from ortswandel.core.cache import versioned

from .models import Municipality

W_POPULATION = 1.0
W_DENSITY = 0.5
W_LAND = 0.5
W_TYPE_GROUP = 0.5
W_DISTRICT_STATUS = 1.0
W_TREND = 1.0
TREND_UNIT = 0.5  # percentage points per year
W_AGE = 1.0
AGE_UNITS = (2.0, 3.0, 1.5)  # percentage points: under 18, 65+, 80+
MISSING_PENALTY = 1.0

TOWN_TYPE_CODES = frozenset({"61", "62", "63", "67"})
DISTRICT_FREE_KREIS_TYPES = frozenset({"41", "42"})
ARRAYS_MAX_AGE_SECONDS = 300


@dataclass(frozen=True)
class RegisterArrays:
    """Features of all municipalities, aligned by position (``ids[i]`` is the primary key).

    ``token`` identifies this build: values derived from the positions (the candidate mask of
    the selectors) are cached under it."""

    token: str
    ids: np.ndarray  # int64
    ags: np.ndarray  # str (U8), for tie-breaking
    log2_population: np.ndarray  # float64, NaN when uninhabited
    log2_density: np.ndarray  # float64, NaN when unknown
    land: np.ndarray  # int16 (Land key as number)
    town: np.ndarray  # bool (type group)
    district_free: np.ndarray  # bool
    position: dict[int, int]
    #: Optional (``None``: part left out): district trend (% per year) and age shares (%).
    trend: np.ndarray | None = None
    under18: np.ndarray | None = None
    over65: np.ndarray | None = None
    over80: np.ndarray | None = None

    @property
    def comparable(self) -> np.ndarray:
        return ~(np.isnan(self.log2_population) | np.isnan(self.log2_density))


def _log2(value: Any) -> float:
    return math.log2(value) if value and value > 0 else math.nan


def _build() -> RegisterArrays:
    rows = list(
        Municipality.objects.order_by("id").values_list(
            "id", "ags", "population", "density", "land_code", "type_code", "kreis_type_code"
        )
    )
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    from .profile import structure

    found = structure()
    nan = np.full(len(rows), np.nan)
    trend, under18, over65, over80 = nan.copy(), nan.copy(), nan.copy(), nan.copy()
    if found is not None:
        for k, row in enumerate(rows):
            i = found.index.get(row[1])
            if i is None:
                continue
            trend[k] = found.kreis_trend.get(found.kreis[i], np.nan)
            under18[k], over65[k], over80[k] = found.under18[i], found.over65[i], found.over80[i]
    return RegisterArrays(
        token=uuid.uuid4().hex,
        ids=ids,
        ags=np.array([r[1] for r in rows], dtype="U8"),
        log2_population=np.array([_log2(r[2]) for r in rows], dtype=np.float64),
        log2_density=np.array([_log2(r[3]) for r in rows], dtype=np.float64),
        land=np.array([int(r[4]) if r[4].isdigit() else -1 for r in rows], dtype=np.int16),
        town=np.array([r[5] in TOWN_TYPE_CODES for r in rows], dtype=bool),
        district_free=np.array([r[6] in DISTRICT_FREE_KREIS_TYPES for r in rows], dtype=bool),
        position={int(pk): i for i, pk in enumerate(ids)},
        trend=trend,
        under18=under18,
        over65=over65,
        over80=over80,
    )


def register_arrays() -> RegisterArrays:
    """The arrays of the current register version (kept in this process too)."""
    return versioned(
        "municipalities:register-arrays",
        _build,
        versions=[versions.REGISTER],
        timeout=ARRAYS_MAX_AGE_SECONDS,
        local=True,
    )


def clear_cache() -> None:
    """Rebuild the arrays on next use (replaces the register's version now)."""
    versions.bump_content_version(versions.REGISTER)


def distances(arrays: RegisterArrays, position: int) -> np.ndarray:
    """Distance ``D`` (see module docstring) from municipality ``position`` to all; ``inf``
    for itself and for municipalities that cannot be compared."""
    d = W_POPULATION * np.abs(arrays.log2_population - arrays.log2_population[position])
    d += W_DENSITY * np.abs(arrays.log2_density - arrays.log2_density[position])
    d += W_LAND * (arrays.land != arrays.land[position])
    d += W_TYPE_GROUP * (arrays.town != arrays.town[position])
    d += W_DISTRICT_STATUS * (arrays.district_free != arrays.district_free[position])
    if arrays.trend is not None:
        d += W_TREND * _part(np.abs(arrays.trend - arrays.trend[position]) / TREND_UNIT)
    if arrays.under18 is not None and arrays.over65 is not None and arrays.over80 is not None:
        age = sum(
            np.abs(values - values[position]) / unit
            for values, unit in zip(
                (arrays.under18, arrays.over65, arrays.over80), AGE_UNITS, strict=True
            )
        )
        d += W_AGE * _part(np.asarray(age) / 3)
    d[np.isnan(d)] = np.inf
    d[position] = np.inf
    return d


def _part(values: np.ndarray) -> np.ndarray:
    """A distance part with unknown values counted as :data:`MISSING_PENALTY`."""
    return np.where(np.isnan(values), MISSING_PENALTY, values)


def rank(
    arrays: RegisterArrays, position: int, *, limit: int, among: np.ndarray | None = None
) -> list[tuple[int, float]]:
    """The ``limit`` most similar municipalities as ``(id, similarity)``, best first.

    ``among`` optionally restricts the candidates (a boolean mask over all positions).
    """
    if limit <= 0:
        return []
    d = distances(arrays, position)
    if among is not None:
        d = np.where(among, d, np.inf)
    finite = np.flatnonzero(np.isfinite(d))
    if finite.size == 0:
        return []
    if finite.size > limit * 4:
        # Keep a safe superset (ties at the cut) before the exact, deterministic sort.
        cut = np.partition(d[finite], limit - 1)[limit - 1]
        finite = finite[d[finite] <= cut]
    order = finite[np.lexsort((arrays.ags[finite], d[finite]))][:limit]
    return [(int(arrays.ids[i]), float(1.0 / (1.0 + d[i]))) for i in order]
