"""Parsing of the ``infrastructure`` and ``budget`` sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ortswandel.engine import AgeGrid, BudgetParams, FacilityCost, HousingAreaCost
from ortswandel.engine.infrastructure import care_rates, kita_rates, school_rates

from .reader import Reader

__all__ = ["FACILITIES", "BudgetSpec", "InfrastructureSpec", "parse_budget",
           "parse_infrastructure", "use_rates"]

FACILITIES = ("kita_u3", "kita_3_6", "primary", "secondary", "care")


@dataclass(frozen=True)
class InfrastructureSpec:
    """Capacities per facility type, threshold for under-use, class size, Land."""

    capacities: dict[str, float] = field(default_factory=dict)
    threshold: float | None = None
    max_class_size: float | None = None
    land: str | None = None


@dataclass(frozen=True)
class BudgetSpec:
    """Budget parameters without the use rates (they depend on the grid)."""

    params: BudgetParams


def use_rates(grid: AgeGrid, land: str | None) -> dict[str, Any]:
    """Default use rates ``[2, G]`` for every facility type."""
    return {**kita_rates(grid), **school_rates(grid, land=land), "care": care_rates(grid)}


def parse_infrastructure(r: Reader, value: Any) -> InfrastructureSpec | None:
    """Parse ``infrastructure``."""
    obj = r.obj(value, "infrastructure", {"capacities", "threshold", "max_class_size", "land"})
    if obj is None:
        return None
    caps_obj = r.obj(obj.get("capacities", {}), "infrastructure.capacities", set(FACILITIES))
    caps = {k: r.number(v, f"infrastructure.capacities.{k}", minimum=0)
            for k, v in (caps_obj or {}).items() if k in FACILITIES}
    thr = (r.number(obj["threshold"], "infrastructure.threshold", minimum=0)
           if "threshold" in obj else None)
    size = (r.number(obj["max_class_size"], "infrastructure.max_class_size", minimum=0,
                     exclusive_min=True) if "max_class_size" in obj else None)
    land = obj.get("land")
    if land is not None and not isinstance(land, str):
        r.add("infrastructure.land", "must be a text", 'e.g. "BY" or "12"')
    return InfrastructureSpec({k: v for k, v in caps.items() if v is not None}, thr, size,
                              land if isinstance(land, str) else None)


_MONEY = ("revenue_per_capita", "cost_per_capita", "key_allocation_per_capita",
          "income_tax_per_taxpayer", "discount_rate")


def _facilities(r: Reader, value: Any, grid: AgeGrid, land: str | None) -> list[FacilityCost]:
    if not isinstance(value, list):
        r.add("budget.facilities", "must be a list", 'e.g. [{"use": "kita_u3", ...}]')
        return []
    rates = use_rates(grid, land)
    out = []
    for i, f in enumerate(value):
        where = f"budget.facilities[{i}]"
        keys = {"use", "capacity", "investment_per_place", "running_cost_per_place"}
        obj = r.obj(f, where, keys, keys)
        if obj is None or not keys <= set(obj):
            continue
        if obj["use"] not in FACILITIES:
            r.add(f"{where}.use", f"unknown facility {obj['use']!r}",
                  f"use one of {', '.join(FACILITIES)}")
            continue
        nums = [r.number(obj[k], f"{where}.{k}", minimum=0) for k in sorted(keys - {"use"})]
        if any(n is None for n in nums):
            continue
        cap, inv, run = (float(n or 0) for n in nums)
        out.append(FacilityCost(obj["use"], rates[obj["use"]], np.asarray(cap), inv, run))
    return out


def _housing_area(r: Reader, value: Any) -> HousingAreaCost | None:
    keys = {"start_year", "metres", "construction_per_metre", "operation_per_metre",
            "renewal_per_metre", "renewal_years", "dwellings", "construction_per_dwelling",
            "operation_per_dwelling"}
    req = {"start_year", "metres", "construction_per_metre", "operation_per_metre",
           "renewal_per_metre", "renewal_years"}
    obj = r.obj(value, "budget.housing_area", keys, req)
    if obj is None or not req <= set(obj):
        return None
    maps = {}
    for k in ("metres", "construction_per_metre", "operation_per_metre", "renewal_per_metre",
              "renewal_years"):
        m = r.obj(obj[k], f"budget.housing_area.{k}", set(obj[k]) if isinstance(obj[k], dict)
                  else set())
        maps[k] = {kk: r.number(v, f"budget.housing_area.{k}.{kk}", minimum=0)
                   for kk, v in (m or {}).items()}
    start = r.number(obj["start_year"], "budget.housing_area.start_year", integer=True)
    extra = {k: r.number(obj.get(k, 0.0), f"budget.housing_area.{k}", minimum=0)
             for k in ("dwellings", "construction_per_dwelling", "operation_per_dwelling")}
    if start is None or any(v is None for m in maps.values() for v in m.values()):
        return None
    missing = [k for k in maps if k != "metres" and set(maps["metres"]) - set(maps[k])]
    if missing:
        r.add("budget.housing_area", f"{', '.join(missing)} lack entries for "
              f"{sorted(maps['metres'])}", "give a value for every kind listed in 'metres'")
        return None
    as_float = {m: {k: float(v or 0) for k, v in maps[m].items()} for m in maps}
    return HousingAreaCost(
        start_year=int(start), metres=as_float["metres"],
        construction_per_metre=as_float["construction_per_metre"],
        operation_per_metre=as_float["operation_per_metre"],
        renewal_per_metre=as_float["renewal_per_metre"],
        renewal_years={k: max(1, int(v or 1)) for k, v in maps["renewal_years"].items()},
        dwellings=float(extra["dwellings"] or 0),
        construction_per_dwelling=float(extra["construction_per_dwelling"] or 0),
        operation_per_dwelling=float(extra["operation_per_dwelling"] or 0),
    )


def parse_budget(r: Reader, value: Any, grid: AgeGrid, land: str | None = None
                 ) -> BudgetSpec | None:
    """Parse ``budget``."""
    obj = r.obj(value, "budget", {*_MONEY, "income_tax_lag", "age_costs", "facilities",
                                  "housing_area"})
    if obj is None:
        return None
    money = {k: r.number(obj.get(k, 0.02 if k == "discount_rate" else 0.0), f"budget.{k}")
             for k in _MONEY}
    lag = r.number(obj.get("income_tax_lag", 2), "budget.income_tax_lag", integer=True, minimum=0)
    ages = []
    for i, a in enumerate(obj.get("age_costs", [])):
        o = r.obj(a, f"budget.age_costs[{i}]", {"from_age", "to_age", "eur_per_person"},
                  {"from_age", "eur_per_person"})
        if o is None or not {"from_age", "eur_per_person"} <= set(o):
            continue
        lo = r.number(o["from_age"], f"budget.age_costs[{i}].from_age", integer=True, minimum=0)
        hi = (r.number(o["to_age"], f"budget.age_costs[{i}].to_age", integer=True, minimum=0)
              if o.get("to_age") is not None else None)
        eur = r.number(o["eur_per_person"], f"budget.age_costs[{i}].eur_per_person")
        if lo is not None and eur is not None:
            ages.append((int(lo), None if hi is None else int(hi), eur))
    facs = _facilities(r, obj["facilities"], grid, land) if "facilities" in obj else []
    area = _housing_area(r, obj["housing_area"]) if "housing_area" in obj else None
    if any(v is None for v in money.values()) or lag is None:
        return None
    return BudgetSpec(BudgetParams(
        revenue_per_capita=money["revenue_per_capita"] or 0.0,
        cost_per_capita=money["cost_per_capita"] or 0.0,
        key_allocation_per_capita=money["key_allocation_per_capita"] or 0.0,
        income_tax_per_taxpayer=money["income_tax_per_taxpayer"] or 0.0,
        income_tax_lag=int(lag), age_costs=tuple(ages), facilities=tuple(facs),
        housing_area=area, discount_rate=money["discount_rate"] or 0.0,
    ))
