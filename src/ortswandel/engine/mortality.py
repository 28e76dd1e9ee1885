"""Period life tables from deaths and population, and hazard factors from cohort decrements.

:func:`life_table_from_deaths` builds a single-year period life table (ages 0..99, 100+)
from deaths by single year of age (to 100+) and person-years lived (exposure) by single
year up to an open group ``K``+ (the official population tables stop at 85+ or 90+):

* below ``K``: central death rates ``m_x = D_x / E_x``;
* from ``K``: a Gompertz curve ``m_x = c exp(b x)``; the slope ``b`` is fitted (weighted
  least squares on ``log m_x``, weights ``D_x``) to the ages ``fit_from .. K-1``, and the
  level ``c`` so that the population implied by the deaths, ``sum_x D_x / m_x``, equals the
  exposure of the open group ``E_K+``. The deaths by single year above ``K`` thus decide
  the level, not a stationary-population assumption (the real 85+ population is younger
  than a stationary one).
* ``q_x = m_x / (1 + (1 - a_x) m_x)`` with ``a_x = 1/2`` and ``a_0`` by Coale–Demeny;
  the open group 100+ has ``T = l_100 / m_100+``.

:func:`hazard_factor` gives the proportional-hazards factor ``k`` that makes a table's
expected decrement of cohorts (``P(t, x) -> P(t+1, x+1)``) equal an observed one; at old
ages, where deaths far outnumber migrants, this measures the mortality level of a region
against the table (used for the Länder, for which no deaths by age are in the data).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import EngineValueError, as_float_array, check_non_negative
from .lifetable import LifeTable, _coale_demeny_a0

__all__ = [
    "death_rates",
    "gompertz_fit",
    "hazard_factor",
    "life_table_from_deaths",
    "life_table_from_rates",
]

F64 = NDArray[np.float64]


def gompertz_fit(m: ArrayLike, ages: ArrayLike, weights: ArrayLike) -> tuple[float, float]:
    """``(log c, b)`` of ``log m = log c + b x`` by weighted least squares."""
    y = np.log(as_float_array("m", m))
    x = as_float_array("ages", ages)
    w = as_float_array("weights", weights)
    xm = (w * x).sum() / w.sum()
    ym = (w * y).sum() / w.sum()
    b = float((w * (x - xm) * (y - ym)).sum() / (w * (x - xm) ** 2).sum())
    return float(ym - b * xm), b


def death_rates(
    deaths: ArrayLike, exposure: ArrayLike, *, fit_from: int = 70, open_to: int = 100
) -> F64:
    """Central death rates ``m_x`` for ages ``0..open_to`` (last = the open group).

    Parameters
    ----------
    deaths : array_like, shape ``[open_to + 1]``
        Deaths by age at death (last = ``open_to``+), summed over the period's years.
    exposure : array_like, shape ``[K + 1]``
        Person-years lived by age (last = ``K``+, ``fit_from + 2 <= K <= open_to``), summed
        over the same years (e.g. the mean of the populations at the start and end of
        each year).
    fit_from : int
        First age of the Gompertz fit (default 70).

    Returns
    -------
    ndarray ``[open_to + 1]``
        Deaths per person-year; from ``K`` on the Gompertz curve (see module docstring).
    """
    d = as_float_array("deaths", deaths)
    e = as_float_array("exposure", exposure)
    check_non_negative("deaths", d)
    check_non_negative("exposure", e)
    k = e.size - 1
    if d.shape != (open_to + 1,) or not fit_from + 2 <= k <= open_to:
        raise EngineValueError(
            "deaths/exposure",
            f"need deaths for ages 0..{open_to}+ and exposure to an open group K+ with "
            f"{fit_from + 2} <= K <= {open_to}; got {d.size} and {e.size} values",
            "give single years of age",
        )
    if (e <= 0).any():
        raise EngineValueError("exposure", "must be > 0 at every age", "check the population")
    m = np.empty(open_to + 1)
    m[:k] = d[:k] / e[:k]
    fit = np.arange(fit_from, k)
    if (m[fit] <= 0).any():
        raise EngineValueError(
            "deaths", f"no deaths at some age in {fit_from}..{k - 1}", "use more years"
        )
    _logc, b = gompertz_fit(m[fit], fit + 0.5, d[fit])
    shape = np.exp(b * (np.arange(k, open_to + 1) + 0.5))
    m[k:] = shape * (d[k:] / shape).sum() / e[k]  # sum_x D_x / m_x = E_K+
    return m


def life_table_from_rates(m: ArrayLike, *, sex: str) -> LifeTable:
    """Single-year life table from central death rates ``m [0..open_to]`` (last open)."""
    mx = as_float_array("m", m)
    check_non_negative("m", mx)
    n = mx.size - 1
    a = np.full(n, 0.5)
    q = mx[:n] / (1 + (1 - a) * mx[:n])
    for _ in range(3):  # a0 depends on q0
        a[0] = _coale_demeny_a0(float(q[0]), sex)
        q[0] = mx[0] / (1 + (1 - a[0]) * mx[0])
    return LifeTable.from_qx(np.minimum(q, 1.0), sex=sex, ax=a, open_mx=float(mx[n]))


def life_table_from_deaths(
    deaths: ArrayLike,
    exposure: ArrayLike,
    *,
    sex: str,
    fit_from: int = 70,
    open_to: int = 100,
) -> LifeTable:
    """Period life table (single years ``0..open_to-1``, ``open_to``+) for one sex from
    deaths and exposure (see :func:`death_rates`); radix 100 000, ``a0`` by Coale–Demeny
    (``sex``: ``"female"`` or ``"male"``)."""
    m = death_rates(deaths, exposure, fit_from=fit_from, open_to=open_to)
    return life_table_from_rates(m, sex=sex)


def hazard_factor(start: ArrayLike, end: ArrayLike, survival: ArrayLike, ages: ArrayLike) -> F64:
    """Proportional-hazards factor ``k`` per row that reproduces observed cohort decrements.

    Parameters
    ----------
    start, end : array_like, shape ``[..., G]``
        Single-year populations one year apart (last group open, not used).
    survival : array_like, shape ``[..., G]``
        One-year survival ratios of the table (``S[x]``: from age ``x-1`` to ``x``).
    ages : array_like of int
        Ages ``x`` at the start whose cohorts are followed to ``x+1`` (e.g. 60..88).

    Returns
    -------
    ndarray, shape ``[...]``
        ``k`` with ``sum_x P(t, x) (1 - S[x+1]^k) = sum_x (P(t, x) - P(t+1, x+1))``
        (solved by Newton steps; ``k = 1``: the table's level).
    """
    p0 = as_float_array("start", start)
    p1 = as_float_array("end", end)
    s = as_float_array("survival", survival)
    x = np.asarray(ages, dtype=np.int64)
    pa = p0[..., x]
    observed = (pa - p1[..., x + 1]).sum(axis=-1)
    log_s = np.log(np.maximum(s[..., x + 1], 1e-300))
    k = np.ones(observed.shape)
    for _ in range(30):
        sk = np.exp(k[..., None] * log_s)
        f = (pa * (1 - sk)).sum(axis=-1) - observed
        df = -(pa * sk * log_s).sum(axis=-1)
        k = np.maximum(k - f / df, 0.0)
    return k
