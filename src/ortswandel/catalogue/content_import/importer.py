"""The run: records grouped by type and handed to their handlers in a fixed order (programme
before projects before results; registered handlers of apps above the catalogue last), all in
one transaction — a record that does not fit rolls everything back; a second run of the same
file changes nothing and is not audited."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from django.db import transaction

from ortswandel.catalogue import services
from ortswandel.core.audit import audit_log
from ortswandel.core.typing import ActingUser

from .context import ImportContext
from .programmes import core_message, initiative, ki_programme
from .projects import ki_project, msdz_project
from .reading import read_facts
from .registry import registered_handlers
from .report import AUDIT_ACTION, ImportReport
from .results import ki_results

#: Record types without a model here: counted as skipped unless an app registered a handler.
UNMODELLED_TYPES = ("event", "note", "ki_results_overview")


def run(ctx: ImportContext) -> ImportReport:
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in ctx.records:
        by_type[record["record_type"]].append(record)
    for record in by_type["programme"]:
        ki_programme(ctx, record)
    for record in by_type["ki_core_message"]:
        core_message(ctx, record)
    for index, record in enumerate(by_type["ki_project"], start=1):
        ki_project(ctx, record, where=f"ki_project {index} ({record.get('acronym')})")
    results_by_project: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in by_type["ki_result"]:
        results_by_project[record.get("project") or ""].append(record)
    for acronym, records in results_by_project.items():
        ki_results(ctx, acronym, records)
    for record in by_type["initiative"]:
        initiative(ctx, record)
    for index, record in enumerate(by_type["msdz_model_project"], start=1):
        msdz_project(ctx, record, where=f"msdz_model_project {index}")
    ctx.cite_organisation_sources()
    other_records(ctx, by_type)
    return ctx.report


def other_records(ctx: ImportContext, by_type: dict[str, list[dict[str, Any]]]) -> None:
    """Records that apps above the catalogue import (registered handlers); the rest of the
    types without a model here are counted as skipped."""
    handlers = registered_handlers()
    for kind, handler in handlers.items():
        if by_type[kind]:
            handler(by_type[kind], ctx)
    for kind in UNMODELLED_TYPES:
        if by_type[kind] and kind not in handlers:
            ctx.report.skipped[kind] = len(by_type[kind])


def import_content(*, path: Path, actor: ActingUser | None = None) -> ImportReport:
    """Import ``facts.json`` (or the directory holding it) in one transaction; see the package
    docstring. Raises :class:`ContentImportError` (nothing imported) when it does not fit."""
    records = read_facts(path)
    ctx = ImportContext(records, actor)
    with transaction.atomic():
        report = run(ctx)
        services.content_changed(objects=list(dict.fromkeys(ctx.touched)))
        if report.changed:
            audit_log(action=AUDIT_ACTION, actor=actor, payload=report.as_payload())
    return report
