"""The projection workspace (issue 8 §4): default scenario, changed assumptions, scenarios,
infrastructure and budget for one municipality — plain Python over ``scenario`` and ``engine``.

:func:`scenario_document` turns :class:`Settings` (what the planner chose) into a scenario file
in the documented format (``docs/scenario-format.md``); :func:`compute` runs it and returns a
JSON-ready dict of everything the page, the exports and the API show. Capacity scenarios (a Kita
group opened or closed, a school merger) change no population: they share the base projection
and change the capacity from their year on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ortswandel.datapool.care import CareSplit, care_split
from ortswandel.engine import (
    BudgetParams,
    HousingAreaCost,
    Uncertainty,
    budget,
    e0_from_survival,
    project_trajectories,
    tfr,
)
from ortswandel.engine.infrastructure import (
    check_capacity,
    classes_needed,
    demand,
    pupils_by_grade,
    school_grades,
    use_rates,
)
from ortswandel.scenario import parse_scenario, run
from ortswandel.scenario.build import BuiltScenario
from ortswandel.scenario.errorband import error_band, mean_absolute_error

from .assumptions import (
    BUDGET_PARAMS,
    CAPACITY_FIELDS,
    CARE_RATES_SOURCE,
    UNCERTAINTY,
    budget_defaults,
)

__all__ = [
    "AGE_GROUPS",
    "BASE",
    "KINDS",
    "ScenarioChoice",
    "Settings",
    "base_defaults",
    "compute",
    "fan_chart",
    "scenario_document",
]

BASE = "Basis"
KINDS = ("housing", "migration", "kita", "school")
AGE_GROUPS: tuple[tuple[str, int, int | None], ...] = (
    ("0–2", 0, 3),
    ("3–5", 3, 6),
    ("6–9", 6, 10),
    ("10–17", 10, 18),
    ("18–29", 18, 30),
    ("30–49", 30, 50),
    ("50–64", 50, 65),
    ("65–79", 65, 80),
    ("80+", 80, None),
)
FAN_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
TRAJECTORIES = 1000


@dataclass(frozen=True)
class ScenarioChoice:
    """One scenario beside the base. ``kind``: ``housing`` (``per_year`` dwellings for
    ``years`` years of ``building_type``), ``migration`` (all migration × ``factor``), ``kita``
    (``groups`` groups of ``group_size`` places, negative = closed, for ``facility``),
    ``school`` (a merger: ``places`` lost at ``facility``). All from ``year`` on."""

    kind: str
    name: str
    year: int
    per_year: int = 0
    years: int = 1
    building_type: str = "semi_detached"
    factor: float = 1.0
    facility: str = ""
    groups: int = 0
    group_size: int = 0
    places: int = 0


@dataclass(frozen=True)
class Settings:
    """Everything the planner can change; ``None`` means the default."""

    horizon: int = 25
    tfr: float | None = None
    e0_female: float | None = None
    e0_male: float | None = None
    migration_factor: float = 1.0
    capacities: dict[str, float] = field(default_factory=dict)
    threshold: float = 0.7
    class_size_primary: int = 25
    class_size_secondary: int = 28
    budget: dict[str, float] = field(default_factory=budget_defaults)
    scenarios: tuple[ScenarioChoice, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["scenarios"] = [asdict(s) for s in self.scenarios]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        data = dict(data)
        data["scenarios"] = tuple(ScenarioChoice(**s) for s in data.get("scenarios", ()))
        data["budget"] = {**budget_defaults(), **data.get("budget", {})}
        return cls(**data)


def base_defaults(built: BuiltScenario) -> dict[str, Any]:
    """The default assumptions of the built scenario, each with its source (for the form)."""
    inp = built.inputs
    e0 = e0_from_survival(inp.survival[0, 0], inp.grid.width)
    area = built.areas[0]
    years = ", ".join(str(y) for y in built.notes.get("base_years", []))
    return {
        "tfr": round(float(tfr(inp.fertility[0, 0], inp.grid.width)), 3),
        "tfr_source": (
            "Zusammengefasste Geburtenziffer des Landes (Destatis) mit dem örtlichen "
            f"Kind-Frau-Faktor {area['cwr_factor']:.2f}".replace(".", ",")
        ),
        "e0_female": round(float(e0[0]), 2),
        "e0_male": round(float(e0[1]), 2),
        "e0_source": "Periodensterbetafel (Destatis 12621-0001), an das Land angepasst",
        "migration_factor": 1.0,
        "migration_source": (
            f"Wanderungssaldo nach Alter und Geschlecht aus den Jahren {years} (Residuenmethode, "
            f"Raten des Kreises {area['kreis']})"
        ),
        "population": area["population"],
        "name": area["name"],
        "launch": inp.start_year,
    }


def _paths(built: BuiltScenario, s: Settings, defaults: dict[str, Any]) -> dict[str, Any]:
    steps = s.horizon
    paths: dict[str, Any] = dict(built.document.get("paths", {}))
    if s.tfr is not None and abs(s.tfr - defaults["tfr"]) > 1e-9:
        paths["tfr"] = [s.tfr] * steps
    e0f = s.e0_female if s.e0_female is not None else defaults["e0_female"]
    e0m = s.e0_male if s.e0_male is not None else defaults["e0_male"]
    if abs(e0f - defaults["e0_female"]) > 1e-9 or abs(e0m - defaults["e0_male"]) > 1e-9:
        paths["e0"] = {"female": [e0f] * steps, "male": [e0m] * steps}
    if abs(s.migration_factor - 1.0) > 1e-9:
        level = paths.get("migration_level") or [1.0] * steps
        paths["migration_level"] = [v * s.migration_factor for v in level]
    return paths


def _change(c: ScenarioChoice) -> dict[str, Any] | None:
    if c.kind == "housing":
        # Year labels (docs/engine.md, "Year labels"): every year the workspace shows is a
        # calendar year — stocks on 31.12.Y, budget flows of year Y, scenarios "from Y". The
        # engine labels a step by the stock it starts from, so the step from 31.12.(Y-1) to
        # 31.12.Y is "Y-1": dwellings finished in Y belong to step Y-1, their occupants are
        # counted on 31.12.Y and the budget builds the area in Y (_budget_params).
        return {
            "type": "add_dwellings",
            "from_year": c.year - 1,
            "per_year": c.per_year,
            "years": c.years,
            "building_type": c.building_type,
        }
    if c.kind == "migration":
        return {"type": "scale_migration", "factor": c.factor}
    return None


def scenario_document(built: BuiltScenario, s: Settings) -> dict[str, Any]:
    """The scenario file of ``s`` (base with changed assumptions plus population scenarios)."""
    doc = dict(built.document)
    doc["steps"] = s.horizon
    paths = _paths(built, s, base_defaults(built))
    if paths:
        doc["paths"] = paths
    else:
        doc.pop("paths", None)
    scen = [
        {"name": c.name, "changes": [change]}
        for c in s.scenarios
        if (change := _change(c)) is not None
    ]
    if scen:
        doc["scenarios"] = scen
    doc["uncertainty"] = {**UNCERTAINTY, "seed": 1}
    return doc


def _series(a: np.ndarray) -> list[float]:
    return [round(float(v), 1) for v in a]


def _age_groups(pop: np.ndarray) -> dict[str, list[float]]:
    """``pop [T+1, 2, G]`` → persons per age group and year."""
    both = pop.sum(axis=1)
    return {label: _series(both[:, lo:hi].sum(axis=1)) for label, lo, hi in AGE_GROUPS}


def _pyramid(pop: np.ndarray, years: list[int]) -> dict[str, Any]:
    """Five-year groups by sex at the launch year and every 10 years up to the horizon."""
    picks = sorted({0, *range(10, len(years), 10), len(years) - 1})
    groups = [(f"{lo}–{lo + 4}", lo, lo + 5) for lo in range(0, 90, 5)] + [("90+", 90, None)]
    return {
        "years": [years[i] for i in picks],
        "groups": [g[0] for g in groups],
        "female": [[round(float(pop[i, 0, lo:hi].sum())) for _, lo, hi in groups] for i in picks],
        "male": [[round(float(pop[i, 1, lo:hi].sum())) for _, lo, hi in groups] for i in picks],
    }


def _capacity_path(s: Settings, facility: str, choice: ScenarioChoice | None, years: np.ndarray):
    cap = s.capacities.get(facility)
    if cap is None:
        return None
    path = np.full(years.shape, float(cap))
    if choice is not None and choice.facility == facility:
        delta = choice.groups * choice.group_size if choice.kind == "kita" else -choice.places
        path = np.where(years >= choice.year, np.maximum(path + delta, 0.0), path)
    return path


def _infrastructure(
    pop: np.ndarray,
    grid: Any,
    years: np.ndarray,
    *,
    land: str,
    s: Settings,
    choice: Any,
    care: CareSplit,
) -> dict[str, Any]:
    rates = use_rates(grid, land)
    need = {k: demand(pop, r)[:, 0] for k, r in rates.items()}
    for key, share in care.shares.items():
        need[key] = need["care"] * share
    out: dict[str, Any] = {}
    grades = school_grades(land)
    for key, _label in CAPACITY_FIELDS:
        d = need[key]
        row: dict[str, Any] = {"demand": _series(d)}
        cap = _capacity_path(s, key, choice, years)
        if cap is not None:
            chk = check_capacity(d[:, None], cap[:, None], years, s.threshold)
            util = chk.utilisation[:, 0]
            row["capacity"] = _series(cap)
            row["utilisation"] = [None if not np.isfinite(u) else round(float(u), 3) for u in util]
            row["first_exceeded"] = (
                int(chk.first_exceeded[0]) if chk.first_exceeded[0] > 0 else None
            )
            row["first_below"] = int(chk.first_below[0]) if chk.first_below[0] > 0 else None
        if key in grades:
            size = s.class_size_primary if key == "primary" else s.class_size_secondary
            pupils = pupils_by_grade(pop, grid, grades[key], land=land)
            row["classes"] = [int(v) for v in classes_needed(pupils, size)[:, 0]]
        out[key] = row
    return out


def _budget_params(s: Settings, choice: ScenarioChoice | None, launch: int) -> BudgetParams:
    b = s.budget
    housing = None
    if choice is not None and choice.kind == "housing" and choice.per_year > 0:
        n = choice.per_year * choice.years
        kinds = ("street", "pipes")
        housing = HousingAreaCost(
            start_year=max(choice.year, launch + 1),
            metres={k: b[f"{k}_m_per_dwelling"] * n for k in kinds},
            construction_per_metre={k: b[f"{k}_construction"] for k in kinds},
            operation_per_metre={k: b[f"{k}_operation"] for k in kinds},
            renewal_per_metre={k: b[f"{k}_renewal"] for k in kinds},
            renewal_years={k: int(b[f"{k}_renewal_years"]) for k in kinds},
        )
    return BudgetParams(
        revenue_per_capita=b["revenue_per_capita"],
        cost_per_capita=b["cost_per_capita"],
        key_allocation_per_capita=b["key_allocation_per_capita"],
        income_tax_per_taxpayer=b["income_tax_per_taxpayer"],
        income_tax_lag=int(b["income_tax_lag"]),
        discount_rate=b["discount_rate"],
        housing_area=housing,
    )


def error_band_rows(horizon: int) -> list[dict[str, Any]]:
    rows = []
    for h in sorted(int(k) for k in error_band()["by_horizon"]):
        if h > horizon:
            break
        rows.append(
            {
                "horizon": h,
                "mape": mean_absolute_error(h),
                "mape_0_5": mean_absolute_error(h, "0-5"),
                "mape_65": mean_absolute_error(h, "65+"),
            }
        )
    return rows


def _change_pct(both: np.ndarray, lo: int, hi: int | None) -> float | None:
    """Change of the persons aged ``lo`` … ``hi - 1`` from the launch to the horizon, in %."""
    start, end = float(both[0, lo:hi].sum()), float(both[-1, lo:hi].sum())
    return None if start <= 0 else round(100.0 * (end / start - 1.0), 1)


def _gap(infrastructure: dict[str, Any], prefix: str) -> float | None:
    """Places missing in the worst year, summed over the facilities ``prefix*`` that have a
    capacity (``None`` when no capacity was given)."""
    gaps = [
        max(d - c for d, c in zip(row["demand"], row["capacity"], strict=True))
        for key, row in infrastructure.items()
        if key.startswith(prefix) and "capacity" in row
    ]
    return round(sum(max(g, 0.0) for g in gaps)) if gaps else None


def challenge_values(pop: np.ndarray, infrastructure: dict[str, Any]) -> dict[str, float | None]:
    """The base projection in the terms of :mod:`ortswandel.planning.challenges` (the same keys
    as the all-Germany outlook, plus the Kita and care gaps that only the workspace knows).

    ``pop [T+1, 2, age]``: persons by year (launch … horizon), sex and single year of age.
    """
    both = pop.sum(axis=1)
    total = float(both[-1].sum())
    return {
        "change_pct": _change_pct(both, 0, None),
        "change_0_2_pct": _change_pct(both, 0, 3),
        "change_3_5_pct": _change_pct(both, 3, 6),
        "change_6_9_pct": _change_pct(both, 6, 10),
        "change_80_pct": _change_pct(both, 80, None),
        "share_65_horizon": round(100.0 * float(both[-1, 65:].sum()) / total, 1) if total else None,
        "share_80_horizon": round(100.0 * float(both[-1, 80:].sum()) / total, 1) if total else None,
        "kita_gap": _gap(infrastructure, "kita"),
        "care_gap": _gap(infrastructure, "care"),
    }


def compute(built: BuiltScenario, s: Settings, *, care: CareSplit | None = None) -> dict[str, Any]:
    """Run the base and every scenario of ``s``; everything the workspace shows, JSON-ready.

    ``care``: the split of care by kind (default: the municipality's district from the
    Pflegestatistik in the data directory, see :func:`ortswandel.datapool.care.care_split`)."""
    if care is None:
        care = care_split(kreis=built.areas[0]["kreis"])
    doc = scenario_document(built, s)
    spec = parse_scenario(doc)
    result = run(spec)
    launch = int(doc["start_year"])
    land = built.areas[0]["id"][:2]
    base = result.projections[BASE]
    years = base.years
    year_list = [int(y) for y in years]
    names = [BASE] + [c.name for c in s.scenarios]
    choices: dict[str, ScenarioChoice | None] = {BASE: None, **{c.name: c for c in s.scenarios}}
    out: dict[str, Any] = {
        "ags": built.areas[0]["id"],
        "name": built.areas[0]["name"],
        "launch": launch,
        "horizon": s.horizon,
        "years": year_list,
        "scenarios": names,
        "totals": {},
        "age_groups": {},
        "pyramid": {},
        "infrastructure": {},
        "budget": {},
    }
    for name in names:
        res = result.projections.get(name, base)
        pop = res.population[:, 0]
        out["totals"][name] = _series(pop.sum(axis=(1, 2)))
        out["age_groups"][name] = _age_groups(pop)
        out["pyramid"][name] = _pyramid(pop, year_list)
        out["infrastructure"][name] = _infrastructure(
            res.population, res.grid, years, land=land, s=s, choice=choices[name], care=care
        )
        b = budget(res, _budget_params(s, choices[name], launch))
        out["budget"][name] = {
            "items": {k: _series(v[:, 0]) for k, v in b.items.items()},
            "net": _series(b.net[:, 0]),
            "npv": round(float(b.npv[0])),
        }
    out["challenge_values"] = challenge_values(base.population[:, 0], out["infrastructure"][BASE])
    out["error_band"] = error_band_rows(s.horizon)
    out["sources"] = built.sources
    out["estimates"] = built.estimates
    out["care"] = care.as_dict()
    out["care_source"] = f"{care.label}. Pflegequoten nach Alter: {CARE_RATES_SOURCE}"
    out["budget_params"] = [
        {
            "name": p.name,
            "label": p.label,
            "unit": p.unit,
            "value": s.budget[p.name],
            "default": p.default,
            "source": p.source,
        }
        for p in BUDGET_PARAMS
    ]
    return out


def fan_chart(
    built: BuiltScenario, s: Settings, *, names: tuple[str, ...] = (BASE,), n: int = TRAJECTORIES
) -> dict[str, Any]:
    """Quantiles of the total population from ``n`` random trajectories per scenario."""
    doc = scenario_document(built, s)
    spec = parse_scenario(doc)
    inputs = {BASE: spec.inputs, **{sc.name: sc.apply(spec.inputs) for sc in spec.scenarios}}
    unc = Uncertainty(
        tfr_cv=UNCERTAINTY["tfr_cv"],
        e0_sd=UNCERTAINTY["e0_sd"],
        migration_cv=UNCERTAINTY["migration_cv"],
    )
    out: dict[str, Any] = {"quantiles": list(FAN_QUANTILES), "trajectories": n, "scenarios": {}}
    for name in names:
        inp = inputs.get(name, spec.inputs)
        tr = project_trajectories(inp, n, uncertainty=unc, seed=1, quantiles=FAN_QUANTILES)
        out["years"] = [int(y) for y in tr.years]
        out["scenarios"][name] = [_series(q[:, 0]) for q in tr.total_quantiles]
    return out
