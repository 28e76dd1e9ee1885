"""Scenario JSON -> engine dataclasses, with one clear problem per mistake.

See ``docs/scenario-format.md`` and ``docs/scenario.schema.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ortswandel.engine import (
    AgeGrid,
    EngineValueError,
    GrossMigration,
    HousingMigration,
    LifeTable,
    NetMigration,
    ProjectionInputs,
    RogersCastro,
    Scenario,
    Uncertainty,
    gamma_schedule,
    rogers_castro_profile,
)
from ortswandel.engine.defaults import number
from ortswandel.engine.fertility import DEFAULT_SD_AGE_OF_MOTHER
from ortswandel.engine.paths import apply_e0_path, apply_migration_path, apply_tfr_path

from .changes import parse_scenarios
from .extras import (
    BudgetSpec,
    InfrastructureSpec,
    area_lands,
    area_use_rates,
    parse_budget,
    parse_infrastructure,
)
from .reader import Problem, Reader, ScenarioError, json_type

__all__ = ["ScenarioSpec", "load_scenario", "parse_scenario"]

F64 = NDArray[np.float64]
TOP = {
    "start_year",
    "steps",
    "step_width",
    "open_age",
    "sex_ratio_at_birth",
    "migration_timing",
    "population",
    "areas",
    "survival",
    "fertility",
    "net_migration",
    "gross_migration",
    "housing",
    "paths",
    "scenarios",
    "uncertainty",
    "infrastructure",
    "budget",
    "title",
    "description",
    "$schema",
}
SEXES = ("female", "male")
#: Upper limits of fields whose plausible range is far below the general limit.
MAX_OPEN_AGE = 150
MAX_TFR = 10.0
#: Rogers–Castro parameters by name without the index (levels a, c; rates alpha, lambda; mu).
RC_MAXIMUM = {"a": 1e3, "c": 1e3, "alpha": 10.0, "lambda": 10.0, "mu": float(MAX_OPEN_AGE)}
PATH_MAXIMUM = {"tfr": MAX_TFR, "e0": 130.0, "migration_level": 100.0}


@dataclass(frozen=True)
class ScenarioSpec:
    """A parsed scenario file."""

    inputs: ProjectionInputs
    scenarios: list[Scenario] = field(default_factory=list)
    uncertainty: Uncertainty | None = None
    seed: int = 0
    infrastructure: InfrastructureSpec | None = None
    budget: BudgetSpec | None = None


def load_scenario(path: str | Path) -> ScenarioSpec:
    """Read and parse a scenario file; raises :class:`ScenarioError`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ScenarioError(
            [Problem(str(p), f"cannot be read ({exc.strerror})", "check the path and permissions")]
        ) from exc
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [
                Problem(
                    str(p),
                    f"is not UTF-8 text (byte {exc.start})",
                    "save the scenario file as UTF-8 JSON",
                )
            ]
        ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            [
                Problem(
                    f"{p.name} line {exc.lineno} column {exc.colno}",
                    f"is not valid JSON ({exc.msg})",
                    "fix the syntax (no comments or trailing commas in JSON)",
                )
            ]
        ) from exc
    except RecursionError as exc:
        raise ScenarioError(
            [
                Problem(
                    p.name,
                    "is nested too deeply to be read",
                    "see docs/scenario-format.md for the structure",
                )
            ]
        ) from exc
    return parse_scenario(data)


def _by_sex(
    r: Reader,
    value: Any,
    where: str,
    length: int | None,
    *,
    negative_ok: bool = False,
    maximum: float | None = None,
) -> F64 | None:
    obj = r.obj(value, where, set(SEXES), set(SEXES))
    if obj is None:
        return None
    unit = "values (one per age group)" if length is not None and length > 1 else "values"
    parts = [
        r.vector(
            obj.get(s), f"{where}.{s}", length, negative_ok=negative_ok, unit=unit, maximum=maximum
        )
        if s in obj
        else None
        for s in SEXES
    ]
    if any(p is None for p in parts):
        return None
    return np.stack(parts)  # type: ignore[arg-type]


