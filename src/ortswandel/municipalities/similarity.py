"""Which municipalities are structurally similar to a given one — and why.

The score compares five features that are known for every inhabited municipality of the
register (GV100AD). For municipalities *a* and *b* the distance is

.. math::

    D = |\\log_2 (P_a / P_b)|                       (population: one doubling = 1)
      + 0.5 \\, |\\log_2 (d_a / d_b)|               (density, inhabitants per km²)
      + 0.5 \\, [\\text{Land differs}]
      + 0.5 \\, [\\text{type group differs}]        (town: Stadt, Große Kreisstadt, kreisfreie
                                                    Stadt, Stadtkreis; otherwise Gemeinde/Markt)
      + 1.0 \\, [\\text{district status differs}]   (kreisfrei vs. kreisangehörig)

and the similarity is :math:`S = 1 / (1 + D)` (1 = same profile; 0.5 = e.g. twice the
population, otherwise alike). Uninhabited areas (no population or area) are never similar to
anything. Ties are broken by AGS, so the order is deterministic.

All municipalities are held as NumPy arrays (about 0.5 MB for 10,981 rows), cached through
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
    d[np.isnan(d)] = np.inf
    d[position] = np.inf
    return d


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
