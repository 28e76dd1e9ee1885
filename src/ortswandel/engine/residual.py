"""Net migration from population history: the residual (forward-survival) method.

Over one year, everything that changed a population and is neither a birth nor a death
is net migration. With the population ``P(t)`` by single year of age, the survival ratios
and fertility of the year, the population expected at ``t+1`` *without* migration is a
one-step projection ``E(t+1)`` (see :func:`~ortswandel.engine.projection.project`, timing
``"end"``). The observed population ``O(t+1)``, known by age group, gives

* net migrants by age group at the end of the year: ``M_g = O_g - E_g``;
* net migration rates ``rho_g = M_g / E_g`` (net migrants per expected resident at the
  end of the year), which a projection with timing ``"end"`` applies as
  ``M(a) = rho_g(a) * survivors(a)``.

Mortality or fertility that differs from the assumed one ends up in the residual too, so
the same assumptions must be used to estimate and to project (then a past year is
reproduced exactly).

Small areas: :func:`shrink_rates` pulls rates towards those of a parent area (the district
for a municipality, the Land for a district) with the weight ``E / (E + k)``, ``E`` the
expected population of the age group (empirical-Bayes style credibility weighting).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import EngineValueError, as_float_array, check_non_negative

__all__ = [
    "expand_groups",
    "group_index",
    "group_sums",
    "residual_migration",
    "shrink_rates",
]

F64 = NDArray[np.float64]


def group_index(bounds: ArrayLike, n: int) -> NDArray[np.int64]:
    """Index of the group of each single age ``0..n-1`` (last age = the open group)."""
    b = np.asarray(bounds, dtype=np.int64)
    if b.ndim != 1 or b[0] != 0 or (np.diff(b) <= 0).any() or b[-1] > n - 1:
        raise EngineValueError(
            "bounds",
            f"need increasing first ages from 0 up to {n - 1}; got {b.tolist()}",
            "give the first age of every group",
        )
    return np.searchsorted(b, np.arange(n), side="right") - 1


def group_sums(single: ArrayLike, bounds: ArrayLike) -> F64:
    """Sum single years ``[..., N]`` into groups ``[..., K]``."""
    s = as_float_array("single", single)
    idx = group_index(bounds, s.shape[-1])
    onehot = (idx[:, None] == np.arange(len(np.atleast_1d(bounds)))[None, :]).astype(np.float64)
    return s @ onehot


def expand_groups(values: ArrayLike, bounds: ArrayLike, n: int) -> F64:
    """Repeat a value per group ``[..., K]`` for each of its single ages ``[..., n]``."""
    v = as_float_array("values", values)
    return v[..., group_index(bounds, n)]


def residual_migration(
    observed: ArrayLike, expected: ArrayLike, bounds: ArrayLike
) -> tuple[F64, F64]:
    """Net migrants and rates by age group from observed and expected populations.

    Parameters
    ----------
    observed : array_like, shape ``[..., K]``
        Population at the end of the year by age group (persons).
    expected : array_like, shape ``[..., N]``
        Population expected at the end of the year without migration, single years.
    bounds : array_like, shape ``[K]``
        First age of each group.

    Returns
    -------
    counts : ndarray ``[..., K]``
        Net migrants (persons; may be negative).
    rates : ndarray ``[..., K]``
        Net migrants per expected resident (``0`` where nobody is expected).
    """
    o = as_float_array("observed", observed)
    check_non_negative("observed", o)
    e = group_sums(expected, bounds)
    if e.shape != o.shape:
        raise EngineValueError(
            "observed", f"has shape {list(o.shape)}, expected {list(e.shape)}", "check groups"
        )
    m = o - e
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(e > 0, m / e, 0.0)
    return m, rates


def shrink_rates(rates: ArrayLike, exposure: ArrayLike, parent: ArrayLike, k: ArrayLike) -> F64:
    """Rates pulled towards a parent's rates: ``w r + (1 - w) r_parent``, ``w = E / (E + k)``.

    Parameters
    ----------
    rates, exposure : array_like, same shape
        The area's rates and the population they refer to (persons).
    parent : array_like, broadcastable
        The parent area's rates.
    k : float or array_like (broadcast against ``rates``, e.g. one per age group)
        Persons at which an area's own rate gets half the weight (``k = 0``: no pull).
    """
    r = as_float_array("rates", rates)
    e = as_float_array("exposure", exposure)
    check_non_negative("exposure", e)
    kk = as_float_array("k", k)
    if (kk < 0).any():
        raise EngineValueError("k", f"must be >= 0; got {kk.min()}", "use 0 for no shrinkage")
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(e + kk > 0, e / (e + kk), 0.0)
    return w * r + (1 - w) * as_float_array("parent", parent)
