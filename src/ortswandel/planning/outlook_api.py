"""Outlook and challenges API (mounted in :mod:`.api` under ``/api/planning``).

``GET /api/planning/outlook/{ags}``: the default projection's summary for one municipality
(launch 31.12.2022, 20 years); ``GET /api/planning/challenges/{ags}``: the challenges it shows and
the published projects, results and upcoming events on their themes. Errors: ``400 invalid_ags``
(malformed key), ``404 not_found`` (unknown AGS, or no inhabitants), ``404
outlook_not_computed`` (before the first computation).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from ortswandel.core.api import error_responses

from .challenges import challenges_for_ags
from .outlook.reads import error_band_note, outlook_for

router = Router(tags=["Planen"])

LABEL = (
    "Vorausberechnung mit Standardannahmen, keine Vorhersage: sie zeigt, was geschieht, wenn "
    "Geburten, Sterblichkeit und Wanderungen so bleiben wie zuletzt im Kreis beobachtet."
)


class OutlookOut(Schema):
    ags: str
    name: str
    launch_year: int = Field(description="Basis: 31.12. dieses Jahres")
    horizon_year: int
    population_now: float
    population_horizon: float
    change_pct: float = Field(description="Veränderung der Einwohnerzahl in %")
    share_65_now: float
    share_65_horizon: float
    share_80_now: float
    share_80_horizon: float
    change_0_2_pct: float | None
    change_3_5_pct: float | None
    change_6_9_pct: float | None = Field(description="Kinder im Grundschulalter (6–9 Jahre)")
    change_80_pct: float | None
    label: str
    error_band: str
    data_version: str
    computed_at: dt.datetime
    source: str


class KnowledgeRefOut(Schema):
    title: str
    url: str


class KnowledgeProjectOut(KnowledgeRefOut):
    same_trend: bool = Field(description="aus einer Kommune mit derselben Entwicklung")


class KnowledgeEventOut(KnowledgeRefOut):
    starts_at: dt.datetime


class ChallengeKnowledgeOut(Schema):
    code: str
    name: str
    description: str
    indicator: str
    value: float
    why: str
    projects: list[KnowledgeProjectOut]
    results: list[KnowledgeRefOut]
    events: list[KnowledgeEventOut]


class MunicipalityChallengesOut(Schema):
    ags: str
    challenges: list[ChallengeKnowledgeOut]


@router.get(
    "/outlook/{ags}",
    response={200: OutlookOut, **error_responses(404)},
    summary="Vorausberechnung einer Gemeinde (Standardannahmen, 20 Jahre)",
)
def get_outlook(request: HttpRequest, ags: str) -> Any:
    detail = outlook_for(ags=ags)
    run = detail.run
    return {
        "ags": ags,
        "name": detail.municipality.name,
        "launch_year": run.launch_year,
        "horizon_year": run.horizon_year,
        **detail.values(),
        "label": LABEL,
        "error_band": error_band_note(run.horizon_year - run.launch_year),
        "data_version": run.data_version,
        "computed_at": run.computed_at,
        "source": run.source,
    }


@router.get(
    "/challenges/{ags}",
    response={200: MunicipalityChallengesOut, **error_responses(404)},
    summary="Herausforderungen einer Gemeinde und wer sie schon angegangen ist",
)
def get_challenges(request: HttpRequest, ags: str) -> Any:
    report = challenges_for_ags(ags=ags)
    return {
        "ags": ags,
        "challenges": [
            {
                "code": item.detected.challenge.code,
                "name": item.detected.name,
                "description": item.detected.challenge.description,
                "indicator": item.detected.challenge.indicator,
                "value": item.detected.value,
                "why": item.detected.why,
                "projects": [
                    {"title": p.acronym, "url": p.get_absolute_url(), "same_trend": same}
                    for p, same in item.projects
                ],
                "results": [{"title": r.title, "url": r.get_absolute_url()} for r in item.results],
                "events": [
                    {"title": e.title, "url": e.get_absolute_url(), "starts_at": e.starts_at}
                    for e in item.events
                ],
            }
            for item in report.items
        ],
    }
