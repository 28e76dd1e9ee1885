"""Splitting grouped age counts into single years (mass-preserving).

Method
------
The cumulative count ``C(x)`` is known exactly at the group boundaries. It is
interpolated with a monotone piecewise-cubic Hermite curve (Fritsch & Carlson
1980, "Monotone piecewise cubic interpolation", SIAM J. Numer. Anal. 17; the
PCHIP derivative rule), and single-year counts are the differences
``C(x+1) - C(x)``. Hence

* every group keeps exactly its total (the curve passes through the knots),
* no count is negative (the curve is monotone because ``C`` is),
* the result is smooth across group boundaries (no steps as with uniform splitting).

The open group is spread over ``open_from .. open_to`` with given weights (e.g.
the stationary population ``Lx`` of a life table), again preserving its total.

:func:`split_groups_like` splits with a *standard* instead: the official single-year
counts of a larger population at the same date (Germany, or the Land), so that birth
troughs and peaks inside a group (1945/46, the 1990s) are kept. Each group's single years
are proportional to the standard's single years in that group, scaled to the group total.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import AgeRangeError, EngineValueError, as_float_array, check_non_negative

__all__ = ["split_groups", "split_groups_like"]

F64 = NDArray[np.float64]


def _pchip_slopes(x: F64, y: F64) -> F64:
    """PCHIP derivatives at the knots ``x`` of rows ``y [..., K+1]``."""
    h = np.diff(x)
    delta = np.diff(y, axis=-1) / h
    d = np.zeros_like(y)
    w1 = 2 * h[1:] + h[:-1]
    w2 = h[1:] + 2 * h[:-1]
    dl, dr = delta[..., :-1], delta[..., 1:]
    ok = (dl > 0) & (dr > 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        harm = (w1 + w2) / (w1 / dl + w2 / dr)
    d[..., 1:-1] = np.where(ok, harm, 0.0)
    d[..., 0] = delta[..., 0]
    d[..., -1] = delta[..., -1]
    return d


def split_groups(
    counts: ArrayLike,
    bounds: ArrayLike,
    *,
    open_to: int = 100,
    open_weights: ArrayLike | None = None,
) -> F64:
    """Split counts by age group into single years of age.

    Parameters
    ----------
    counts : array_like, shape ``[..., K]``
        Persons per group; the last group is open (``bounds[-1]`` and older).
    bounds : array_like, shape ``[K]``
        First age of each group, increasing, starting at 0 (e.g. ``0, 3, 6, 10, ..., 75``).
    open_to : int
        Single years are produced for ages ``0 .. open_to - 1`` plus the open group
        ``open_to``+ (default 100).
    open_weights : array_like, shape ``[open_to - bounds[-1] + 1]``, optional
        Relative weights for spreading the open group over ages ``bounds[-1] ..
        open_to`` (last = ``open_to``+). Default: the stationary population of a
        constant hazard of 0.1 per year (weights ``0.9**k``, last the geometric tail).

    Returns
    -------
    ndarray, shape ``[..., open_to + 1]``
        Persons by single year of age; sums per group equal ``counts``.
    """
    c = as_float_array("counts", counts)
    check_non_negative("counts", c)
    b = as_float_array("bounds", bounds)
    if b.ndim != 1 or b.size != c.shape[-1] or b[0] != 0 or (np.diff(b) <= 0).any():
        raise EngineValueError(
            "bounds",
            f"need {c.shape[-1]} increasing integer ages starting at 0; got {b.tolist()}",
            "give the first age of every group, e.g. [0, 3, 6, 10, 15, ...]",
        )
    top = int(b[-1])
    if open_to < top:
        raise AgeRangeError(
            "open_to", f"{open_to} is below the open group's start {top}", f"use open_to >= {top}"
        )
    n_tail = open_to - top + 1
    if open_weights is None:
        w = 0.9 ** np.arange(n_tail)
        w[-1] = w[-1] / (1 - 0.9)
    else:
        w = as_float_array("open_weights", open_weights)
        check_non_negative("open_weights", w)
        if w.shape != (n_tail,) or w.sum() <= 0:
            raise EngineValueError(
                "open_weights",
                f"need {n_tail} non-negative weights, not all 0",
                f"give weights for ages {top}..{open_to}+",
            )
    knots = b.astype(np.float64)
    cum = np.concatenate([np.zeros((*c.shape[:-1], 1)), np.cumsum(c[..., :-1], axis=-1)], axis=-1)
    d = _pchip_slopes(knots, cum)
    ages = np.arange(top + 1, dtype=np.float64)
    k = np.clip(np.searchsorted(knots, ages, side="right") - 1, 0, knots.size - 2)
    h = knots[k + 1] - knots[k]
    t = (ages - knots[k]) / h
    h00, h10 = 2 * t**3 - 3 * t**2 + 1, t**3 - 2 * t**2 + t
    h01, h11 = -2 * t**3 + 3 * t**2, t**3 - t**2
    curve = (
        h00 * cum[..., k] + h10 * h * d[..., k] + h01 * cum[..., k + 1] + h11 * h * d[..., k + 1]
    )
    single = np.maximum(np.diff(curve, axis=-1), 0.0)
    # restore exact group totals (guards against rounding at the knots)
    group = np.searchsorted(knots, np.arange(top), side="right") - 1
    sums = np.zeros((*c.shape[:-1], knots.size - 1))
    np.add.at(np.moveaxis(sums, -1, 0), group, np.moveaxis(single, -1, 0))
    factor = np.divide(c[..., :-1], sums, out=np.zeros_like(sums), where=sums > 0)
    single = single * factor[..., group]
    tail = c[..., -1:] * (w / w.sum())
    return np.concatenate([single, tail], axis=-1)


def split_groups_like(
    counts: ArrayLike, bounds: ArrayLike, standard: ArrayLike, *, tilt: bool = False
) -> F64:
    """Split counts by age group into single years in proportion to a standard.

    Parameters
    ----------
    counts : array_like, shape ``[..., K]``
        Persons per group; the last group is open (``bounds[-1]`` and older).
    bounds : array_like, shape ``[K]``
        First age of each group, increasing, starting at 0.
    standard : array_like, shape ``[..., N]`` (broadcast against ``counts[..., :1]``)
        Persons by single year of age ``0 .. N-2`` and the open group ``N-1``+ of the
        reference population (e.g. the Land at the same date); ``N - 1 >= bounds[-1]``.
    tilt : bool
        Tilt the standard within each closed group by the ratio of the smooth splits
        (:func:`split_groups`) of ``counts`` and of the standard's group totals: an area
        with relatively more 60–64-year-olds than the standard then also gets relatively
        more 65–66- than 73–74-year-olds. The open group is not tilted.

    Returns
    -------
    ndarray, shape ``[..., N]``
        Persons by single year of age; the sums over each group equal ``counts`` exactly.
        Within a group where the standard has nobody, the group is spread evenly over its
        single years (the open group: all in its first year).
    """
    c = as_float_array("counts", counts)
    check_non_negative("counts", c)
    std = as_float_array("standard", standard)
    check_non_negative("standard", std)
    b = as_float_array("bounds", bounds)
    if b.ndim != 1 or b.size != c.shape[-1] or b[0] != 0 or (np.diff(b) <= 0).any():
        raise EngineValueError(
            "bounds",
            f"need {c.shape[-1]} increasing integer ages starting at 0; got {b.tolist()}",
            "give the first age of every group, e.g. [0, 3, 6, 10, 15, ...]",
        )
    n = std.shape[-1]
    if n - 1 < b[-1]:
        raise AgeRangeError(
            "standard",
            f"covers ages 0..{n - 1} only, the open group starts at {int(b[-1])}",
            f"give a standard with at least {int(b[-1]) + 1} ages",
        )
    group = np.searchsorted(b, np.arange(n), side="right") - 1  # [N] group of each age
    shape = np.broadcast_shapes(c.shape[:-1], std.shape[:-1])
    std_b = np.broadcast_to(std, (*shape, n))
    onehot = (group[:, None] == np.arange(b.size)[None, :]).astype(np.float64)  # [N, K]
    sums = std_b @ onehot  # the standard's group totals [..., K]
    if tilt:
        own = split_groups(c, b, open_to=n - 1)
        ref = split_groups(sums, b, open_to=n - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where((ref > 0) & (own > 0), own / ref, 1.0)
        ratio[..., int(b[-1]) :] = 1.0
        std_b = std_b * ratio
        sums = std_b @ onehot
    width = onehot.sum(axis=0)
    even = 1.0 / width[group]  # fallback: evenly within a closed group ...
    top = int(b[-1])
    even[group == b.size - 1] = 0.0
    even[top] = 1.0  # ... and the open group at its first age
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(sums[..., group] > 0, std_b / sums[..., group], even)
    return np.broadcast_to(c, (*shape, b.size))[..., group] * share
