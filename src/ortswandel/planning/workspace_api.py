"""API operations of the projection workspace, registered on the planning router.

``GET /api/planning/municipalities/{ags}/default-scenario``: the default scenario of a
municipality as a scenario file (``docs/scenario-format.md``) with its sources, estimates and
the measured error band. ``POST /api/planning/projections``: run a scenario file synchronously
within :data:`LIMITS` (one area, 50 steps, 5 scenarios, 1,000 trajectories); beyond them a 422
``limit_exceeded`` that names the limit. A bad file: 422 ``invalid_scenario`` with one German
message per field (JSON path).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from pydantic import BaseModel, ConfigDict

from ortswandel.core.api import BODY_ERRORS, error_responses
from ortswandel.core.errors import Unprocessable
from ortswandel.engine import EngineValueError, Uncertainty, project_trajectories
from ortswandel.scenario import ScenarioError, parse_scenario, run

from . import selectors
from .api import router
from .assumptions import UNCERTAINTY
from .workspace import AGE_GROUPS, base_defaults, error_band_rows

LIMITS = {"areas": 1, "steps": 50, "scenarios": 5, "trajectories": 1000}


class ErrorBandOut(Schema):
    horizon: int = Field(description="Jahre nach dem Start der Rückrechnung")
    mape: float | None = Field(description="Mittlere absolute Abweichung der Einwohnerzahl, %")
    mape_0_5: float | None = Field(description="dasselbe für Kinder von 0 bis 5 Jahren, %")
    mape_65: float | None = Field(description="dasselbe für Personen ab 65 Jahren, %")


class DefaultScenarioOut(Schema):
    ags: str
    name: str
    launch: int = Field(description="Jahr der Basisbevölkerung (31.12.)")
    horizon: int
    document: dict[str, Any] = Field(description="Szenario-Datei (docs/scenario-format.md)")
    sources: list[dict[str, str]]
    estimates: list[str]
    error_band: list[ErrorBandOut]


class HorizonQuery(Schema):
    horizon: int = Field(25, ge=1, le=50, description="Jahre (1 bis 50)")


@router.get(
    "/municipalities/{ags}/default-scenario",
    response={200: DefaultScenarioOut, **error_responses(404)},
    summary="Standard-Szenario einer Gemeinde",
)
def default_scenario(request: HttpRequest, ags: str, query: Query[HorizonQuery]) -> dict[str, Any]:
    built = selectors.built_scenario(ags=ags, horizon=query.horizon)
    defaults = base_defaults(built)
    return {
        "ags": ags,
        "name": defaults["name"],
        "launch": defaults["launch"],
        "horizon": query.horizon,
        "document": built.document,
        "sources": built.sources,
        "estimates": built.estimates,
        "error_band": error_band_rows(query.horizon),
    }


class ScenarioFileIn(BaseModel):
    """A scenario file (``docs/scenario-format.md``, JSON Schema ``docs/scenario.schema.json``);
    its fields are checked by the scenario parser, which names every bad field."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": True})


class ProjectionQuery(Schema):
    trajectories: int = Field(
        0, ge=0, le=LIMITS["trajectories"], description="Zufallspfade für Quantile (0 bis 1.000)"
    )


class ProjectionOut(Schema):
    years: list[int]
    areas: list[str]
    scenarios: list[str] = Field(description="„Basis“ und die Szenarien der Datei")
    totals: dict[str, dict[str, list[float]]] = Field(
        description="Einwohner je Szenario, Gebiet und Jahr"
    )
    age_groups: dict[str, dict[str, dict[str, list[float]]]] = Field(
        description="Einwohner je Szenario, Gebiet, Altersgruppe und Jahr"
    )
    quantiles: dict[str, dict[str, list[list[float]]]] | None = Field(
        None, description="Quantile 10/50/90 % der Einwohner je Szenario, Gebiet und Jahr"
    )
    clipped_cells: dict[str, int] = Field(
        description="Zellen je Szenario, die negativ geworden wären (auf 0 gesetzt)"
    )


def _limit(name: str, given: int) -> Unprocessable:
    labels = {
        "areas": _("Gebiete"),
        "steps": _("Schritte (steps)"),
        "scenarios": _("Szenarien"),
    }
    return Unprocessable(
        _(
            "Zu groß für eine sofortige Berechnung: %(given)d %(what)s, erlaubt sind höchstens "
            "%(limit)d. Größere Läufe bitte mit „ortswandel project“ rechnen."
        )
        % {"given": given, "what": labels[name], "limit": LIMITS[name]},
        code="limit_exceeded",
        fields={name: _("höchstens %(limit)d") % {"limit": LIMITS[name]}},
    )


