"""What the planning app hooks into below it: the data pool's imports (recompute the outlook)
and the municipality page (the section "Herausforderungen und wer sie schon angegangen ist")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from ortswandel.core import jobs, versions
from ortswandel.core.cache import versioned
from ortswandel.core.errors import OrtswandelError

from .outlook.compute import OUTLOOK_VERSION

REFRESH_JOB = "ortswandel.planning.tasks.refresh_outlook"


def refresh_outlook_after_import(
    *, objects: Iterable[models.Model], deleting: bool = False
) -> None:
    """A committed data pool import queues the outlook job (it recomputes only if the official
    files changed). Not in inline mode (tests, no worker), where it would run a 10-second
    computation inside whatever imported a table; the daily job covers that case."""
    if deleting or jobs.run_inline():
        return
    if any(obj._meta.label_lower == "datapool.importrun" for obj in objects):
        jobs.enqueue_on_commit(REFRESH_JOB, group="planning.outlook")


@dataclass(frozen=True)
class PageSection:
    """A section an app adds to the municipality page: a template and its context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


def _challenge_context(ags: str) -> dict[str, Any] | None:
    from .challenges import challenges_for_ags

    try:
        report = challenges_for_ags(ags=ags)
    except OrtswandelError:  # no outlook (uninhabited, not yet computed)
        return None
    return {"report": report}


def contribute_challenges(page: Any) -> None:
    """Add the challenges of the municipality's outlook to its page (cached per AGS and the
    versions of the outlook, the catalogue and the events)."""
    ags = page.municipality.ags
    context = versioned(
        "planning:challenges",
        lambda: _challenge_context(ags),
        versions=[OUTLOOK_VERSION, versions.CATALOGUE, versions.EVENTS],
        parts=[ags],
        timeout=300,
    )
    if context is not None and hasattr(page, "sections"):
        page.sections.append(PageSection("planning/_municipality_challenges.html", context))
