"""Deterministic cohort-component projection, vectorised over areas.

One step of ``n`` years (``n`` = group width) for every area at once:

1. ``timing="even"``: half of the step's migrants ``M`` join at the start,
   ``px = P + M/2`` (``"end"``: ``px = P``).
2. Survivors: ``Pz[g] = px[g-1] * S[g]`` for closed groups, open group
   ``Pz[G-1] = (px[G-2] + px[G-1]) * S[G-1]``; deaths are what is missing.
3. ``"even"``: the other half ``M/2`` joins at the end, by age at the end.
4. Births: ``B = n * sum_a f[a] * (pf_start[a] + pf_end[a]) / 2`` (female
   population at start and end of the step), boys ``B*srb/(1+srb)``; newborn alive
   at the end ``= B_sex * S[0]``.
5. ``"end"``: all of ``M`` is added now (it did not affect births or deaths).
6. Negative cells are set to 0 and the persons added are reported in
   ``clipped`` (and as realised migration), so that for every area, sex and step
   ``P(t+1) = P(t) + births - deaths + net_migration`` holds exactly.

This is the algorithm of Preston, Heuveline & Guillot (2001), *Demography*,
ch. 6 (Box 6.2), generalised to single years, many areas and three forms of
migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .ages import FEMALE, AgeGrid
from .inputs import ProjectionInputs, survival_from_tables, take_areas

__all__ = [
    "MIGRATION_COMPONENTS",
    "ProjectionInputs",
    "ProjectionResult",
    "project",
    "survival_from_tables",
    "take_areas",
]

F64 = NDArray[np.float64]
MIGRATION_COMPONENTS = ("net", "in", "out", "housing")


@dataclass(frozen=True)
class ProjectionResult:
    """Output of :func:`project`.

    Attributes
    ----------
    years : ndarray, shape ``[T+1]``
        Label of each stock: ``start_year + i * width``. Step ``i`` leads from stock
        ``years[i]`` to ``years[i+1]`` and is labelled ``years[i]`` (the stock it starts from;
        so are its flows and ``AddDwellings.from_year``). The engine attaches no date to a
        label; Ortswandel's builder dates stock ``Y`` at 31.12.Y, so step ``Y`` is the calendar
        year ``Y+1`` there (docs/engine.md, "Year labels").
    population : ndarray, shape ``[T+1, A, 2, G]``
        Persons in each stock ``years[i]``.
    births : ndarray, shape ``[T, A, 2]``
        Live births during each step by sex of the child.
    deaths : ndarray, shape ``[T, A, 2]`` (``[T, A, 2, G]`` with ``by_age``)
        Deaths during each step; by age group at the start of the step, deaths of
        children born during the step in group 0.
    migration : dict of str to ndarray
        Components ``"net"``, ``"in"``, ``"out"``, ``"housing"`` (only those used),
        persons per step, same shape as ``deaths``; ``"out"`` is positive.
    clipped : ndarray, same shape as ``deaths``
        Persons added to avoid negative populations (0 almost everywhere).
    clip_events : ndarray, shape ``[E, 5]``
        ``(step, area, sex, age group, persons added)`` of every clipped cell.
    """

    grid: AgeGrid
    years: NDArray[np.int64]
    population: F64
    births: F64
    deaths: F64
    migration: dict[str, F64]
    clipped: F64
    clip_events: F64
    area_ids: tuple[str, ...] = ()

    @property
    def net_migration(self) -> F64:
        """Realised net migration per step (all components plus ``clipped``)."""
        total = self.clipped.copy()
        for name, arr in self.migration.items():
            total += -arr if name == "out" else arr
        return total

    def totals(self) -> F64:
        """Total population ``[T+1, A]``."""
        return np.asarray(self.population.sum(axis=(2, 3)))

    def accounting_residual(self) -> F64:
        """``P(t+1) - P(t) - births + deaths - net_migration`` per ``[T, A, 2]`` (≈ 0)."""
        pop = self.population.sum(axis=3)
        deaths, net = self.deaths, self.net_migration
        if deaths.ndim == 4:
            deaths, net = deaths.sum(axis=3), net.sum(axis=3)
        return np.asarray(pop[1:] - pop[:-1] - self.births + deaths - net)


class _Recorder:
    """Collects components per step, either by age or summed over age.

    ``arrays[name]`` has shape ``[T, A, 2(, G)]``; blocks of areas write into
    their slice ``[:, a0:a1]``.
    """

    def __init__(self, shape: tuple[int, ...], by_age: bool) -> None:
        self.by_age = by_age
        self.shape = shape if by_age else shape[:-1]
        self.arrays: dict[str, F64] = {}
        self.block = slice(0, shape[1])
        self.t0 = 0  # step of index 0 (the probabilistic mode records one step at a time)

    def add(self, name: str, t: int, values: F64) -> None:
        """Add ``values [A|1, 2, G]`` of the current block to ``name`` at step ``t``."""
        if name not in self.arrays:
            self.arrays[name] = np.zeros(self.shape)
        self.arrays[name][t - self.t0, self.block] += values if self.by_age else values.sum(axis=-1)


def _idx(arr: F64 | NDArray[np.float64], t: int) -> int:
    """Index on a step axis of length 1 or T."""
    return min(t, len(arr) - 1)


def _step_migration(
    inp: ProjectionInputs, t: int, pop: NDArray[np.floating[Any]], rec: _Recorder
) -> F64 | None:
    """Migrants of step ``t``, ``[A|1, 2, G]`` persons per step, recorded per component."""
    n = inp.grid.width
    ms = inp.migration_scale
    scale = None if ms is None else ms[_idx(ms, t)]
    parts: list[F64] = []

    def add(name: str, arr: F64) -> None:
        if scale is not None:
            arr = arr * scale[:, None, None]
        rec.add(name, t, arr)
        parts.append(-arr if name == "out" else arr)

    if inp.net_migration is not None:
        c = inp.net_migration.counts
        add("net", c[_idx(c, t)])
    if inp.gross_migration is not None:
        gm = inp.gross_migration
        rate = np.minimum(gm.out_rates[_idx(gm.out_rates, t)] * n, 1.0)
        add("out", rate * pop)
        tot = gm.in_total[_idx(gm.in_total, t)]
        add("in", (tot * n)[:, None, None] * gm.in_profile)
    if inp.housing is not None:
        ppy = inp.housing.persons_per_year()
        add("housing", (ppy[_idx(ppy, t)] * n)[:, None, None] * inp.housing.profile)
    if not parts:
        return None
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    return total


def _is_static_net(inp: ProjectionInputs) -> bool:
    """Only net counts, constant over steps: the migrants can be computed once."""
    return (
        inp.net_migration is not None
        and len(inp.net_migration.counts) == 1
        and inp.gross_migration is None
        and inp.housing is None
        and inp.migration_scale is None
    )


def _death_weights(s: NDArray[np.floating[Any]]) -> NDArray[np.floating[Any]]:
    """``1 - S`` aligned with the age at the start of the step, ``[.., 2, G]``."""
    w = np.empty_like(s)
    w[..., :-1] = 1.0 - s[..., 1:]
    w[..., -1] = 1.0 - s[..., -1]
    return w


@dataclass
class _Out:
    """Output arrays of a whole run; blocks write into area slices."""

    pop: F64
    births: F64
    deaths: F64
    clipped: F64
    rec: _Recorder
    events: list[F64]


def _clip(arr: F64, t: int, out: _Out, a0: int) -> None:
    """Set negative cells of ``arr [A, 2, G]`` (areas from ``a0``) to 0, record them."""
    if arr.min() >= 0:
        return
    idx = np.nonzero(arr < 0)
    added = -arr[idx]
    by_age = out.clipped.ndim == 4
    np.add.at(out.clipped[t], (idx[0] + a0, *idx[1:]) if by_age else (idx[0] + a0, idx[1]), added)
    out.events.append(np.column_stack([np.full(added.size, t), idx[0] + a0, idx[1], idx[2], added]))
    arr[idx] = 0.0


def _block_migration(
    inp: ProjectionInputs, out: _Out, t: int, half: float, cache: list[F64]
) -> F64 | None:
    """Migrants of step ``t`` (halved for ``"even"``), computed once if constant."""
    if cache:
        for arr in out.rec.arrays.values():
            arr[t, out.rec.block] = arr[0, out.rec.block]
        return cache[0]
    mig = _step_migration(inp, t, out.pop[t, out.rec.block], out.rec)
    if mig is not None and half:
        mig = mig * half
    if mig is not None and _is_static_net(inp):
        cache.append(mig)
    return mig


def _may_be_negative(mig: F64 | None, cache: list[F64]) -> bool:
    """False if no cell can become negative (no migrants leave)."""
    if mig is None:
        return False
    if cache and mig is cache[0]:
        if len(cache) == 1:
            cache.append(np.asarray(mig.min() < 0))
        return bool(cache[1])
    return True


def _births(inp: ProjectionInputs, t: int, px: F64, p_end: F64, fs: slice) -> F64:
    """Births ``[A, 2]`` (girls, boys) during step ``t`` from women at start and end."""
    srb_all = np.asarray(inp.sex_ratio_at_birth)  # always [T|1, A|1] after validation
    srb = srb_all[_idx(srb_all, t)]
    f = inp.fertility[_idx(inp.fertility, t)]
    women = px[:, FEMALE, fs] + p_end[:, FEMALE, fs]
    n = inp.grid.width
    if f.shape[0] == 1:
        b_total = 0.5 * n * (women @ f[0, fs])
    else:
        b_total = 0.5 * n * np.einsum("ag,ag->a", women, f[:, fs])
    return np.stack([b_total / (1.0 + srb), b_total * srb / (1.0 + srb)], axis=-1)


def _survive(px: F64, s: F64, p_end: F64, full: dict[int, F64], key: int) -> None:
    """``p_end[g] = px[g-1] * S[g]``, open group ``+= px[-1] * S[-1]``; ``p_end[..., 0]`` is
    left undefined. Works on the flat contiguous block (a shift by one element), which is
    much faster than strided slices; ``full`` caches ``S`` broadcast to the block."""
    if s.shape != px.shape:
        if key not in full:
            full.clear()
            full[key] = np.ascontiguousarray(np.broadcast_to(s, px.shape))
        s_full = full[key]
    else:
        s_full = np.ascontiguousarray(s)
    np.multiply(px.reshape(-1)[:-1], s_full.reshape(-1)[1:], out=p_end.reshape(-1)[1:])
    p_end[..., -1] += px[..., -1] * s[..., -1]


def _deaths_total(px: F64, w: NDArray[np.floating[Any]]) -> F64:
    """Deaths ``[A, 2]`` = sum over age of ``px * w`` (matrix-vector products if shared)."""
    if w.shape[0] == 1:
        return np.stack([px[:, 0] @ w[0, 0], px[:, 1] @ w[0, 1]], axis=-1)
    return np.einsum("asg,asg->as", px, w)


def _fertile_slice(inp: ProjectionInputs) -> slice:
    ages = np.flatnonzero(inp.fertility.reshape(-1, inp.grid.n).any(axis=0))
    return slice(ages[0], ages[-1] + 1) if ages.size else slice(0, 0)


def _project_block(inp: ProjectionInputs, out: _Out, a0: int) -> None:
    """Project the areas ``a0 : a0 + inp.n_areas`` (``inp`` already restricted to them)."""
    blk = slice(a0, a0 + inp.n_areas)
    out.rec.block = blk
    by_age = out.rec.by_age
    pop, deaths = out.pop[:, blk], out.deaths[:, blk]
    pop[0] = inp.population
    half = 0.5 if inp.migration_timing == "even" else 0.0
    fs = _fertile_slice(inp)
    cache: list[F64] = []
    px_buf = np.empty_like(inp.population)
    s_full: dict[int, F64] = {}
    for t in range(inp.steps):
        p_start, p_end = pop[t], pop[t + 1]
        s = inp.survival[_idx(inp.survival, t)]
        mig = _block_migration(inp, out, t, half, cache)
        px = p_start
        check = _may_be_negative(mig, cache)
        if mig is not None and half:
            px = np.add(p_start, mig, out=px_buf)
            if check:
                _clip(px, t, out, a0)
        _survive(px, s, p_end, s_full, _idx(inp.survival, t))
        w = _death_weights(s)
        deaths[t] = px * w if by_age else _deaths_total(px, w)
        # Age 0 is left undefined by _survive (np.empty memory): define it before adding
        # migration, or garbage NaN/inf there raises "invalid value" (it was overwritten after).
        p_end[..., 0] = 0.0
        if mig is not None and half:
            p_end += mig
        b_sex = _births(inp, t, px, p_end, fs)
        out.births[t, blk] = b_sex
        alive = b_sex * s[:, :, 0]
        p_end[..., 0] += alive
        (deaths[t][..., 0] if by_age else deaths[t])[...] += b_sex - alive
        if mig is not None and not half:
            p_end += mig
        if check:
            _clip(p_end, t, out, a0)


#: Areas per block: the working set of a block stays in the CPU cache.
DEFAULT_BLOCK = 1024


def project(
    inputs: ProjectionInputs, *, by_age: bool = False, block: int = DEFAULT_BLOCK
) -> ProjectionResult:
    """Run the cohort-component projection for all areas at once.

    Parameters
    ----------
    inputs : ProjectionInputs
        Validated inputs; ``A`` areas, ``T`` steps, ``G`` age groups.
    by_age : bool
        Keep deaths and migration components by age group (``[T, A, 2, G]``)
        instead of summed over age (``[T, A, 2]``).
    block : int
        Areas processed together. Every block is vectorised over its areas; blocks
        keep the working arrays in the CPU cache (results do not depend on it).

    Returns
    -------
    ProjectionResult
    """
    g, inp = inputs.grid, inputs
    t_steps, a = inp.steps, inp.n_areas
    rec = _Recorder((t_steps, a, 2, g.n), by_age)
    out = _Out(
        pop=np.empty((t_steps + 1, a, 2, g.n)),
        births=np.zeros((t_steps, a, 2)),
        deaths=np.zeros(rec.shape),
        clipped=np.zeros(rec.shape),
        rec=rec,
        events=[],
    )
    block = max(1, int(block))
    for a0 in range(0, a, block):
        sub = inp if a <= block else take_areas(inp, np.arange(a0, min(a, a0 + block)))
        _project_block(sub, out, a0)
    return ProjectionResult(
        grid=g,
        years=inp.start_year + g.width * np.arange(t_steps + 1),
        population=out.pop,
        births=out.births,
        deaths=out.deaths,
        migration=rec.arrays,
        clipped=out.clipped,
        clip_events=np.concatenate(out.events) if out.events else np.zeros((0, 5)),
        area_ids=inp.area_ids,
    )
