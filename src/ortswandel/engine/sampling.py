"""Fast vectorised random draws for the probabilistic projection.

NumPy's ``Generator.binomial`` costs ~100 ns per cell with varying ``n`` and
``p``; a projection of 1,000 trajectories x 202 cells x 25 years needs 5 million
draws per run. :func:`binomial` draws exactly by inversion of the CDF from one
uniform per cell (cells with a large variance use the normal approximation with
continuity correction, whose error is negligible there).

Everything that depends on the probabilities only (the complement for ``q > 0.5``,
``log(1 - q)``, the variance threshold) is computed once by :func:`prepare` and reused
in every step in which the probabilities do not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["BinomialProbs", "binomial", "prepare"]

FA = NDArray[np.floating[Any]]

#: Cells with n*q*(1-q) above this use the normal approximation.
NORMAL_ABOVE_VARIANCE = 9.0


@dataclass(frozen=True)
class BinomialProbs:
    """Probabilities prepared for :func:`binomial` (see :func:`prepare`).

    Attributes
    ----------
    q : ndarray
        ``min(q, 1 - q)`` (the drawn probability, at most 0.5), leading axes of length 1
        dropped.
    log1m : ndarray
        ``log(1 - q)``: ``P(X = 0) = exp(n * log1m)``.
    big_n : ndarray
        Trials above which a cell uses the normal approximation (variance > 9).
    flip : ndarray of bool or None
        Cells whose original probability was > 0.5 (the draw is ``n - X``).
    """

    q: FA
    log1m: FA
    big_n: FA
    flip: NDArray[np.bool_] | None


def prepare(q: FA, dtype: type[np.floating[Any]] = np.float64) -> BinomialProbs:
    """Prepare probabilities ``q`` (values in ``[0, 1]``, clipped) for :func:`binomial`."""
    qc = np.clip(np.asarray(q, dtype=dtype), 0.0, 1.0)
    while qc.ndim > 1 and qc.shape[0] == 1:
        qc = qc[0]
    flip = qc > 0.5  # draw the complement: fewer steps up the pmf
    qs = np.where(flip, 1.0 - qc, qc).astype(dtype)
    with np.errstate(divide="ignore"):
        big_n = np.asarray(NORMAL_ABOVE_VARIANCE / (qs * (1.0 - qs)), dtype=dtype)
    return BinomialProbs(qs, np.log1p(-qs).astype(dtype), big_n, flip if flip.any() else None)


def binomial(rng: np.random.Generator, n: FA, q: FA | BinomialProbs) -> FA:
    """Draw ``Binomial(n, q)`` for every cell (``n`` rounded to integers, ``q`` broadcasts).

    Parameters
    ----------
    rng : numpy.random.Generator
    n : ndarray
        Trials (persons), >= 0.
    q : ndarray or BinomialProbs
        Probability per trial in ``[0, 1]``, broadcastable to ``n`` (usually much
        smaller, e.g. ``[2, G]``: the per-probability work is done on ``q``'s shape),
        or the same prepared once with :func:`prepare`.

    Returns
    -------
    ndarray
        Integer-valued draws, shape and float dtype (32 or 64 bit) of ``n``.
    """
    dt = np.float32 if n.dtype == np.float32 else np.float64  # float32 halves memory traffic
    p = q if isinstance(q, BinomialProbs) else prepare(q, dt)
    n_int = np.rint(n)
    u = rng.random(n.shape, dtype=dt)
    big = n_int > p.big_n
    p0 = np.multiply(n_int, p.log1m, dtype=dt)
    np.exp(p0, out=p0)  # P(X = 0)
    out = np.zeros(n.shape, dtype=dt)
    flat_out, flat_n = out.reshape(-1), n_int.reshape(-1)
    walk = np.greater(u, p0)
    walk &= ~big
    todo = np.flatnonzero(walk)
    if todo.size:
        flat_out[todo] = _invert(
            flat_n[todo], _take(p.q, n.shape, todo), u.reshape(-1)[todo], p0.reshape(-1)[todo]
        )
    ib = np.flatnonzero(big)
    if ib.size:
        nb, qb = flat_n[ib], _take(p.q, n.shape, ib)
        z = rng.standard_normal(ib.size, dtype=dt)
        draw = np.rint(nb * qb + np.sqrt(nb * qb * (1.0 - qb)) * z)
        flat_out[ib] = np.minimum(np.maximum(draw, 0.0), nb)
    if p.flip is not None:
        _complement(out, n_int, p.flip)
    return out


def _complement(out: FA, n_int: FA, flip: NDArray[np.bool_]) -> None:
    """``out = n - out`` in the cells marked by ``flip`` (broadcast against ``out``)."""
    if flip.shape == out.shape:
        idx = np.flatnonzero(flip)
        flat_out, flat_n = out.reshape(-1), n_int.reshape(-1)
        flat_out[idx] = flat_n[idx] - flat_out[idx]
    elif 0 < flip.ndim < out.ndim and flip.shape == out.shape[out.ndim - flip.ndim :]:
        cols: tuple[Any, ...] = (Ellipsis, *np.nonzero(flip))  # the few flipped ages
        out[cols] = n_int[cols] - out[cols]
    else:
        np.copyto(out, n_int - out, where=np.broadcast_to(flip, out.shape))


def _take(small: FA, shape: tuple[int, ...], idx: NDArray[np.intp]) -> FA:
    """``np.broadcast_to(small, shape).reshape(-1)[idx]`` without materialising the broadcast."""
    while small.ndim > 1 and small.shape[0] == 1:
        small = small[0]
    if small.shape == shape:
        return small.reshape(-1)[idx]
    trailing = shape[len(shape) - small.ndim :] if small.ndim else ()
    if small.shape == trailing:
        return small.reshape(-1)[idx % max(small.size, 1)]
    return np.ascontiguousarray(np.broadcast_to(small, shape)).reshape(-1)[idx]


def _invert(n: FA, q: FA, u: FA, p0: FA) -> FA:
    """Smallest ``k`` with ``F(k) >= u`` for ``Binomial(n, q)``, i.e. ``#{k: F(k) < u}``.

    Requires ``q <= 0.5`` and ``u > F(0) = p0`` (so the count starts at 1). Walks up the
    pmf, all cells in step: ``p(k) = p(k-1) * ((n+1) r / k - r)`` with ``r = q/(1-q)``; a
    cell's count grows while ``F(k) < u`` (``F`` only increases, so finished cells stay
    finished). Whenever at most half of the cells are still walking, the others are dropped
    (one ``take`` of the state rows: much faster than boolean indexing).
    """
    m = n.size
    st = np.empty((6, m), dtype=np.float32)  # float32 halves the memory traffic
    a_a, a_r, a_u, a_p, a_c, count = st
    q32 = q.astype(np.float32)
    a_r[:] = q32 / (1.0 - q32)
    a_a[:] = (n.astype(np.float32) + 1.0) * a_r
    a_u[:], a_p[:], a_c[:], count[:] = u, p0, p0, 1.0
    # beyond mean + 12 sd (+10) the remaining probability is far below rounding error
    nq = n.astype(np.float64) * q
    k_max = int(np.ceil((nq + 12.0 * np.sqrt(nq * (1.0 - q)) + 10.0).max()))
    k_out = np.zeros(m, dtype=np.float32)
    pos = np.arange(m)
    t = np.empty(m, dtype=np.float32)
    below = np.empty(m, dtype=bool)
    for k in range(1, k_max + 1):
        np.multiply(a_a, np.float32(1.0 / k), out=t)
        t -= a_r
        a_p *= t
        a_c += a_p
        np.less(a_c, a_u, out=below)
        count += below
        n_below = int(np.count_nonzero(below))
        if n_below == 0:
            break
        if n_below <= pos.size // 2:
            keep = np.flatnonzero(below)
            k_out[pos] = count  # the cells still walking are written again later
            pos = pos[keep]
            st = st.take(keep, axis=1)
            a_a, a_r, a_u, a_p, a_c, count = st
            t, below = t[:n_below], below[:n_below]
    else:  # u above the float32 sum of the whole pmf (rounding; ~1e-7 per cell): the mean
        count[below] = np.rint((a_a / a_r - 1.0) * a_r / (1.0 + a_r))[below]
    k_out[pos] = count
    return np.minimum(k_out, n)
