"""Run a parsed scenario file: base, scenarios, infrastructure, budget, trajectories."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ortswandel.engine import (
    ProjectionResult,
    TrajectoryResult,
    budget,
    compare,
    project,
    project_trajectories,
)
from ortswandel.engine.budget import BudgetResult
from ortswandel.engine.infrastructure import (
    CapacityCheck,
    check_capacity,
    classes_needed,
    demand,
    pupils_by_grade,
    school_grades,
)
from ortswandel.engine.scenarios import Comparison
from ortswandel.engine.stochastic import PLANNING_BANDS

from .extras import area_lands, area_use_rates
from .parse import ScenarioSpec
from .problems import ScenarioError, problem

__all__ = ["BASE", "MEMORY_LIMIT", "RunResult", "memory_estimate", "run"]

BASE = "Basis"
F64 = NDArray[np.float64]


@dataclass
class RunResult:
    """Everything computed for one scenario file, keyed by scenario name."""

    spec: ScenarioSpec
    projections: dict[str, ProjectionResult] = field(default_factory=dict)
    comparisons: dict[str, Comparison] = field(default_factory=dict)
    demand: dict[str, dict[str, F64]] = field(default_factory=dict)
    capacity: dict[str, dict[str, CapacityCheck]] = field(default_factory=dict)
    classes: dict[str, dict[str, F64]] = field(default_factory=dict)
    budgets: dict[str, BudgetResult] = field(default_factory=dict)
    trajectories: dict[str, TrajectoryResult] = field(default_factory=dict)


def _classes(
    res: ProjectionResult, lands: list[str | None], entry: float | None, kind: str, size: float
) -> F64:
    """Classes ``[T+1, A]`` of school ``kind``: per grade ``ceil(pupils / size)``, summed."""
    out = np.zeros(res.population.shape[:2])
    for land in sorted(set(lands), key=str):
        idx = [a for a, ld in enumerate(lands) if ld == land]
        grades = school_grades(land)[kind]
        pupils = pupils_by_grade(
            res.population[:, idx], res.grid, grades, land=land, entry_age=entry
        )
        out[:, idx] = classes_needed(pupils, size)
    return out


def _infrastructure(out: RunResult, name: str, res: ProjectionResult) -> None:
    infra = out.spec.infrastructure
    if infra is None:
        return
    lands = area_lands(res.area_ids, infra.land)
    rates = area_use_rates(res.grid, lands, infra.school_entry_age)
    out.demand[name] = {k: demand(res.population, r) for k, r in rates.items()}
    out.capacity[name] = {
        k: check_capacity(out.demand[name][k], cap, res.years, infra.threshold)
        for k, cap in infra.capacities.items()
    }
    out.classes[name] = {
        k: _classes(res, lands, infra.school_entry_age, k, size)
        for k, size in infra.max_class_size.items()
    }


#: Working memory a run may plan for (bytes); larger runs belong on the Dask batch.
MEMORY_LIMIT = 8e9


def memory_estimate(spec: ScenarioSpec, trajectories: int) -> tuple[float, float]:
    """Bytes needed by the deterministic runs (all scenarios) and by one probabilistic run."""
    inp = spec.inputs
    a, g, t = inp.n_areas, inp.grid.n, inp.steps
    runs = 1 + len(spec.scenarios)
    by_age = a * g * t <= BY_AGE_CELLS
    det = runs * (t + 1) * a * 2 * g * 8 * (4 if by_age else 1.2)
    traj = trajectories * a * (2 * g * 4 * 10 + (t + 1) * (len(PLANNING_BANDS) + 1) * 8 * 2)
    return det, traj


def _check_memory(spec: ScenarioSpec, trajectories: int) -> None:
    det, traj = memory_estimate(spec, trajectories)
    inp = spec.inputs
    problems = []
    limit = f"{MEMORY_LIMIT / 1e9:.0f}"
    if det > MEMORY_LIMIT:
        runs = 1 + len(spec.scenarios)
        problems.append(
            problem(
                "steps",
                "memory_runs",
                areas=inp.n_areas,
                steps=inp.steps,
                runs=runs,
                gb=f"{det / 1e9:.1f}",
                limit=limit,
            )
        )
    if traj > MEMORY_LIMIT:
        problems.append(
            problem(
                "--trajectories",
                "memory_trajectories",
                trajectories=trajectories,
                areas=inp.n_areas,
                gb=f"{traj / 1e9:.1f}",
                limit=limit,
            )
        )
    if problems:
        raise ScenarioError(problems)


def _check_finite(name: str, res: ProjectionResult) -> None:
    if not np.isfinite(res.population).all():
        raise ScenarioError([problem("population", "overflow", name=repr(name))])


#: Projections with at most this many cells keep deaths and migration by age.
BY_AGE_CELLS = 5_000_000


def run(spec: ScenarioSpec, *, trajectories: int = 0) -> RunResult:
    """Project the base and every scenario, then derive infrastructure and budget.

    Raises :class:`ScenarioError` if the run would need more than :data:`MEMORY_LIMIT`
    or the projection overflows.
    """
    _check_memory(spec, trajectories)
    out = RunResult(spec)
    inputs = {BASE: spec.inputs, **{s.name: s.apply(spec.inputs) for s in spec.scenarios}}
    for name, inp in inputs.items():
        res = project(inp, by_age=inp.n_areas * inp.grid.n * inp.steps <= BY_AGE_CELLS)
        _check_finite(name, res)
        out.projections[name] = res
        _infrastructure(out, name, res)
        if spec.budget is not None:
            out.budgets[name] = budget(res, spec.budget.params)
        if trajectories > 0:
            out.trajectories[name] = project_trajectories(
                inp, trajectories, uncertainty=spec.uncertainty, seed=spec.seed
            )
    if spec.scenarios:
        out.comparisons = compare(out.projections, BASE)
    return out