def _grid(r: Reader, d: dict[str, Any]) -> AgeGrid | None:
    width = r.number(d.get("step_width", 1), "step_width", integer=True, maximum=5)
    if width is not None and width not in (1, 5):
        r.add("step_width", f"must be 1 or 5, got {width:g}", "use 1 (single years) or 5")
        return None
    w = int(width or 1)
    open_age = r.number(
        d.get("open_age", 100 if w == 1 else 85),
        "open_age",
        integer=True,
        minimum=w,
        exclusive_min=True,
        maximum=MAX_OPEN_AGE,
    )
    if open_age is None or width is None:
        return None
    if int(open_age) % w:
        r.add(
            "open_age",
            f"{open_age:g} is not a multiple of step_width {w}",
            f"use e.g. {85 if w == 5 else 100}",
        )
        return None
    return AgeGrid(w, int(open_age))


def _survival(r: Reader, value: Any, grid: AgeGrid) -> F64 | None:
    obj = r.obj(value, "survival", {*SEXES, "radix"}, set(SEXES))
    if obj is None:
        return None
    radix = r.number(obj.get("radix", 100000), "survival.radix", minimum=0, exclusive_min=True)
    rows = []
    for sex in SEXES:
        if sex not in obj:
            continue
        where = f"survival.{sex}"
        tab = r.obj(obj[sex], where, {"Lx", "qx", "ax", "open_mx", "q0"})
        if tab is None:
            continue
        if ("Lx" in tab) == ("qx" in tab):
            r.add(
                where,
                "needs exactly one of 'Lx' or 'qx'",
                'give {"Lx": [...]} (person-years, last = T of the open group) or {"qx": [...]}',
            )
            continue
        try:
            if "Lx" in tab:
                lx = r.vector(tab["Lx"], f"{where}.Lx", grid.n, unit="Lx values")
                if lx is not None and radix is not None:
                    rows.append(LifeTable(lx, width=grid.width, radix=radix).survival_ratios())
            else:
                qx = tab["qx"]
                ok = isinstance(qx, list) and len(qx) in (grid.n - 1, grid.n)
                n = len(qx) if ok else grid.n - 1
                q = r.vector(qx, f"{where}.qx", n, unit="death probabilities", maximum=1)
                if q is not None and q.size == grid.n and q[-1] != 1:
                    r.add(
                        f"{where}.qx[{grid.n - 1}]",
                        f"the open group's value must be 1, got {q[-1]:g}",
                        f"give {grid.n - 1} values (closed groups only) or end with 1",
                    )
                    q = None
                ax = (
                    r.vector(
                        tab["ax"],
                        f"{where}.ax",
                        n,
                        unit="years (one per qx value)",
                        maximum=grid.width,
                    )
                    if "ax" in tab
                    else None
                )
                mx = (
                    r.number(tab["open_mx"], f"{where}.open_mx", minimum=0, exclusive_min=True)
                    if "open_mx" in tab
                    else None
                )
                q0 = (
                    r.number(tab["q0"], f"{where}.q0", minimum=0, maximum=1)
                    if "q0" in tab
                    else None
                )
                if (
                    q is not None
                    and radix is not None
                    and ("ax" not in tab or ax is not None)
                    and ("q0" not in tab or q0 is not None)
                ):
                    rows.append(
                        LifeTable.from_qx(
                            q, width=grid.width, sex=sex, radix=radix, ax=ax, open_mx=mx, q0=q0
                        ).survival_ratios()
                    )
        except EngineValueError as exc:
            r.add(f"{where}", f"{exc.problem}", exc.fix)
    return np.stack(rows) if len(rows) == 2 else None


