"""Content report of the back office: which facts each project of a programme lacks, and the
places the last content import could not match."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from ortswandel.catalogue.models import (
    PartnerRole,
    Programme,
    Project,
    Result,
)

#: The facts every project should state, in the order of the missing-information table.
PROJECT_FACTS: tuple[tuple[str, Any], ...] = (
    ("title", gettext_lazy("Volltitel")),
    ("summary", gettext_lazy("Zusammenfassung")),
    ("period", gettext_lazy("Laufzeit (Beginn und Ende)")),
    ("lead_partner", gettext_lazy("Verbundkoordination")),
    ("partners", gettext_lazy("Partner")),
    ("municipalities", gettext_lazy("Modellkommunen")),
    ("results", gettext_lazy("Ergebnisse")),
)


@dataclass
class MissingRow:
    project: Project
    missing: list[str]  # keys of PROJECT_FACTS


@dataclass
class MissingInformation:
    programme: Programme
    rows: list[MissingRow]  # every project, drafts included
    present: list[tuple[str, str, int, int]]  # (key, label, projects with it, without it)
    total: int
    result_count: int
    unresolved_places: list[dict[str, str]]


def missing_information(*, programme: Programme) -> MissingInformation:
    """Which facts each project of ``programme`` lacks (back office; drafts included), with
    counts per fact and the places the last content import could not match."""
    projects = (
        Project.objects.filter(programme=programme)
        .annotate(
            n_coordinators=Count(
                "partnerships",
                filter=Q(partnerships__role=PartnerRole.COORDINATOR),
                distinct=True,
            ),
            n_partners=Count("partnerships", distinct=True),
            n_municipalities=Count("municipalities", distinct=True),
            n_results=Count("results", distinct=True),
        )
        .order_by("acronym")
    )
    rows: list[MissingRow] = []
    counts = dict.fromkeys((key for key, _label in PROJECT_FACTS), 0)
    for project in projects:
        has = {
            "title": bool(project.title),
            "summary": bool(project.summary),
            "period": bool(project.start_date and project.end_date),
            "lead_partner": project.n_coordinators > 0,
            "partners": project.n_partners > 0,
            "municipalities": project.n_municipalities > 0,
            "results": project.n_results > 0,
        }
        for key, value in has.items():
            counts[key] += value
        rows.append(MissingRow(project, [k for k, _label in PROJECT_FACTS if not has[k]]))
    from ortswandel.catalogue.content_import import last_import_report

    report = last_import_report() or {}
    unresolved = [
        place for place in report.get("unresolved", []) if place.get("programme") == programme.slug
    ]
    return MissingInformation(
        programme=programme,
        rows=rows,
        present=[
            (key, str(label), counts[key], len(rows) - counts[key]) for key, label in PROJECT_FACTS
        ],
        total=len(rows),
        result_count=Result.objects.filter(programme=programme).count(),
        unresolved_places=unresolved,
    )
