"""Ausschreibungen API (mounted at ``/api/calls``): the published calls and their criteria.
No personal data: no applications, applicants, jurors or scores."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from ortswandel.core.api import error_responses
from ortswandel.core.errors import NotFound

from . import selectors
from .models import Call

router = Router(tags=["Ausschreibungen"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")


class CriterionOut(Schema):
    name: str
    description: str
    weight: float


class CallOut(Schema):
    slug: str
    title: str
    url: str
    programme: str
    phase: str
    open: bool
    opens_at: datetime
    closes_at: datetime
    grant_years: list[int]
    max_grant: float
    own_share_min_percent: float
    lands: list[str]
    population_min: int | None
    population_max: int | None
    scale_max: int
    demo: bool
    criteria: list[CriterionOut]


def _out(request: HttpRequest, call: Call) -> dict[str, Any]:
    return {
        "slug": call.slug,
        "title": call.title,
        "url": request.build_absolute_uri(call.get_absolute_url()),
        "programme": call.programme.name,
        "phase": call.phase,
        "open": call.is_open(),
        "opens_at": call.opens_at,
        "closes_at": call.closes_at,
        "grant_years": [int(y) for y in call.grant_years],
        "max_grant": float(call.max_grant),
        "own_share_min_percent": float(call.own_share_min),
        "lands": list(call.lands),
        "population_min": call.population_min,
        "population_max": call.population_max,
        "scale_max": call.scale_max,
        "demo": call.is_demo,
        "criteria": [
            {"name": c.name, "description": c.description, "weight": float(c.weight or Decimal(0))}
            for c in call.criteria.all()
        ],
    }


@router.get("", response={200: list[CallOut], **error_responses()}, summary="Ausschreibungen")
def list_calls(request: HttpRequest, open_only: bool = True) -> list[dict[str, Any]]:
    """Published calls (by default only those open for submission) with their criteria."""
    calls = selectors.open_calls() if open_only else selectors.public_calls()
    return [_out(request, c) for c in calls]


@router.get("/{slug}", response={200: CallOut, **error_responses(404)}, summary="Ausschreibung")
def get_call(request: HttpRequest, slug: str) -> dict[str, Any]:
    if not SLUG.fullmatch(slug):
        raise NotFound()
    call = selectors.public_calls().filter(slug=slug).first()
    if call is None:
        raise NotFound()
    return _out(request, call)