def _fertility(r: Reader, value: Any, grid: AgeGrid) -> F64 | None:  # noqa: PLR0911 - early exits
    obj = r.obj(value, "fertility", {"first_age", "rates", "tfr", "mean_age", "sd"})
    if obj is None:
        return None
    if "rates" in obj:
        first = r.number(obj.get("first_age", 15), "fertility.first_age", integer=True, minimum=0)
        rates = r.vector(obj["rates"], "fertility.rates", None, unit="rates", maximum=1)
        if first is None or rates is None:
            return None
        if int(first) % grid.width:
            r.add(
                "fertility.first_age",
                f"{first:g} is not on the {grid.width}-year grid",
                f"use a multiple of {grid.width}",
            )
            return None
        start = int(first) // grid.width
        if start + rates.size > grid.n - 1:
            last = int(first) + rates.size * grid.width - 1
            r.add(
                "fertility.rates",
                f"covers ages {int(first)}-{last}, beyond the last closed "
                f"age group (open group starts at {grid.open_age})",
                f"give at most {grid.n - 1 - start} rates or lower first_age",
            )
            return None
        out = np.zeros(grid.n)
        out[start : start + rates.size] = rates
        return out
    if not {"tfr", "mean_age"} <= set(obj):
        r.add(
            "fertility",
            "needs 'rates' or both 'tfr' and 'mean_age'",
            'give {"first_age": 15, "rates": [...]} or {"tfr": 1.5, "mean_age": 31.5}',
        )
        return None
    tfr = r.number(obj["tfr"], "fertility.tfr", minimum=0, maximum=MAX_TFR)
    mean = r.number(obj["mean_age"], "fertility.mean_age", minimum=0, maximum=MAX_OPEN_AGE)
    sd = r.number(
        obj.get("sd", DEFAULT_SD_AGE_OF_MOTHER),
        "fertility.sd",
        minimum=0,
        exclusive_min=True,
        maximum=20,
    )
    if tfr is None or mean is None or sd is None:
        return None
    try:
        return gamma_schedule(grid, tfr, mean, sd=sd)
    except EngineValueError as exc:
        r.add(exc.field, exc.problem, exc.fix)
        return None


def _rc_profile(r: Reader, value: dict[str, Any], where: str, grid: AgeGrid) -> F64 | None:
    obj = r.obj(value, where, {"rogers_castro", "female_share"})
    params = r.obj(
        value["rogers_castro"], f"{where}.rogers_castro", set(RogersCastro.__dataclass_fields__)
    )
    share = r.number(
        (obj or {}).get("female_share", 0.5), f"{where}.female_share", minimum=0, maximum=1
    )
    if params is None or share is None:
        return None
    vals = {
        k: r.number(
            v,
            f"{where}.rogers_castro.{k}",
            minimum=-MAX_OPEN_AGE if k.startswith("mu") else 0,
            maximum=RC_MAXIMUM[k.rstrip("0123")],
        )
        for k, v in params.items()
        if k in RogersCastro.__dataclass_fields__
    }
    if any(v is None for v in vals.values()):
        return None
    try:
        rc = RogersCastro(**{k: float(v or 0.0) for k, v in vals.items()})
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            prof = rogers_castro_profile(grid, rc)
    except (EngineValueError, FloatingPointError, ValueError) as exc:
        r.add(
            f"{where}.rogers_castro",
            f"gives no usable age profile ({exc})",
            "use parameters like a1=0.02, alpha1=0.1, a2=0.06, alpha2=0.1, mu2=20, "
            "lambda2=0.4, c=0.003",
        )
        return None
    return np.stack([prof * share, prof * (1 - share)])


def _profile(r: Reader, value: Any, where: str, grid: AgeGrid) -> F64 | None:
    """An age-sex profile ``[2, G]`` summing to 1: Rogers–Castro or weights by sex and age."""
    if isinstance(value, dict) and "rogers_castro" in value:
        return _rc_profile(r, value, where, grid)
    prof = _by_sex(r, value, where, grid.n)
    if prof is None:
        return None
    if prof.sum() <= 0:
        r.add(where, "is all zero", "give relative weights by sex and age")
        return None
    return prof / prof.sum()


