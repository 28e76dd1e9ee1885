"""Probabilistic projection: many trajectories with parameter and demographic noise.

Each trajectory ``i`` draws once (seeded, reproducible)

* a fertility level factor ``exp(tfr_cv * z1)`` (lognormal, median 1),
* a life-expectancy shift ``e0_sd * z2`` years (both sexes; hazards are scaled
  by the factor ``k`` that reaches the shifted e0, see :mod:`.lifetable`),
* a migration level factor ``exp(migration_cv * z3)``,

and in every step demographic noise: births ``~ Poisson``, girls ``~ Binomial(B,
1/(1+srb))``, deaths ``~ Binomial(persons, 1 - S)`` per cell, newborn deaths
``~ Binomial``; each migration flow's total per area ``~ Poisson`` (signed for net
counts), distributed over sex and age by its expected profile.

Arrays are ``[trajectory, area, sex, age]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .ages import FEMALE, AgeGrid
from .errors import EngineValueError
from .lifetable import e0_from_survival, scale_mortality
from .projection import (
    ProjectionInputs,
    _death_weights,
    _fertile_slice,
    _idx,
    _Recorder,
    _step_migration,
)
from .sampling import BinomialProbs, binomial, prepare

__all__ = ["TrajectoryResult", "Uncertainty", "project_trajectories"]

F64 = NDArray[np.float64]
FA = NDArray[np.floating[Any]]  # float32 trajectory state
QUANTILES = (0.1, 0.5, 0.9)
#: Planning age bands ``[lo, hi)`` for quantiles of age groups (Kita U3, Kita 3-6,
#: primary, secondary, training, working ages, retirement, old age).
PLANNING_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 3),
    (3, 6),
    (6, 10),
    (10, 16),
    (16, 19),
    (19, 25),
    (25, 45),
    (45, 65),
    (65, 80),
    (80, None),
)


def band_matrix(grid: AgeGrid, bands: tuple[tuple[int, int | None], ...] | None) -> F64:
    """0/1 matrix ``[G, B]`` summing age groups into ``bands`` (default: planning bands,
    or every group of a 5-year grid)."""
    if bands is None:
        if grid.width != 1:
            return np.eye(grid.n)
        bands = PLANNING_BANDS
    return np.stack([grid.mask(lo, hi) for lo, hi in bands], axis=1).astype(np.float64)


@dataclass(frozen=True)
class Uncertainty:
    """Parameter uncertainty per trajectory (all default to none).

    Parameters
    ----------
    tfr_cv : float
        Log-scale SD of the fertility level (0.1 = about ±10 %).
    e0_sd : float
        SD of the life-expectancy shift in years.
    migration_cv : float
        Log-scale SD of the migration level.
    demographic : bool
        Draw births, deaths and migrants at random (else only parameter noise).
    """

    tfr_cv: float = 0.0
    e0_sd: float = 0.0
    migration_cv: float = 0.0
    demographic: bool = True

    def __post_init__(self) -> None:
        for name in ("tfr_cv", "e0_sd", "migration_cv"):
            val = getattr(self, name)
            if not np.isfinite(val) or val < 0:
                raise EngineValueError(
                    f"uncertainty.{name}",
                    f"must be >= 0; got {val}",
                    "give a standard deviation (0 = no uncertainty)",
                )


@dataclass(frozen=True)
class TrajectoryResult:
    """Quantiles over trajectories.

    Attributes
    ----------
    totals : ndarray, shape ``[N, T+1, A]``
        Total population of every trajectory.
    total_quantiles : ndarray, shape ``[Q, T+1, A]``
    age_quantiles : ndarray, shape ``[Q, T+1, A, B]``
        Quantiles of the persons (both sexes) in each age band.
    bands : tuple of (int, int or None)
        The ``B`` age bands ``[lo, hi)``.
    factors : dict of str to ndarray ``[N]``
        The drawn ``tfr_factor``, ``e0_shift`` and ``migration_factor``.
    """

    grid: AgeGrid
    years: NDArray[np.int64]
    quantiles: tuple[float, ...]
    totals: F64
    total_quantiles: F64
    age_quantiles: F64
    factors: dict[str, F64]
    bands: tuple[tuple[int, int | None], ...] = ()
    area_ids: tuple[str, ...] = ()


def _mortality_factors(s: F64, width: int, shift: F64) -> F64:
    """Hazard factors ``k [T|1, N, A|1, 2]`` reaching ``e0 + shift`` (interpolated on a grid)."""
    log_k = np.linspace(-2.5, 2.5, 161)
    e0_grid = e0_from_survival(scale_mortality(s[..., None, :], np.exp(log_k)), width)
    e0_grid = e0_grid[:, None]  # [T|1, 1, A|1, 2, K], decreasing in k
    target = e0_from_survival(s, width)[:, None] + shift[None, :, None, None]  # [T, N, A, 2]
    above = (e0_grid > target[..., None]).sum(axis=-1)  # grid points with e0 > target
    hi = np.clip(above, 1, log_k.size - 1)
    e_lo = np.take_along_axis(
        np.broadcast_to(e0_grid, (*target.shape, log_k.size)), (hi - 1)[..., None], axis=-1
    )[..., 0]
    e_hi = np.take_along_axis(
        np.broadcast_to(e0_grid, (*target.shape, log_k.size)), hi[..., None], axis=-1
    )[..., 0]
    frac = np.clip((e_lo - target) / np.where(e_lo > e_hi, e_lo - e_hi, 1.0), 0.0, 1.0)
    return np.exp(log_k[hi - 1] + frac * (log_k[hi] - log_k[hi - 1]))


def _banded(pop: FA, band_m: FA) -> FA:
    """Persons by band ``[A, B, N]`` from ``pop [N, A, 2, G]`` (both sexes; one matrix
    product in the dtype of ``pop``)."""
    by_sex = pop @ band_m  # [N, A, 2, B]
    return np.moveaxis(by_sex[:, :, 0] + by_sex[:, :, 1], 0, -1)


def _quantiles(x: F64, q: NDArray[np.float64]) -> F64:
    """Quantiles over the last axis (linear interpolation, as ``np.quantile``), ``[Q, ...]``."""
    xs = np.sort(x, axis=-1)
    h = (x.shape[-1] - 1) * q
    lo = np.floor(h).astype(np.int64)
    hi = np.minimum(lo + 1, x.shape[-1] - 1)
    frac = (h - lo).reshape(-1, *([1] * (x.ndim - 1)))
    a, b = np.moveaxis(xs[..., lo], -1, 0), np.moveaxis(xs[..., hi], -1, 0)
    return np.asarray(a + frac * (b - a))


def _draw_factors(rng: np.random.Generator, n: int, unc: Uncertainty) -> dict[str, F64]:
    z = rng.standard_normal((3, n))
    return {
        "tfr_factor": np.exp(unc.tfr_cv * z[0]),
        "e0_shift": unc.e0_sd * z[1],
        "migration_factor": np.exp(unc.migration_cv * z[2]),
    }


class _Flows(_Recorder):
    """Keeps each expected flow as given: ``[A|1, 2, G]`` (no trajectory axis) or, for
    out-migration, ``[N, A, 2, G]``; the trajectory axis is added only once, by the draw."""

    def __init__(self) -> None:
        super().__init__((1, 1, 1, 1), by_age=True)
        self.flows: list[tuple[str, F64]] = []

    def add(self, name: str, t: int, values: F64) -> None:
        """Record one expected flow."""
        del t
        self.flows.append((name, values))


def _noisy_flows(
    rng: np.random.Generator, flows: _Flows, factor: F64, demographic: bool, scale: float = 1.0
) -> tuple[FA | None, bool]:
    """Sum of the step's migration flows ``[N, A, 2, G]`` (float32) with Poisson totals,
    times ``scale``; and whether any of it may be negative (out-migration)."""
    total: FA | None = None
    negative = False
    f32 = factor.astype(np.float32) * np.float32(scale)
    for name, arr in flows.flows:
        sign_out = -1.0 if name == "out" else 1.0
        base = arr.astype(np.float32)
        has_negative = bool((base < 0).any())
        negative = negative or sign_out < 0 or has_negative
        if not demographic:
            flow = sign_out * base * f32[:, None, None, None]
            total = flow if total is None else total + flow
            continue
        for sign in (1.0, -1.0) if has_negative else (1.0,):
            part = np.maximum(sign * base, 0.0)
            tot = part.sum(axis=(-2, -1), dtype=np.float64)  # [A|1] or [N, A]
            lam = tot * factor[:, None]  # [N, A|1]
            draw = rng.poisson(lam)
            tot_b = np.broadcast_to(tot, lam.shape)
            share = np.divide(draw, tot_b, out=np.zeros_like(lam), where=tot_b > 0) * scale
            flow = part * (sign * sign_out * share).astype(np.float32)[..., None, None]
            total = flow if total is None else total + flow
    return total, negative


def _expected_flows(inp: ProjectionInputs, t: int, pop: FA) -> _Flows:
    """Expected migration flows of step ``t`` (see :class:`_Flows`)."""
    flows = _Flows()
    _step_migration(inp, t, pop, flows)
    return flows


def project_trajectories(
    inputs: ProjectionInputs,
    n_trajectories: int,
    *,
    uncertainty: Uncertainty | None = None,
    seed: int | list[int] = 0,
    quantiles: tuple[float, ...] = QUANTILES,
    bands: tuple[tuple[int, int | None], ...] | None = None,
) -> TrajectoryResult:
    """Project ``n_trajectories`` random trajectories of all areas.

    Parameters
    ----------
    inputs : ProjectionInputs
        The deterministic inputs (expected values).
    n_trajectories : int
        ``N``.
    uncertainty : Uncertainty, optional
        Parameter uncertainty; default: demographic noise only.
    seed : int or list of int
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same result.
    quantiles : tuple of float
        Quantile levels, default 10/50/90 %.
    bands : tuple of (lo, hi), optional
        Age bands for ``age_quantiles`` (default :data:`PLANNING_BANDS`).
    """
    if n_trajectories < 1:
        raise EngineValueError(
            "trajectories", f"must be >= 1; got {n_trajectories}", "ask for at least one trajectory"
        )
    unc = uncertainty or Uncertainty()
    rng = np.random.default_rng(seed)
    inp, g = inputs, inputs.grid
    n_t, n_a = n_trajectories, inputs.n_areas
    factors = _draw_factors(rng, n_t, unc)
    k = _mortality_factors(inp.survival, g.width, factors["e0_shift"]) if unc.e0_sd else None
    # state in float32: integer counts are exact below 16.7 million per cell, and half the
    # memory traffic makes the 25-step run of 1,000 trajectories about twice as fast
    pop = np.empty((n_t, n_a, 2, g.n), dtype=np.float32)  # C order: steps shift flat rows
    pop[...] = np.rint(inp.population)
    totals = np.empty((n_t, inp.steps + 1, n_a))
    band_m = band_matrix(g, bands).astype(np.float32)
    # the bands cover every age once: totals are their sums (no extra pass over the state)
    complete = bool(np.array_equal(band_m.sum(axis=1), np.ones(g.n)))
    # trajectories last: quantiles sort contiguous rows
    cells = np.empty((inp.steps + 1, n_a, band_m.shape[1], n_t))
    cells[0] = _banded(pop, band_m)
    half = 0.5 if inp.migration_timing == "even" else 0.0
    surv_cache: dict[tuple[int, int], tuple[FA, FA, BinomialProbs]] = {}
    for t in range(inp.steps):
        key = (_idx(inp.survival, t), 0 if k is None else _idx(k, t))
        if key not in surv_cache:  # survival and death probabilities change only with inputs
            surv_cache.clear()
            s = inp.survival[key[0]][None].astype(np.float32)  # [1, A|1, 2, G]
            if k is not None:
                s = scale_mortality(s, k[key[1]].astype(np.float32))  # [N, A|1, 2, G]
            w = _death_weights(s)
            surv_cache[key] = (s, w, prepare(w, np.float32))
        s, w, w_probs = surv_cache[key]
        mig, negative = _noisy_flows(
            rng,
            _expected_flows(inp, t, pop),
            factors["migration_factor"],
            unc.demographic,
            half or 1.0,
        )
        pop = _stochastic_step(
            rng,
            inp,
            t,
            pop,
            (s, w, w_probs),
            (mig, negative),
            half,
            factors["tfr_factor"],
            unc.demographic,
        )
        cells[t + 1] = _banded(pop, band_m)
        totals[:, t + 1] = (
            cells[t + 1].sum(axis=1).T if complete else pop.sum(axis=(2, 3), dtype=np.float64)
        )
    totals[:, 0] = np.rint(inp.population).sum(axis=(1, 2))
    q = np.asarray(quantiles)
    return TrajectoryResult(
        grid=g,
        years=inp.start_year + g.width * np.arange(inp.steps + 1),
        quantiles=tuple(quantiles),
        totals=totals,
        total_quantiles=_quantiles(np.moveaxis(totals, 0, -1), q),
        age_quantiles=_quantiles(cells, q),
        factors=factors,
        bands=tuple(
            bands
            or (PLANNING_BANDS if g.width == 1 else ((int(a), int(a) + g.width) for a in g.starts))
        ),
        area_ids=inp.area_ids,
    )


def _stochastic_step(  # noqa: PLR0917 - private kernel, called once
    rng: np.random.Generator,
    inp: ProjectionInputs,
    t: int,
    pop: FA,
    s_w: tuple[FA, FA, BinomialProbs],
    mig_neg: tuple[FA | None, bool],
    half: float,
    tfr_factor: F64,
    demographic: bool,
) -> FA:
    """One step for ``[N, A, 2, G]``; returns the new population.

    ``mig_neg``: the migrants (already halved for ``"even"`` timing) and whether any cell of
    them may be negative (then, and with demographic noise, negative cells are set to 0).
    """
    n = inp.grid.width
    s, w, w_probs = s_w
    mig, negative = mig_neg
    px: FA = pop
    if mig is not None and half:
        px = pop + mig
        if negative:
            np.maximum(px, 0.0, out=px)
    deaths = binomial(rng, px, w_probs) if demographic else px * w
    # survivors move up one age: a shift by one element of the flat, contiguous block
    # (the element shifted into age 0 of the next row is overwritten below)
    new = np.empty(pop.shape, dtype=pop.dtype)
    np.subtract(px.reshape(-1)[:-1], deaths.reshape(-1)[:-1], out=new.reshape(-1)[1:])
    new[..., -1] += px[..., -1] - deaths[..., -1]
    new[..., 0] = 0.0
    if mig is not None and half:
        new += mig
    f = inp.fertility[_idx(inp.fertility, t)]  # [A|1, G]
    fs = _fertile_slice(inp)
    women = px[..., FEMALE, fs] + np.maximum(new[..., FEMALE, fs], 0.0)
    expected = (
        (0.5 * n)
        * (women @ f[:, fs, None].astype(np.float32))[..., 0].astype(np.float64)
        * tfr_factor[:, None]
        if f.shape[0] == 1
        else (0.5 * n) * (women * f[:, fs]).sum(axis=-1, dtype=np.float64) * tfr_factor[:, None]
    )
    srb_all = np.asarray(inp.sex_ratio_at_birth)
    srb = srb_all[_idx(srb_all, t)]
    s0 = np.broadcast_to(s[..., 0], (*expected.shape, 2))
    if demographic:
        births = rng.poisson(expected).astype(np.float64)
        girls = rng.binomial(births.astype(np.int64), 1.0 / (1.0 + srb)).astype(np.float64)
        b_sex = np.stack([girls, births - girls], axis=-1)
        alive = b_sex - binomial(rng, b_sex, 1.0 - s0.astype(np.float64))
    else:
        b_sex = np.stack([expected / (1.0 + srb), expected * srb / (1.0 + srb)], axis=-1)
        alive = b_sex * s0
    new[..., 0] += alive
    if mig is not None and not half:
        new += mig
    # binomial deaths of rint(px) may exceed a fractional px by < 1 person: clip those, too
    return np.maximum(new, 0.0, out=new) if negative or demographic else new