def _check_limits(doc: dict[str, Any]) -> None:
    areas = doc.get("areas")
    if isinstance(areas, list) and len(areas) > LIMITS["areas"]:
        raise _limit("areas", len(areas))
    steps = doc.get("steps")
    if isinstance(steps, int) and not isinstance(steps, bool) and steps > LIMITS["steps"]:
        raise _limit("steps", steps)
    scenarios = doc.get("scenarios")
    if isinstance(scenarios, list) and len(scenarios) > LIMITS["scenarios"]:
        raise _limit("scenarios", len(scenarios))


def _bands(grid: Any) -> list[tuple[str, np.ndarray]]:
    ages = np.asarray(grid.starts)
    return [
        (label, (ages >= lo) & (ages < (hi if hi is not None else 10_000)))
        for label, lo, hi in AGE_GROUPS
    ]


def _rounded(values: Any) -> list[float]:
    return [round(float(v), 1) for v in values]


@router.post(
    "/projections",
    response={200: ProjectionOut, **error_responses(*BODY_ERRORS)},
    summary="Vorausberechnung aus einer Szenario-Datei",
)
def run_projection(
    request: HttpRequest, payload: ScenarioFileIn, query: Query[ProjectionQuery]
) -> dict[str, Any]:
    document = dict(payload.model_extra or {})
    _check_limits(document)
    try:
        spec = parse_scenario(document)
        result = run(spec)
        trajectories = {}
        if query.trajectories:
            inputs = {
                "Basis": spec.inputs,
                **{s.name: s.apply(spec.inputs) for s in spec.scenarios},
            }
            unc = spec.uncertainty or Uncertainty(
                tfr_cv=UNCERTAINTY["tfr_cv"],
                e0_sd=UNCERTAINTY["e0_sd"],
                migration_cv=UNCERTAINTY["migration_cv"],
            )
            for name, inp in inputs.items():
                trajectories[name] = project_trajectories(
                    inp, query.trajectories, uncertainty=unc, seed=spec.seed
                )
    except ScenarioError as exc:
        fields = {p.field: p.text("de") for p in exc.problems[:50]}
        raise Unprocessable(
            _("Die Szenario-Datei hat %(n)d Problem(e): %(first)s")
            % {"n": len(exc.problems), "first": exc.problems[0].text("de")},
            code="invalid_scenario",
            fields=fields,
        ) from None
    except (EngineValueError, ValueError, ArithmeticError) as exc:
        raise Unprocessable(
            _("Die Szenario-Datei lässt sich nicht rechnen: %(problem)s")
            % {"problem": str(exc)[:300]},
            code="invalid_scenario",
        ) from None
    except MemoryError:
        raise Unprocessable(
            _("Die Berechnung braucht mehr Speicher als erlaubt."), code="limit_exceeded"
        ) from None
    first = next(iter(result.projections.values()))
    areas = [str(a) for a in first.area_ids]
    bands = _bands(first.grid)
    out: dict[str, Any] = {
        "years": [int(y) for y in first.years],
        "areas": areas,
        "scenarios": list(result.projections),
        "totals": {},
        "age_groups": {},
        "clipped_cells": {},
        "quantiles": None,
    }
    for name, res in result.projections.items():
        pop = res.population.sum(axis=2)  # [T+1, A, G]
        out["totals"][name] = {a: _rounded(pop[:, i].sum(axis=1)) for i, a in enumerate(areas)}
        out["age_groups"][name] = {
            a: {label: _rounded(pop[:, i][:, mask].sum(axis=1)) for label, mask in bands}
            for i, a in enumerate(areas)
        }
        out["clipped_cells"][name] = len(res.clip_events)
    if trajectories:
        out["quantiles"] = {
            name: {a: [_rounded(q[:, i]) for q in tr.total_quantiles] for i, a in enumerate(areas)}
            for name, tr in trajectories.items()
        }
    if not all(np.isfinite(v).all() for s in out["totals"].values() for v in s.values()):
        raise Unprocessable(_("Das Ergebnis ist nicht endlich."), code="invalid_scenario")
    return out
