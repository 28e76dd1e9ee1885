"""Iterative proportional fitting (raking) of small areas to two sets of official totals.

Typical use: municipalities ``[N, sex, age]`` whose totals by sex are known (GV100AD) and
whose sum over the municipalities of a district must equal the district's population by
sex and age. Deming & Stephan (1940), "On a least squares adjustment of a sampled frequency
table when the expected marginal totals are known", Ann. Math. Statist. 11.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import EngineValueError, as_float_array, check_non_negative

__all__ = ["rake_within_groups"]

F64 = NDArray[np.float64]


def rake_within_groups(
    seed: ArrayLike,
    rows: ArrayLike,
    cols: ArrayLike,
    group: ArrayLike,
    *,
    iterations: int = 1000,
    tol: float = 1e-9,
) -> F64:
    """Rake units to their own totals and to their group's totals by column.

    Parameters
    ----------
    seed : array_like, shape ``[N, S, C]``
        Starting estimate for ``N`` units (e.g. municipalities), ``S`` strata (sex) and
        ``C`` columns (ages); non-negative.
    rows : array_like, shape ``[N, S]``
        Required sum over the columns of each unit and stratum.
    cols : array_like, shape ``[G, S, C]``
        Required sum over the units of each group ``g`` (e.g. the district).
    group : array_like of int, shape ``[N]``
        Group of each unit, ``0 .. G-1``.

    Returns
    -------
    ndarray ``[N, S, C]``
        The raked table: row sums equal ``rows`` exactly (the last step fits them), column
        sums per group equal ``cols`` up to ``tol`` (relative) when the margins agree
        (``sum rows = sum cols`` per group and stratum) and the seed allows it.
    """
    x = as_float_array("seed", seed).copy()
    r = as_float_array("rows", rows)
    c = as_float_array("cols", cols)
    g = np.asarray(group, dtype=np.int64)
    for name, arr in (("seed", x), ("rows", r), ("cols", c)):
        check_non_negative(name, arr)
    if x.ndim != 3 or r.shape != x.shape[:2] or g.shape != x.shape[:1]:
        raise EngineValueError(
            "seed", f"shapes {x.shape}, {r.shape}, {g.shape} do not fit", "see the docstring"
        )
    if c.ndim != 3 or c.shape[1:] != x.shape[1:] or g.min(initial=0) < 0 or (g >= len(c)).any():
        raise EngineValueError("cols", f"shape {c.shape} does not fit", "see the docstring")
    order = np.argsort(g, kind="stable")
    present, starts = np.unique(g[order], return_index=True)

    def group_sums(arr: F64) -> F64:
        out = np.zeros_like(c)
        out[present] = np.add.reduceat(arr[order], starts, axis=0)
        return out

    scale = np.maximum(c.sum(axis=-1, keepdims=True), 1.0)
    for _ in range(iterations):
        s = x.sum(axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            x *= np.where(s > 0, r / s, 0.0)[..., None]
        sums = group_sums(x)
        if (np.abs(sums - c) / scale).max() < tol:
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where(sums > 0, c / sums, 1.0)
        x *= f[g]
    s = x.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        x *= np.where(s > 0, r / s, 0.0)[..., None]
    return x
