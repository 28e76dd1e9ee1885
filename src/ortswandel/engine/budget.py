"""Budget scenarios: yearly cash flows per area and their net present value.

All amounts are EUR per year (positive = revenue, negative = cost in the
``net`` line; the individual items are reported with their sign). Every item is a
``[T+1, A]`` array over the projection years, never only a total.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .defaults import number
from .errors import EngineValueError, as_float_array, check_non_negative
from .infrastructure import band_rates, demand
from .projection import ProjectionResult

__all__ = ["BudgetParams", "BudgetResult", "FacilityCost", "HousingAreaCost", "budget", "npv"]

F64 = NDArray[np.float64]


def _check_money(name: str, value: float) -> None:
    if not np.isfinite(value):
        raise EngineValueError(name, f"must be finite; got {value}", "give an amount in EUR")


@dataclass(frozen=True)
class FacilityCost:
    """Places of a facility type: built when demand exceeds capacity.

    ``new places(t) = max(0, demand(t) - capacity(t-1))``; capacity never shrinks.
    Investment ``investment_per_place`` per new place in the year it is needed,
    running cost ``running_cost_per_place`` per added place and year.
    """

    name: str
    rates: F64  # [2, G] users per person
    capacity: F64  # [A] or scalar, places at the start
    investment_per_place: float
    running_cost_per_place: float

    def __post_init__(self) -> None:
        check_non_negative(f"facilities.{self.name}.capacity", as_float_array("c", self.capacity))
        for n in ("investment_per_place", "running_cost_per_place"):
            val = getattr(self, n)
            _check_money(f"facilities.{self.name}.{n}", val)
            if val < 0:
                raise EngineValueError(
                    f"facilities.{self.name}.{n}", "must be >= 0", "give costs as positive amounts"
                )


@dataclass(frozen=True)
class HousingAreaCost:
    """Follow-up costs of a new housing area (Neubaugebiet).

    Lengths in metres (streets, pipes, green strips), costs in EUR per metre:
    first construction in ``start_year``, operation every following year, renewal
    every ``renewal_years`` years after construction. The same three kinds of cost may
    be given per dwelling (``dwellings`` x EUR per dwelling; renewal every
    ``dwelling_renewal_years`` years), e.g. where only per-dwelling planning figures exist.
    """

    start_year: int
    metres: dict[str, float]  # e.g. {"street": 800, "pipes": 1600, "green": 400}
    construction_per_metre: dict[str, float]
    operation_per_metre: dict[str, float]
    renewal_per_metre: dict[str, float]
    renewal_years: dict[str, int]
    dwellings: float = 0.0
    construction_per_dwelling: float = 0.0
    operation_per_dwelling: float = 0.0
    renewal_per_dwelling: float = 0.0
    dwelling_renewal_years: int = 30

    def __post_init__(self) -> None:
        for d in (
            self.construction_per_metre,
            self.operation_per_metre,
            self.renewal_per_metre,
            self.renewal_years,
        ):
            missing = set(self.metres) - set(d)
            if missing:
                raise EngineValueError(
                    "housing_area",
                    f"no cost given for {sorted(missing)}",
                    "give construction, operation, renewal and lifetime "
                    "for every kind of infrastructure in 'metres'",
                )
        if any(v <= 0 for v in self.renewal_years.values()) or self.dwelling_renewal_years <= 0:
            raise EngineValueError(
                "housing_area.renewal_years", "must be > 0", "give the service life in years"
            )
        for name in (
            "dwellings",
            "construction_per_dwelling",
            "operation_per_dwelling",
            "renewal_per_dwelling",
        ):
            _check_money(f"housing_area.{name}", getattr(self, name))


@dataclass(frozen=True)
class BudgetParams:
    """Budget assumptions (EUR per year).

    Parameters
    ----------
    revenue_per_capita, cost_per_capita : float
        Other revenue and cost per inhabitant.
    key_allocation_per_capita : float
        Key allocations (Schlüsselzuweisungen) per inhabitant (a parameter: the
        formula differs by Land).
    income_tax_per_taxpayer : float
        Municipal share of income tax per resident aged 18-64.
    income_tax_lag : int
        Years between residence and the municipal income-tax share (default 6, see
        :data:`.defaults.DEFAULTS` ``"income_tax_lag"``).
    age_costs, age_revenues : list of (lo, hi, EUR per person and year)
        Costs and revenues for age groups ``[lo, hi)``, e.g. ``[(0, 3, 1200.0)]``.
    facilities : list of FacilityCost
    housing_area : HousingAreaCost, optional
    discount_rate : float
        Real discount rate for the net present value (default 0.04, see
        :data:`.defaults.DEFAULTS` ``"discount_rate"``).
    """

    revenue_per_capita: float = 0.0
    cost_per_capita: float = 0.0
    key_allocation_per_capita: float = 0.0
    income_tax_per_taxpayer: float = 0.0
    income_tax_lag: int = int(number("income_tax_lag"))
    age_costs: tuple[tuple[int, int | None, float], ...] = ()
    facilities: tuple[FacilityCost, ...] = ()
    housing_area: HousingAreaCost | None = None
    discount_rate: float = number("discount_rate")
    age_revenues: tuple[tuple[int, int | None, float], ...] = ()

    def __post_init__(self) -> None:
        for n in (
            "revenue_per_capita",
            "cost_per_capita",
            "key_allocation_per_capita",
            "income_tax_per_taxpayer",
            "discount_rate",
        ):
            _check_money(n, getattr(self, n))
        if self.income_tax_lag < 0:
            raise EngineValueError("income_tax_lag", "must be >= 0", "give a lag in years")
        if self.discount_rate <= -1:
            raise EngineValueError("discount_rate", "must be > -1", "give e.g. 0.02 for 2 %")


@dataclass(frozen=True)
class BudgetResult:
    """Yearly cash flows ``items[name] [T+1, A]`` (EUR), their sum ``net`` and ``npv [A]``."""

    years: NDArray[np.int64]
    items: dict[str, F64] = field(default_factory=dict)
    net: F64 = field(default_factory=lambda: np.zeros(0))
    npv: F64 = field(default_factory=lambda: np.zeros(0))


def npv(cash_flows: F64, years: NDArray[np.int64], rate: float) -> F64:
    """Net present value at ``years[0]`` of flows ``[T+1, ...]`` (each value = 1 year of flow,
    on 5-year grids standing for each year of its step)."""
    width = int(years[1] - years[0]) if len(years) > 1 else 1
    offs = (years - years[0]).astype(np.float64)
    disc = sum((1.0 + rate) ** -(offs + j) for j in range(width))
    return np.asarray(np.tensordot(disc, cash_flows, axes=(0, 0)))


def _lagged(arr: F64, years: NDArray[np.int64], lag: int) -> F64:
    """``arr`` at ``year - lag`` (the first year's value before the start)."""
    src = np.searchsorted(years, years - lag, side="right") - 1
    return arr[np.clip(src, 0, None)]


def _facility_items(res: ProjectionResult, fac: FacilityCost) -> dict[str, F64]:
    d = demand(res.population, fac.rates)
    cap0 = np.broadcast_to(np.asarray(fac.capacity, dtype=np.float64), d.shape[1:])
    cap = np.maximum.accumulate(np.maximum(d, cap0[None]), axis=0)
    new = np.diff(np.concatenate([cap0[None], cap]), axis=0)
    return {
        f"{fac.name}_investment": -fac.investment_per_place * new,
        f"{fac.name}_running_cost": -fac.running_cost_per_place * (cap - cap0[None]),
    }


def _housing_items(years: NDArray[np.int64], n_areas: int, h: HousingAreaCost) -> dict[str, F64]:
    age = (years - h.start_year)[:, None] * np.ones((1, n_areas))
    items = {
        "housing_area_construction": -np.where(
            age == 0,
            sum(h.metres[k] * h.construction_per_metre[k] for k in h.metres)
            + h.dwellings * h.construction_per_dwelling,
            0.0,
        ),
        "housing_area_operation": -np.where(
            age > 0,
            sum(h.metres[k] * h.operation_per_metre[k] for k in h.metres)
            + h.dwellings * h.operation_per_dwelling,
            0.0,
        ),
    }
    renewal = np.zeros_like(age)
    lives = [(h.renewal_years[k], h.metres[k] * h.renewal_per_metre[k]) for k in h.metres]
    lives.append((h.dwelling_renewal_years, h.dwellings * h.renewal_per_dwelling))
    for life, eur in lives:
        due = (age > 0) & (age % life == 0)
        renewal += np.where(due, eur, 0.0)
    items["housing_area_renewal"] = -renewal
    return items


def budget(result: ProjectionResult, params: BudgetParams) -> BudgetResult:
    """Cash flows per year and area for a projection.

    Returns
    -------
    BudgetResult
        ``items`` with revenue positive and cost negative, ``net`` their sum
        ``[T+1, A]``, ``npv [A]`` at ``params.discount_rate``.
    """
    grid, years = result.grid, result.years
    pop = result.population
    total = pop.sum(axis=(2, 3))
    working = demand(pop, band_rates(grid, [(18, 65, 1.0, 1.0)]))
    items: dict[str, F64] = {
        "revenue_per_capita": params.revenue_per_capita * total,
        "key_allocations": params.key_allocation_per_capita * total,
        "income_tax_share": params.income_tax_per_taxpayer
        * _lagged(working, years, params.income_tax_lag),
        "cost_per_capita": -params.cost_per_capita * total,
    }
    for kind, sign, bands in (
        ("cost", -1.0, params.age_costs),
        ("revenue", 1.0, params.age_revenues),
    ):
        for i, (lo, hi, eur) in enumerate(bands):
            label = f"age_{kind}_{lo}_{'plus' if hi is None else hi}"
            items[label if label not in items else f"{label}_{i}"] = (
                sign * eur * demand(pop, band_rates(grid, [(lo, hi, 1.0, 1.0)]))
            )
    for fac in params.facilities:
        items.update(_facility_items(result, fac))
    if params.housing_area is not None:
        items.update(_housing_items(years, total.shape[1], params.housing_area))
    net = np.sum(list(items.values()), axis=0)
    return BudgetResult(
        years=years, items=items, net=net, npv=npv(net, years, params.discount_rate)
    )
