"""Beteiligung API (mounted at ``/api/participation``): public processes, their phases, ideas
(public fields only: no author account, no hidden or unreviewed ideas) and results.

Restricted and unpublished processes answer 404 as if they did not exist.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ortswandel.core.api import PageMeta, error_responses
from ortswandel.core.errors import NotFound
from ortswandel.core.paging import PageNumber, PageSize, page_meta, paginate
from ortswandel.core.params import DbId

from . import selectors
from .models import Process

router = Router(tags=["Beteiligung"])

MAX_PAGE_SIZE = 100


class PhaseOut(Schema):
    id: int
    kind: str
    name: str
    starts_at: datetime
    ends_at: datetime
    state: Literal["upcoming", "active", "past"]


class ProcessOut(Schema):
    id: int
    slug: str
    title: str
    url: str
    municipality_ags: str
    municipality: str
    project: str | None
    is_demo: bool
    active_phase: str | None


class ProcessDetailOut(ProcessOut):
    description_html: str
    phases: list[PhaseOut]
    categories: list[str]


class IdeaOut(Schema):
    id: int
    title: str
    text_html: str
    author_name: str = Field(description="Anzeigename (kein Konto, keine E-Mail-Adresse)")
    category: str | None
    map_x: float | None = Field(description="Position auf der Karte, 0 (West) … 1 (Ost)")
    map_y: float | None = Field(description="Position auf der Karte, 0 (Nord) … 1 (Süd)")
    grid_cell: str
    location_text: str
    cost: Decimal | None
    support_count: int
    against_count: int
    comment_count: int
    feedback_status: str
    feedback_text: str
    created_at: datetime
    url: str


class IdeaPageOut(Schema):
    meta: PageMeta
    ideas: list[IdeaOut]


class OutcomeUpdateOut(Schema):
    status: str
    progress: int
    note: str
    date: datetime


class OutcomeOut(Schema):
    id: int
    title: str
    description_html: str
    status: str
    progress: int
    idea_ids: list[int]
    updates: list[OutcomeUpdateOut]


def _public_process(process_id: int) -> Process:
    process = (
        Process.objects.public().select_related("municipality", "project").filter(pk=process_id)
    )
    found = process.first()
    if found is None:
        raise NotFound()
    return found


def _process_out(request: HttpRequest, process: Process) -> dict[str, Any]:
    active = process.active_phase()
    return {
        "id": process.pk,
        "slug": process.slug,
        "title": process.title,
        "url": request.build_absolute_uri(process.get_absolute_url()),
        "municipality_ags": process.municipality.ags,
        "municipality": process.municipality.name,
        "project": process.project.acronym if process.project else None,
        "is_demo": process.is_demo,
        "active_phase": active.kind if active else None,
    }


@router.get("/processes", response={200: list[ProcessOut], **error_responses()}, summary="Prozesse")
def list_processes(request: HttpRequest) -> list[dict[str, Any]]:
    processes = Process.objects.public().select_related("municipality", "project")[:500]
    return [_process_out(request, p) for p in processes]


@router.get(
    "/processes/{process_id}",
    response={200: ProcessDetailOut, **error_responses(404)},
    summary="Ein Prozess mit seinen Phasen",
)
def get_process(request: HttpRequest, process_id: DbId) -> dict[str, Any]:
    process = _public_process(process_id)
    return {
        **_process_out(request, process),
        "description_html": process.description,
        "phases": [
            {
                "id": p.pk,
                "kind": p.kind,
                "name": p.name,
                "starts_at": p.starts_at,
                "ends_at": p.ends_at,
                "state": p.state(),
            }
            for p in process.phases.all()
        ],
        "categories": [c.name for c in process.categories.all()],
    }


class IdeaFiltersIn(Schema):
    sort: Literal["neu", "unterstuetzung", "kommentare", "alt"] = "neu"
    category: DbId | None = None
    status: Literal["in_review", "taken_up", "not_taken_up"] | None = None
    page: PageNumber = None
    page_size: PageSize = None


@router.get(
    "/processes/{process_id}/ideas",
    response={200: IdeaPageOut, **error_responses(404)},
    summary="Ideen eines Prozesses (öffentliche Felder)",
)
def list_ideas(
    request: HttpRequest, process_id: DbId, filters: Query[IdeaFiltersIn]
) -> dict[str, Any]:
    process = _public_process(process_id)
    qs = selectors.ideas_list(
        process,
        selectors.IdeaFilters(category=filters.category, status=filters.status, sort=filters.sort),
    )
    page = paginate(
        qs, page=filters.page or 1, per_page=min(filters.page_size or 50, MAX_PAGE_SIZE)
    )
    return {
        "meta": page_meta(page),
        "ideas": [
            {
                "id": i.pk,
                "title": i.title,
                "text_html": i.text,
                "author_name": i.author_name,
                "category": i.category.name if i.category else None,
                "map_x": i.map_x,
                "map_y": i.map_y,
                "grid_cell": selectors.grid_cell(i.map_x, i.map_y),
                "location_text": i.location_text,
                "cost": i.cost,
                "support_count": i.support_count,
                "against_count": i.against_count,
                "comment_count": i.comment_count,
                "feedback_status": i.feedback_status,
                "feedback_text": i.feedback_text,
                "created_at": i.created_at,
                "url": request.build_absolute_uri(f"/beteiligung/{process.slug}/ideen/{i.pk}/"),
            }
            for i in page
        ],
    }


@router.get(
    "/processes/{process_id}/results",
    response={200: list[OutcomeOut], **error_responses(404)},
    summary="Ergebnisse und Umsetzungsstand",
)
def list_results(request: HttpRequest, process_id: DbId) -> list[dict[str, Any]]:
    process = _public_process(process_id)
    return [
        {
            "id": o.pk,
            "title": o.title,
            "description_html": o.description,
            "status": o.status,
            "progress": o.progress,
            "idea_ids": sorted(
                i.pk for i in o.ideas.all() if not i.is_hidden and not i.awaiting_review
            ),
            "updates": [
                {"status": u.status, "progress": u.progress, "note": u.note, "date": u.created_at}
                for u in o.updates.all()
            ],
        }
        for o in process.outcomes.prefetch_related("ideas", "updates")
    ]