def _gross(r: Reader, value: Any, grid: AgeGrid) -> GrossMigration | None:
    obj = r.obj(
        value,
        "gross_migration",
        {"out_rates", "in_total", "in_profile"},
        {"out_rates", "in_total", "in_profile"},
    )
    if obj is None or not {"out_rates", "in_total", "in_profile"} <= set(obj):
        return None
    out = _by_sex(r, obj["out_rates"], "gross_migration.out_rates", grid.n, maximum=1)
    tot = r.number(obj["in_total"], "gross_migration.in_total", minimum=0)
    prof = _profile(r, obj["in_profile"], "gross_migration.in_profile", grid)
    if out is None or tot is None or prof is None:
        return None
    return GrossMigration(out, np.array([tot]), prof)


def _housing(r: Reader, value: Any, grid: AgeGrid, steps: int | None) -> HousingMigration | None:
    """``steps`` is ``None`` if the number of steps is invalid (lengths are not checked)."""
    obj = r.obj(
        value,
        "housing",
        {"dwellings", "occupants", "share_from_outside", "profile"},
        {"dwellings", "occupants"},
    )
    if obj is None or not {"dwellings", "occupants"} <= set(obj):
        return None
    dw = r.obj(
        obj["dwellings"],
        "housing.dwellings",
        set(obj["dwellings"]) if isinstance(obj["dwellings"], dict) else set(),
    )
    occ = r.obj(obj["occupants"], "housing.occupants", set(dw or {}), set(dw or {}))
    if dw is None or occ is None:
        return None
    types = sorted(dw)
    cols, occupants = [], []
    for t in types:
        v = dw[t]
        arr = r.vector(
            v if isinstance(v, list) else [v] * (steps or 1),
            f"housing.dwellings.{t}",
            steps,
            unit="dwellings per year (one per step, or one number)",
        )
        o = r.number(occ.get(t), f"housing.occupants.{t}", minimum=0, maximum=100)
        if arr is not None and o is not None:
            cols.append(arr)
            occupants.append(o)
    share = r.number(
        obj.get("share_from_outside", number("share_from_outside")),
        "housing.share_from_outside",
        minimum=0,
        maximum=1,
    )
    prof = (
        _profile(r, obj["profile"], "housing.profile", grid)
        if "profile" in obj
        else _profile(r, {"rogers_castro": {}}, "housing.profile", grid)
    )
    if len(cols) != len(types) or share is None or prof is None or not types or steps is None:
        if not types:
            r.add("housing.dwellings", "is empty", 'give e.g. {"detached": 30}')
        return None
    dwell = np.stack(cols, axis=-1)[:, None, :]  # [T, 1, K]
    return HousingMigration(
        dwell, np.array(occupants), np.full(len(types), share), prof, tuple(types)
    )


def _areas(
    r: Reader, d: dict[str, Any], grid: AgeGrid, net_shared: F64 | None
) -> tuple[F64 | None, F64 | None, tuple[str, ...]]:
    if ("areas" in d) == ("population" in d):
        r.add(
            "population",
            "give either 'population' (one area) or 'areas' (several)",
            'use "population": {"female": [...], "male": [...]} or "areas": [{"id": ...}]',
        )
        return None, None, ()
    if "population" in d:
        pop = _by_sex(r, d["population"], "population", grid.n)
        return (
            (None if pop is None else pop[None]),
            (None if net_shared is None else net_shared[None]),
            ("1",),
        )
    areas = d["areas"]
    if not isinstance(areas, list) or not areas:
        r.add("areas", "must be a non-empty list", 'give [{"id": "09162000", "population": ...}]')
        return None, None, ()
    pops: list[F64 | None] = []
    nets: list[F64 | None] = []
    ids: list[str] = []
    for i, a in enumerate(areas):
        obj = r.obj(
            a, f"areas[{i}]", {"id", "name", "population", "net_migration"}, {"id", "population"}
        )
        if obj is None:
            continue
        area_id = obj.get("id")
        if "id" in obj and (not isinstance(area_id, str) or not area_id.strip()):
            r.add(
                f"areas[{i}].id",
                f"must be a non-empty text, got {_short_json(area_id)}",
                'write the id in quotes, e.g. "09162000" (numbers lose leading zeros)',
            )
        ids.append(str(area_id))
        if "population" not in obj:
            pops.append(None)
            continue
        pops.append(_by_sex(r, obj["population"], f"areas[{i}].population", grid.n))
        if "net_migration" in obj:
            nets.append(
                _by_sex(
                    r, obj["net_migration"], f"areas[{i}].net_migration", grid.n, negative_ok=True
                )
            )
        else:
            nets.append(net_shared if net_shared is not None else np.zeros((2, grid.n)))
    if len(set(ids)) != len(ids):
        r.add("areas", "ids are not unique", "give every area its own id")
    good_pops = [p for p in pops if p is not None]
    good_nets = [n for n in nets if n is not None]
    if len(good_pops) != len(pops) or len(good_nets) != len(nets) or not pops:
        return None, None, tuple(ids)
    per_area = any("net_migration" in a for a in areas if isinstance(a, dict))
    net = np.stack(good_nets) if per_area or net_shared is not None else None
    return np.stack(good_pops), net, tuple(ids)


