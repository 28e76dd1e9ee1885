"""Matrix forms: the Leslie matrix and the Hamilton–Perry cohort-change-ratio method.

These small helpers serve checks against textbook cases and quick estimates; the
main projection is :func:`ortswandel.engine.project`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import EngineValueError, as_float_array, check_non_negative

__all__ = ["StablePopulation", "hamilton_perry", "leslie_matrix", "stable_population"]

F64 = NDArray[np.float64]


def leslie_matrix(first_row: ArrayLike, survival: ArrayLike, *, open_group: bool = True) -> F64:
    """Leslie matrix from its first row (births per person per step into group 0) and
    ``survival[i]`` from group ``i`` to ``i+1``; with ``open_group`` the last survival
    ratio keeps survivors in the last group."""
    row = as_float_array("leslie.first_row", first_row)
    s = as_float_array("leslie.survival", survival)
    check_non_negative("leslie.first_row", row)
    check_non_negative("leslie.survival", s)
    n = row.size
    if s.size != n:
        raise EngineValueError("leslie.survival", f"needs {n} values", "one per age group")
    m = np.zeros((n, n))
    m[0] = row
    m[np.arange(1, n), np.arange(n - 1)] = s[:-1]
    if open_group:
        m[-1, -1] = s[-1]
    return m


@dataclass(frozen=True)
class StablePopulation:
    """Dominant eigenvalue ``lam`` (per step), ``r = ln(lam)`` and stable age shares."""

    lam: float
    r: float
    shares: F64


def stable_population(matrix: ArrayLike) -> StablePopulation:
    """Intrinsic growth and stable age distribution of a projection matrix."""
    m = as_float_array("leslie", matrix)
    vals, vecs = np.linalg.eig(m)
    k = int(np.argmax(vals.real))
    v = np.abs(vecs[:, k].real)
    lam = float(vals[k].real)
    return StablePopulation(lam, float(np.log(lam)), v / v.sum())


def hamilton_perry(p_prev: ArrayLike, p_now: ArrayLike, women_now: float, women_next: float) -> F64:
    """One Hamilton–Perry step (cohort-change ratios, child–woman ratio).

    Parameters
    ----------
    p_prev, p_now : array_like, shape ``[G]``
        Population one step (= one group width) apart; last group open.
    women_now, women_next : float
        Women of childbearing age now and (projected) at the next date.

    Returns
    -------
    ndarray ``[G]``
        ``P_next[g] = CCR[g] * P_now[g-1]`` (open group: ``CCR * (P_now[-2] + P_now[-1])``),
        ``P_next[0] = P_now[0] / women_now * women_next``.
    """
    a = as_float_array("p_prev", p_prev)
    b = as_float_array("p_now", p_now)
    check_non_negative("p_prev", a)
    check_non_negative("p_now", b)
    if a.shape != b.shape or a.ndim != 1 or a.size < 3 or women_now <= 0:
        raise EngineValueError(
            "hamilton_perry",
            "needs two populations of equal length >= 3 and women_now > 0",
            "check the inputs",
        )
    ccr = np.empty_like(b)
    ccr[1:-1] = b[1:-1] / a[:-2]
    ccr[-1] = b[-1] / (a[-2] + a[-1])
    out = np.empty_like(b)
    out[1:-1] = ccr[1:-1] * b[:-2]
    out[-1] = ccr[-1] * (b[-2] + b[-1])
    out[0] = b[0] / women_now * women_next
    return out
