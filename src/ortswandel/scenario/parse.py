"""Scenario JSON -> engine dataclasses, with one clear problem per mistake.

Reading has three stages: :func:`~.model.frame` reads what single fields depend on (age grid,
steps, area ids), the models (:class:`~.model.ScenarioFile`) check structure and rules, and
the functions here build the engine inputs, reporting what the engine itself rejects. See
``docs/scenario-format.md`` and ``docs/scenario.schema.json``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

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
from ortswandel.engine.paths import apply_e0_path, apply_migration_path, apply_tfr_path

from . import model as m
from .changes import build_scenarios
from .extras import (
    BudgetSpec,
    InfrastructureSpec,
    area_lands,
    area_use_rates,
    build_budget,
    build_infrastructure,
)
from .fields import Frame
from .problems import Problem, ScenarioError, problem
from .translate import translate

__all__ = ["ScenarioSpec", "load_scenario", "parse_scenario", "validate"]

F64 = NDArray[np.float64]
_ORDER = {f.alias or name: i for i, (name, f) in enumerate(m.ScenarioFile.model_fields.items())}


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
        raise ScenarioError([problem(str(p), "unreadable", reason=exc.strerror)]) from exc
    except UnicodeDecodeError as exc:
        raise ScenarioError([problem(str(p), "not_utf8", byte=exc.start)]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{p.name} line {exc.lineno} column {exc.colno}"
        raise ScenarioError([problem(where, "not_json", reason=exc.msg)]) from exc
    except RecursionError as exc:
        raise ScenarioError([problem(p.name, "too_deep")]) from exc
    except ValueError as exc:  # an integer of more than sys.get_int_max_str_digits() digits
        limit = sys.get_int_max_str_digits()
        raise ScenarioError([problem(p.name, "number_too_long", digits=limit)]) from exc
    return parse_scenario(data)


def validate(data: Any) -> tuple[m.ScenarioFile, Frame]:
    """Check a decoded scenario document against the models and rules.

    Raises
    ------
    ScenarioError
        With one :class:`Problem` per mistake found.
    """
    frame, rule_errors = m.frame(data)
    errors: list[Any] = [
        {"type": code, "loc": loc, "input": value, "ctx": params}
        for loc, code, params, value in rule_errors
    ]
    try:
        spec = m.ScenarioFile.model_validate(data, context={"frame": frame})
    except ValidationError as exc:
        errors += exc.errors(include_url=False)
    except RecursionError as exc:
        raise ScenarioError([problem("", "too_deep")]) from exc
    if errors:
        problems = translate(m.ScenarioFile, errors)
        problems.sort(key=lambda p: _ORDER.get(p.field.split(".")[0].split("[")[0], -1))
        raise ScenarioError(problems)
    return spec, frame


def parse_scenario(data: Any) -> ScenarioSpec:
    """Validate a decoded scenario document and build engine inputs.

    Raises
    ------
    ScenarioError
        With one :class:`Problem` per mistake found.
    """
    spec, frame = validate(data)
    grid = frame.grid
    assert grid is not None  # noqa: S101 - validate() reports an invalid grid
    out: list[Problem] = []
    surv = _survival(spec.survival, grid, out)
    fert = _fertility(spec.fertility, grid, out)
    net = None if spec.net_migration is None else _by_sex(spec.net_migration)
    pop, net_by_area, ids = _areas(spec, grid, net)
    gross = None if spec.gross_migration is None else _gross(spec.gross_migration, grid, out)
    housing = None if spec.housing is None else _housing(spec.housing, grid, spec.steps, out)
    scenarios = build_scenarios(spec.scenarios, ids)
    unc = None if spec.uncertainty is None else _uncertainty(spec.uncertainty)
    infra = None if spec.infrastructure is None else build_infrastructure(spec.infrastructure, ids)
    bud = None
    if spec.budget is not None:
        lands = area_lands(ids, infra.land if infra else None)
        rates = area_use_rates(grid, lands, infra.school_entry_age if infra else None)
        bud = build_budget(spec.budget, rates, ids, out)
    if out or surv is None or fert is None:
        raise ScenarioError(out)
    try:
        inputs = ProjectionInputs(
            grid=grid,
            population=pop,
            survival=surv,
            fertility=fert,
            steps=spec.steps,
            start_year=spec.start_year,
            sex_ratio_at_birth=spec.sex_ratio_at_birth,
            net_migration=None if net_by_area is None else NetMigration(net_by_area),
            gross_migration=gross,
            housing=housing,
            migration_timing=spec.migration_timing,
            area_ids=ids,
        )
    except EngineValueError as exc:
        raise ScenarioError([_engine(exc.field, exc)]) from exc
    if spec.paths is not None:
        inputs = _apply_paths(spec.paths, inputs, out)
        if out:
            raise ScenarioError(out)
    for i, sc in enumerate(scenarios):  # changes that do not fit the base, e.g. path lengths
        try:
            sc.apply(inputs)
        except EngineValueError as exc:
            out.append(_engine(f"scenarios[{i}] ({sc.name}): {exc.field}", exc))
    if out:
        raise ScenarioError(out)
    seed = spec.uncertainty.seed if spec.uncertainty is not None else 0
    return ScenarioSpec(inputs, scenarios, unc, seed, infra, bud)


def _engine(where: str, exc: EngineValueError) -> Problem:
    return problem(where, "engine", problem=exc.problem, fix=exc.fix)


def _by_sex(v: m.Population | m.NetMigration | m.OutRates | m.Weights | m.E0Path) -> F64:
    return np.stack([np.asarray(v.female, dtype=np.float64), np.asarray(v.male, dtype=np.float64)])


def _survival(spec: m.Survival, grid: AgeGrid, out: list[Problem]) -> F64 | None:
    rows = []
    for sex, tab in (("female", spec.female), ("male", spec.male)):
        try:
            if tab.lx is not None:
                table = LifeTable(
                    np.asarray(tab.lx, dtype=np.float64), width=grid.width, radix=spec.radix
                )
            else:
                table = LifeTable.from_qx(
                    np.asarray(tab.qx, dtype=np.float64),
                    width=grid.width,
                    sex=sex,
                    radix=spec.radix,
                    ax=None if tab.ax is None else np.asarray(tab.ax, dtype=np.float64),
                    open_mx=tab.open_mx,
                    q0=tab.q0,
                )
            rows.append(table.survival_ratios())
        except EngineValueError as exc:
            out.append(_engine(f"survival.{sex}", exc))
    return np.stack(rows) if len(rows) == 2 else None


def _fertility(spec: m.Fertility, grid: AgeGrid, out: list[Problem]) -> F64 | None:
    if spec.rates is not None:
        rates = np.zeros(grid.n)
        start = spec.first_age // grid.width
        rates[start : start + len(spec.rates)] = spec.rates
        return rates
    assert spec.tfr is not None and spec.mean_age is not None  # noqa: S101 - checked by the model
    try:
        return gamma_schedule(grid, spec.tfr, spec.mean_age, sd=spec.sd)
    except EngineValueError as exc:
        out.append(_engine(exc.field, exc))
        return None


def _profile(
    spec: m.RogersCastroProfile | m.Weights, where: str, grid: AgeGrid, out: list[Problem]
) -> F64 | None:
    """An age-sex profile ``[2, G]`` summing to 1."""
    if isinstance(spec, m.Weights):
        prof = _by_sex(spec)
        if prof.sum() <= 0:
            out.append(problem(where, "all_zero"))
            return None
        return prof / prof.sum()
    try:
        rc = RogersCastro(**spec.rogers_castro.model_dump())
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            prof = rogers_castro_profile(grid, rc)
    except (EngineValueError, FloatingPointError, ValueError) as exc:
        example = "a1=0.02, alpha1=0.1, a2=0.06, alpha2=0.1, mu2=20, lambda2=0.4, c=0.003"
        out.append(
            problem(f"{where}.rogers_castro", "no_profile", reason=str(exc), example=example)
        )
        return None
    share = spec.female_share
    return np.stack([prof * share, prof * (1 - share)])


def _gross(spec: m.GrossMigration, grid: AgeGrid, out: list[Problem]) -> GrossMigration | None:
    prof = _profile(spec.in_profile, "gross_migration.in_profile", grid, out)
    if prof is None:
        return None
    return GrossMigration(_by_sex(spec.out_rates), np.array([spec.in_total]), prof)


def _housing(
    spec: m.Housing, grid: AgeGrid, steps: int, out: list[Problem]
) -> HousingMigration | None:
    default = m.RogersCastroProfile(rogers_castro=m.RogersCastroParams())
    prof = _profile(spec.profile or default, "housing.profile", grid, out)
    if prof is None:
        return None
    types = sorted(spec.dwellings)
    cols = [
        np.asarray(v if isinstance(v, list) else [v] * steps, dtype=np.float64)
        for v in (spec.dwellings[t] for t in types)
    ]
    dwell = np.stack(cols, axis=-1)[:, None, :]  # [T, 1, K]
    occupants = np.array([spec.occupants[t] for t in types])
    share = np.full(len(types), spec.share_from_outside)
    return HousingMigration(dwell, occupants, share, prof, tuple(types))


def _areas(
    spec: m.ScenarioFile, grid: AgeGrid, net_shared: F64 | None
) -> tuple[F64, F64 | None, tuple[str, ...]]:
    if spec.population is not None:
        pop = _by_sex(spec.population)[None]
        return pop, (None if net_shared is None else net_shared[None]), ("1",)
    areas = spec.areas or []
    pops = np.stack([_by_sex(a.population) for a in areas])
    nets = [
        _by_sex(a.net_migration)
        if a.net_migration is not None
        else (net_shared if net_shared is not None else np.zeros((2, grid.n)))
        for a in areas
    ]
    per_area = any(a.net_migration is not None for a in areas)
    net = np.stack(nets) if per_area or net_shared is not None else None
    return pops, net, tuple(a.id for a in areas)


def _apply_paths(spec: m.Paths, inputs: ProjectionInputs, out: list[Problem]) -> ProjectionInputs:
    try:
        if spec.tfr is not None:
            inputs = apply_tfr_path(inputs, np.asarray(spec.tfr, dtype=np.float64))
        if spec.e0 is not None:
            e0 = _by_sex(spec.e0)
            inputs = apply_e0_path(inputs, e0[0], e0[1])
        if spec.migration_level is not None:
            level = np.asarray(spec.migration_level, dtype=np.float64)
            inputs = apply_migration_path(inputs, level)
    except EngineValueError as exc:
        out.append(_engine(f"paths.{exc.field}", exc))
    return inputs


def _uncertainty(spec: m.Uncertainty) -> Uncertainty:
    return Uncertainty(spec.tfr_cv, spec.e0_sd, spec.migration_cv, spec.demographic)