def _short_json(value: Any) -> str:
    return json_type(value) if not isinstance(value, int | float) else repr(value)


def _apply_paths(
    r: Reader, value: Any, inputs: ProjectionInputs | None, t: int | None
) -> ProjectionInputs | None:
    """Check the paths (``inputs=None``) or apply them (problems were reported already)."""
    if inputs is not None:
        r = Reader()
    obj = r.obj(value, "paths", {"tfr", "e0", "migration_level"})
    if obj is None or inputs is None:
        if obj is not None:
            for key in ("tfr", "migration_level"):
                if key in obj:
                    r.vector(
                        obj[key],
                        f"paths.{key}",
                        t,
                        unit="values (one per step)",
                        maximum=PATH_MAXIMUM[key],
                    )
            if "e0" in obj:
                _by_sex(r, obj["e0"], "paths.e0", t, maximum=PATH_MAXIMUM["e0"])
        return inputs
    try:
        v = (
            r.vector(obj["tfr"], "paths.tfr", t, unit="TFR values", maximum=MAX_TFR)
            if "tfr" in obj
            else None
        )
        if v is not None:
            inputs = apply_tfr_path(inputs, v)
        if "e0" in obj:
            e0 = _by_sex(r, obj["e0"], "paths.e0", t, maximum=PATH_MAXIMUM["e0"])
            if e0 is not None:
                inputs = apply_e0_path(inputs, e0[0], e0[1])
        if "migration_level" in obj:
            lvl = r.vector(
                obj["migration_level"],
                "paths.migration_level",
                t,
                unit="levels",
                maximum=PATH_MAXIMUM["migration_level"],
            )
            if lvl is not None:
                inputs = apply_migration_path(inputs, lvl)
    except EngineValueError as exc:
        r.add(f"paths.{exc.field}", exc.problem, exc.fix)
    r.raise_if_any()
    return inputs


def _base_fields(r: Reader, d: dict[str, Any]) -> tuple[int | None, int | None, float | None]:
    start = (
        r.number(d.get("start_year"), "start_year", integer=True, minimum=1800, maximum=2300)
        if "start_year" in d
        else None
    )
    steps = (
        r.number(d.get("steps"), "steps", integer=True, minimum=1, maximum=200)
        if "steps" in d
        else None
    )
    srb = r.number(
        d.get("sex_ratio_at_birth", 1.05),
        "sex_ratio_at_birth",
        minimum=0,
        exclusive_min=True,
        maximum=10,
    )
    timing = d.get("migration_timing", "end")
    if timing not in ("end", "even"):
        r.add("migration_timing", f"unknown value {timing!r}", 'use "end" or "even"')
    return (None if start is None else int(start)), (None if steps is None else int(steps)), srb


