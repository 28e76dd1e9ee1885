"""Parsing of the ``infrastructure`` and ``budget`` sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ortswandel.engine import (
    AgeGrid,
    BudgetParams,
    EngineValueError,
    FacilityCost,
    HousingAreaCost,
)
from ortswandel.engine.defaults import land_code, number
from ortswandel.engine.infrastructure import use_rates

from .reader import Reader

__all__ = [
    "FACILITIES",
    "SCHOOLS",
    "BudgetSpec",
    "InfrastructureSpec",
    "area_lands",
    "area_use_rates",
    "parse_budget",
    "parse_infrastructure",
]

F64 = NDArray[np.float64]
FACILITIES = ("kita_u3", "kita_3_6", "primary", "secondary", "care")
SCHOOLS = ("primary", "secondary")


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
    lands = lands or [None]  # the areas were invalid (reported elsewhere)
    distinct = sorted(set(lands), key=str)
    per_land = {ld: use_rates(grid, ld, entry_age=entry_age) for ld in distinct}
    if len(distinct) == 1:
        return per_land[distinct[0]]
    return {k: np.stack([per_land[ld][k] for ld in lands]) for k in FACILITIES}


def _capacity(r: Reader, value: Any, where: str, ids: tuple[str, ...]) -> F64 | None:
    """One number for every area, or ``{"<area id>": places, ...}`` for each area."""
    if not isinstance(value, dict):
        num = r.number(value, where, minimum=0)
        return None if num is None else np.full(len(ids), num)
    if not ids:  # the areas were invalid (reported elsewhere): check the numbers only
        for k, v in value.items():
            r.number(v, f"{where}.{k}", minimum=0)
        return None
    obj = r.obj(value, where, set(ids), set(ids))
    if obj is None or set(obj) != set(ids):
        return None
    nums = [r.number(obj[i], f"{where}.{i}", minimum=0) for i in ids]
    return None if any(n is None for n in nums) else np.asarray(nums, dtype=np.float64)


def parse_infrastructure(r: Reader, value: Any, ids: tuple[str, ...]) -> InfrastructureSpec | None:
    """Parse ``infrastructure`` for the areas ``ids``."""
    obj = r.obj(
        value,
        "infrastructure",
        {"capacities", "threshold", "max_class_size", "land", "school_entry_age"},
    )
    if obj is None:
        return None
    caps_obj = r.obj(obj.get("capacities", {}), "infrastructure.capacities", set(FACILITIES))
    caps = {
        k: _capacity(r, v, f"infrastructure.capacities.{k}", ids)
        for k, v in (caps_obj or {}).items()
        if k in FACILITIES
    }
    thr = (
        r.number(obj["threshold"], "infrastructure.threshold", minimum=0, maximum=100)
        if "threshold" in obj
        else None
    )
    sizes: dict[str, float | None] = {}
    if isinstance(obj.get("max_class_size"), dict):
        size_obj = r.obj(obj["max_class_size"], "infrastructure.max_class_size", set(SCHOOLS))
        sizes = {
            k: r.number(
                v, f"infrastructure.max_class_size.{k}", minimum=0, exclusive_min=True, maximum=1000
            )
            for k, v in (size_obj or {}).items()
            if k in SCHOOLS
        }
    elif "max_class_size" in obj:
        size = r.number(
            obj["max_class_size"],
            "infrastructure.max_class_size",
            minimum=0,
            exclusive_min=True,
            maximum=1000,
        )
        sizes = dict.fromkeys(SCHOOLS, size)
    land = obj.get("land")
    if land is not None:
        try:
            land = land_code(land if isinstance(land, str) else "?")
        except EngineValueError as exc:
            r.add(
                "infrastructure.land",
                exc.problem
                if isinstance(land, str)
                else f"must be a text, got {type(land).__name__}",
                exc.fix,
            )
            land = None
    entry = (
        r.number(obj["school_entry_age"], "infrastructure.school_entry_age", minimum=4, maximum=8)
        if "school_entry_age" in obj
        else None
    )
    return InfrastructureSpec(
        {k: v for k, v in caps.items() if v is not None},
        thr,
        {k: v for k, v in sizes.items() if v is not None},
        land,
        entry,
    )


_MONEY = (
    "revenue_per_capita",
    "cost_per_capita",
    "key_allocation_per_capita",
    "income_tax_per_taxpayer",
)


def _facilities(
    r: Reader, value: Any, rates: dict[str, F64], ids: tuple[str, ...]
) -> list[FacilityCost]:
    if not isinstance(value, list):
        r.add("budget.facilities", "must be a list", 'e.g. [{"use": "kita_u3", ...}]')
        return []
    out = []
    for i, f in enumerate(value):
        where = f"budget.facilities[{i}]"
        keys = {"use", "capacity", "investment_per_place", "running_cost_per_place"}
        obj = r.obj(f, where, keys, keys)
        if obj is None or not keys <= set(obj):
            continue
        if not isinstance(obj["use"], str) or obj["use"] not in FACILITIES:
            r.add(
                f"{where}.use",
                f"unknown facility {obj['use']!r}",
                f"use one of {', '.join(FACILITIES)}",
            )
            continue
        cap = _capacity(r, obj["capacity"], f"{where}.capacity", ids)
        inv = r.number(obj["investment_per_place"], f"{where}.investment_per_place", minimum=0)
        run = r.number(obj["running_cost_per_place"], f"{where}.running_cost_per_place", minimum=0)
        if cap is None or inv is None or run is None:
            continue
        out.append(FacilityCost(obj["use"], rates[obj["use"]], cap, inv, run))
    return out


_AREA_MAPS = (
    "metres",
    "construction_per_metre",
    "operation_per_metre",
    "renewal_per_metre",
    "renewal_years",
)
_AREA_NUMBERS = (
    "dwellings",
    "construction_per_dwelling",
    "operation_per_dwelling",
    "renewal_per_dwelling",
    "dwelling_renewal_years",
)


def _housing_area(r: Reader, value: Any) -> HousingAreaCost | None:
    where = "budget.housing_area"
    obj = r.obj(value, where, {"start_year", *_AREA_MAPS, *_AREA_NUMBERS}, {"start_year"})
    if obj is None or "start_year" not in obj:
        return None
    maps: dict[str, dict[str, float | None]] = {}
    for k in _AREA_MAPS:
        raw = obj.get(k, {})
        m = r.obj(raw, f"{where}.{k}", set(raw) if isinstance(raw, dict) else set())
        maps[k] = {
            kk: r.number(
                v,
                f"{where}.{k}.{kk}",
                minimum=1 if k == "renewal_years" else 0,
                integer=k == "renewal_years",
                maximum=500 if k == "renewal_years" else None,
            )
            for kk, v in (m or {}).items()
        }
    start = r.number(
        obj["start_year"], f"{where}.start_year", integer=True, minimum=1800, maximum=2300
    )
    extra = {
        k: r.number(
            obj.get(k, 30 if k == "dwelling_renewal_years" else 0.0),
            f"{where}.{k}",
            minimum=1 if k == "dwelling_renewal_years" else 0,
            integer=k == "dwelling_renewal_years",
            maximum=500 if k == "dwelling_renewal_years" else None,
        )
        for k in _AREA_NUMBERS
    }
    kinds = set(maps["metres"])
    for k in _AREA_MAPS[1:]:
        if kinds - set(maps[k]):
            r.add(
                f"{where}.{k}",
                f"lacks {', '.join(sorted(kinds - set(maps[k])))}",
                "give a value for every kind of infrastructure listed in 'metres'",
            )
            return None
    if (
        start is None
        or any(v is None for m in maps.values() for v in m.values())
        or any(v is None for v in extra.values())
    ):
        return None
    f = {m: {k: float(v or 0) for k, v in maps[m].items() if k in kinds} for m in maps}
    return HousingAreaCost(
        start_year=int(start),
        metres=f["metres"],
        construction_per_metre=f["construction_per_metre"],
        operation_per_metre=f["operation_per_metre"],
        renewal_per_metre=f["renewal_per_metre"],
        renewal_years={k: int(v) for k, v in f["renewal_years"].items()},
        dwellings=float(extra["dwellings"] or 0),
        construction_per_dwelling=float(extra["construction_per_dwelling"] or 0),
        operation_per_dwelling=float(extra["operation_per_dwelling"] or 0),
        renewal_per_dwelling=float(extra["renewal_per_dwelling"] or 0),
        dwelling_renewal_years=int(extra["dwelling_renewal_years"] or 30),
    )


def _age_bands(r: Reader, value: Any, where: str) -> list[tuple[int, int | None, float]]:
    if not isinstance(value, list):
        r.add(
            where, "must be a list", 'e.g. [{"from_age": 0, "to_age": 3, "eur_per_person": 1500}]'
        )
        return []
    out = []
    for i, a in enumerate(value):
        o = r.obj(
            a,
            f"{where}[{i}]",
            {"from_age", "to_age", "eur_per_person"},
            {"from_age", "eur_per_person"},
        )
        if o is None or not {"from_age", "eur_per_person"} <= set(o):
            continue
        lo = r.number(o["from_age"], f"{where}[{i}].from_age", integer=True, minimum=0, maximum=150)
        hi = (
            r.number(o["to_age"], f"{where}[{i}].to_age", integer=True, minimum=1, maximum=150)
            if o.get("to_age") is not None
            else None
        )
        eur = r.number(o["eur_per_person"], f"{where}[{i}].eur_per_person")
        if lo is not None and hi is not None and hi <= lo:
            r.add(
                f"{where}[{i}].to_age",
                f"must be above from_age ({lo:g}), got {hi:g}",
                "give the first age no longer in the group, or leave it out (open end)",
            )
            continue
        if lo is not None and eur is not None and (hi is not None or o.get("to_age") is None):
            out.append((int(lo), None if hi is None else int(hi), eur))
    return out


def parse_budget(
    r: Reader, value: Any, rates: dict[str, F64], ids: tuple[str, ...]
) -> BudgetSpec | None:
    """Parse ``budget``; ``rates`` are the use rates per facility type of the areas ``ids``."""
    obj = r.obj(
        value,
        "budget",
        {
            *_MONEY,
            "discount_rate",
            "income_tax_lag",
            "age_costs",
            "age_revenues",
            "facilities",
            "housing_area",
        },
    )
    if obj is None:
        return None
    money = {k: r.number(obj.get(k, 0.0), f"budget.{k}") for k in _MONEY}
    rate = r.number(
        obj.get("discount_rate", number("discount_rate")),
        "budget.discount_rate",
        minimum=-0.99,
        maximum=1,
    )
    lag = r.number(
        obj.get("income_tax_lag", number("income_tax_lag")),
        "budget.income_tax_lag",
        integer=True,
        minimum=0,
        maximum=50,
    )
    costs = _age_bands(r, obj.get("age_costs", []), "budget.age_costs")
    revenues = _age_bands(r, obj.get("age_revenues", []), "budget.age_revenues")
    facs = _facilities(r, obj["facilities"], rates, ids) if "facilities" in obj else []
    area = _housing_area(r, obj["housing_area"]) if "housing_area" in obj else None
    if any(v is None for v in money.values()) or lag is None or rate is None:
        return None
    return BudgetSpec(
        BudgetParams(
            revenue_per_capita=money["revenue_per_capita"] or 0.0,
            cost_per_capita=money["cost_per_capita"] or 0.0,
            key_allocation_per_capita=money["key_allocation_per_capita"] or 0.0,
            income_tax_per_taxpayer=money["income_tax_per_taxpayer"] or 0.0,
            income_tax_lag=int(lag),
            age_costs=tuple(costs),
            age_revenues=tuple(revenues),
            facilities=tuple(facs),
            housing_area=area,
            discount_rate=rate,
        )
    )
