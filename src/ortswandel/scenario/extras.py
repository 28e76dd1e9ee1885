"""The ``infrastructure`` and ``budget`` sections -> engine inputs (validated by the models)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ortswandel.engine import (
    AgeGrid,
    BudgetParams,
    EngineValueError,
    FacilityCost,
    HousingAreaCost,
)
from ortswandel.engine.defaults import land_code
from ortswandel.engine.infrastructure import use_rates

from . import sections as s
from .problems import Problem, problem

__all__ = [
    "FACILITIES",
    "SCHOOLS",
    "BudgetSpec",
    "InfrastructureSpec",
    "area_lands",
    "area_use_rates",
    "build_budget",
    "build_infrastructure",
]

F64 = NDArray[np.float64]
FACILITIES = s.FACILITIES
SCHOOLS = s.SCHOOLS


@dataclass(frozen=True)
class InfrastructureSpec:
    """Capacities per facility type (``[A]`` places), threshold for under-use, class sizes per
    school type, Land (``None``: from each area's AGS) and an optional school-entry age."""

    capacities: dict[str, F64] = field(default_factory=dict)
    threshold: float | None = None
    max_class_size: dict[str, float] = field(default_factory=dict)
    land: str | None = None
    school_entry_age: float | None = None


@dataclass(frozen=True)
class BudgetSpec:
    """Budget parameters (facility use rates already chosen per area)."""

    params: BudgetParams


def area_lands(ids: tuple[str, ...], land: str | None) -> list[str | None]:
    """The Land of every area: ``land`` if given, else from an 8-digit AGS id, else ``None``."""
    if land is not None:
        return [land] * len(ids)
    out: list[str | None] = []
    for i in ids:
        try:
            out.append(land_code(i) if len(i) in (8, 12) and i.isdigit() else None)
        except EngineValueError:
            out.append(None)
    return out


def area_use_rates(
    grid: AgeGrid, lands: list[str | None], entry_age: float | None = None
) -> dict[str, F64]:
    """Use rates per facility type: ``[2, G]`` if all areas share a Land, else ``[A, 2, G]``."""
    lands = lands or [None]
    distinct = sorted(set(lands), key=str)
    per_land = {ld: use_rates(grid, ld, entry_age=entry_age) for ld in distinct}
    if len(distinct) == 1:
        return per_land[distinct[0]]
    return {k: np.stack([per_land[ld][k] for ld in lands]) for k in FACILITIES}


def _capacity(value: float | dict[str, float], ids: tuple[str, ...]) -> F64:
    """One number for every area, or the places of each area (keys checked by the model)."""
    if isinstance(value, dict):
        return np.asarray([value[i] for i in ids], dtype=np.float64)
    return np.full(len(ids), value)


def build_infrastructure(spec: s.Infrastructure, ids: tuple[str, ...]) -> InfrastructureSpec:
    """Capacities per area for the areas ``ids``; the Land as its abbreviation."""
    caps = {
        k: _capacity(v, ids) for k in FACILITIES if (v := getattr(spec.capacities, k)) is not None
    }
    sizes: dict[str, float] = {}
    if isinstance(spec.max_class_size, s.ClassSizes):
        sizes = {k: v for k in SCHOOLS if (v := getattr(spec.max_class_size, k)) is not None}
    elif spec.max_class_size is not None:
        sizes = dict.fromkeys(SCHOOLS, spec.max_class_size)
    land = land_code(spec.land) if spec.land else None
    return InfrastructureSpec(caps, spec.threshold, sizes, land, spec.school_entry_age)


def _housing_area(spec: s.HousingArea) -> HousingAreaCost:
    kinds = set(spec.metres)

    def per_kind(m: dict[str, float]) -> dict[str, float]:
        return {k: float(v) for k, v in m.items() if k in kinds}

    return HousingAreaCost(
        start_year=spec.start_year,
        metres=per_kind(spec.metres),
        construction_per_metre=per_kind(spec.construction_per_metre),
        operation_per_metre=per_kind(spec.operation_per_metre),
        renewal_per_metre=per_kind(spec.renewal_per_metre),
        renewal_years={k: int(v) for k, v in spec.renewal_years.items() if k in kinds},
        dwellings=spec.dwellings,
        construction_per_dwelling=spec.construction_per_dwelling,
        operation_per_dwelling=spec.operation_per_dwelling,
        renewal_per_dwelling=spec.renewal_per_dwelling,
        dwelling_renewal_years=spec.dwelling_renewal_years,
    )


def _bands(bands: list[s.AgeBand]) -> tuple[tuple[int, int | None, float], ...]:
    return tuple((b.from_age, b.to_age, b.eur_per_person) for b in bands)


def build_budget(
    spec: s.Budget, rates: dict[str, F64], ids: tuple[str, ...], problems: list[Problem]
) -> BudgetSpec | None:
    """Budget parameters; ``rates`` are the use rates per facility type of the areas ``ids``.
    Problems the engine finds are appended to ``problems``."""
    try:
        facilities = tuple(
            FacilityCost(
                f.use,
                rates[f.use],
                _capacity(f.capacity, ids),
                f.investment_per_place,
                f.running_cost_per_place,
            )
            for f in spec.facilities
        )
        params = BudgetParams(
            revenue_per_capita=spec.revenue_per_capita,
            cost_per_capita=spec.cost_per_capita,
            key_allocation_per_capita=spec.key_allocation_per_capita,
            income_tax_per_taxpayer=spec.income_tax_per_taxpayer,
            income_tax_lag=spec.income_tax_lag,
            age_costs=_bands(spec.age_costs),
            age_revenues=_bands(spec.age_revenues),
            facilities=facilities,
            housing_area=None if spec.housing_area is None else _housing_area(spec.housing_area),
            discount_rate=spec.discount_rate,
        )
    except EngineValueError as exc:
        problems.append(problem(f"budget.{exc.field}", "engine", problem=exc.problem, fix=exc.fix))
        return None
    return BudgetSpec(params)