def parse_scenario(data: Any) -> ScenarioSpec:
    """Validate a decoded scenario document and build engine inputs.

    Raises
    ------
    ScenarioError
        With one :class:`Problem` per mistake found.
    """
    r = Reader()
    d = r.obj(data, "", TOP, {"start_year", "steps", "survival", "fertility"})
    if d is None:
        r.raise_if_any()
        raise AssertionError  # unreachable: obj() recorded a problem
    start, steps, srb = _base_fields(r, d)
    grid = _grid(r, d)
    if grid is None:
        r.raise_if_any()
        raise AssertionError
    known_steps = steps  # None if invalid: the problem is recorded, lengths are not checked
    steps = steps or 1  # placeholder that keeps the other checks going
    start = start or 2000
    surv = _survival(r, d["survival"], grid) if "survival" in d else None
    fert = _fertility(r, d["fertility"], grid) if "fertility" in d else None
    net = (
        _by_sex(r, d["net_migration"], "net_migration", grid.n, negative_ok=True)
        if "net_migration" in d
        else None
    )
    pop, net_by_area, ids = _areas(r, d, grid, net)
    gross = _gross(r, d["gross_migration"], grid) if "gross_migration" in d else None
    housing = _housing(r, d["housing"], grid, known_steps) if "housing" in d else None
    scenarios = parse_scenarios(r, d["scenarios"], grid, ids) if "scenarios" in d else []
    unc, seed = _uncertainty(r, d.get("uncertainty")) if "uncertainty" in d else (None, 0)
    infra = parse_infrastructure(r, d["infrastructure"], ids) if "infrastructure" in d else None
    if "paths" in d:
        _apply_paths(r, d["paths"], None, known_steps)  # check only; applied below
    bud = None
    if "budget" in d:
        lands = area_lands(ids, infra.land if infra else None)
        rates = area_use_rates(grid, lands, infra.school_entry_age if infra else None)
        bud = parse_budget(r, d["budget"], rates, ids)
    r.raise_if_any()
    assert pop is not None and surv is not None and fert is not None and srb is not None  # noqa: S101
    try:
        inputs = ProjectionInputs(
            grid=grid,
            population=pop,
            survival=surv,
            fertility=fert,
            steps=steps,
            start_year=start,
            sex_ratio_at_birth=srb,
            net_migration=None if net_by_area is None else NetMigration(net_by_area),
            gross_migration=gross,
            housing=housing,
            migration_timing=d.get("migration_timing", "end"),
            area_ids=ids,
        )
    except EngineValueError as exc:
        raise ScenarioError([Problem(exc.field, exc.problem, exc.fix)]) from exc
    if "paths" in d:
        inputs = _apply_paths(r, d["paths"], inputs, steps) or inputs
    for i, sc in enumerate(scenarios):  # changes that do not fit the base, e.g. path lengths
        try:
            sc.apply(inputs)
        except EngineValueError as exc:
            r.add(f"scenarios[{i}] ({sc.name}): {exc.field}", exc.problem, exc.fix)
    r.raise_if_any()
    return ScenarioSpec(inputs, scenarios, unc, seed, infra, bud)


def _uncertainty(r: Reader, value: Any) -> tuple[Uncertainty | None, int]:
    obj = r.obj(value, "uncertainty", {"tfr_cv", "e0_sd", "migration_cv", "demographic", "seed"})
    if obj is None:
        return None, 0
    vals = {
        k: r.number(obj.get(k, 0.0), f"uncertainty.{k}", minimum=0, maximum=top)
        for k, top in (("tfr_cv", 1.0), ("e0_sd", 10.0), ("migration_cv", 1.0))
    }
    seed = r.number(
        obj.get("seed", 0), "uncertainty.seed", integer=True, minimum=0, maximum=2**63 - 1
    )
    demo = obj.get("demographic", True)
    if not isinstance(demo, bool):
        r.add("uncertainty.demographic", "must be true or false", "write true or false")
        demo = True
    if any(v is None for v in vals.values()) or seed is None:
        return None, 0
    return Uncertainty(
        vals["tfr_cv"] or 0.0, vals["e0_sd"] or 0.0, vals["migration_cv"] or 0.0, demo
    ), int(seed)
