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
from ortswandel.engine.infrastructure import CapacityCheck, check_capacity, classes_needed, demand
from ortswandel.engine.scenarios import Comparison

from .extras import use_rates
from .parse import ScenarioSpec

__all__ = ["BASE", "RunResult", "run"]

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


def _infrastructure(out: RunResult, name: str, res: ProjectionResult) -> None:
    infra = out.spec.infrastructure
    if infra is None:
        return
    g = res.grid
    rates = use_rates(g, infra.land)
    out.demand[name] = {k: demand(res.population, r) for k, r in rates.items()}
    out.capacity[name] = {
        k: check_capacity(out.demand[name][k], cap, res.years, infra.threshold)
        for k, cap in infra.capacities.items()
    }
    if infra.max_class_size and g.width == 1:
        out.classes[name] = {
            k: classes_needed((res.population * rates[k]).sum(axis=2)[..., rates[k].any(axis=0)],
                              infra.max_class_size)
            for k in ("primary", "secondary")
        }


def run(spec: ScenarioSpec, *, trajectories: int = 0) -> RunResult:
    """Project the base and every scenario, then derive infrastructure and budget."""
    out = RunResult(spec)
    inputs = {BASE: spec.inputs, **{s.name: s.apply(spec.inputs) for s in spec.scenarios}}
    for name, inp in inputs.items():
        res = project(inp, by_age=inp.n_areas * inp.grid.n * inp.steps <= 5_000_000)
        out.projections[name] = res
        _infrastructure(out, name, res)
        if spec.budget is not None:
            out.budgets[name] = budget(res, spec.budget.params)
        if trajectories > 0:
            out.trajectories[name] = project_trajectories(
                inp, trajectories, uncertainty=spec.uncertainty, seed=spec.seed)
    if spec.scenarios:
        out.comparisons = compare(out.projections, BASE)
    return out
