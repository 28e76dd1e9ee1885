"""Accountability (Decidim): results of a process linked to their ideas, implementation status
over time, and the final report that becomes a result in the catalogue."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ortswandel.core.audit import audit_log
from ortswandel.core.errors import InvalidInput, PermissionDenied

from .models import Comment, Idea, ImplementationStatus, Outcome, OutcomeUpdate, Process, Vote


def _require_manager(user: Any, process: Process) -> None:
    if not user.has_perm("participation.moderate_process", process):
        raise PermissionDenied()


@transaction.atomic
def outcome_create(
    *,
    process: Process,
    actor: User,
    title: str,
    description: str = "",
    ideas: list[Idea] = (),  # type: ignore[assignment]
) -> Outcome:
    _require_manager(actor, process)
    title = (title or "").strip()
    if not title:
        raise InvalidInput(fields={"title": _("Pflichtfeld")})
    if any(idea.process_id != process.pk for idea in ideas):
        raise InvalidInput(fields={"ideas": _("Ideen aus einem anderen Prozess.")})
    outcome = Outcome.objects.create(process=process, title=title[:200], description=description)
    outcome.ideas.set(ideas)
    OutcomeUpdate.objects.create(outcome=outcome, status=outcome.status, progress=0)
    audit_log(action="participation.outcome.created", actor=actor, obj=outcome)
    return outcome


@transaction.atomic
def outcome_update_status(
    *, outcome: Outcome, actor: User, status: str, progress: int, note: str = ""
) -> OutcomeUpdate:
    """A new implementation status; the history keeps every earlier one."""
    _require_manager(actor, outcome.process)
    if status not in ImplementationStatus.values:
        raise InvalidInput(fields={"status": _("Unbekannter Status.")})
    if not 0 <= int(progress) <= 100:
        raise InvalidInput(fields={"progress": _("Bitte 0 bis 100 Prozent.")})
    outcome.status, outcome.progress = status, int(progress)
    outcome.save(update_fields=["status", "progress"])
    update = OutcomeUpdate.objects.create(
        outcome=outcome, status=status, progress=int(progress), note=note[:2000]
    )
    audit_log(
        action="participation.outcome.status",
        actor=actor,
        obj=outcome,
        payload={"status": status, "progress": progress},
    )
    return update


def report_figures(process: Process) -> dict[str, Any]:
    ideas = Idea.objects.visible().filter(process=process)
    return {
        "ideas": ideas.count(),
        "comments": Comment.objects.filter(
            idea__process=process, is_hidden=False, awaiting_review=False
        ).count(),
        "votes": Vote.objects.filter(idea__process=process).count(),
        "participants": process.participants.count(),
        "taken_up": ideas.filter(feedback_status="taken_up").count(),
        "not_taken_up": ideas.filter(feedback_status="not_taken_up").count(),
        "outcomes": process.outcomes.count(),
        "budget_total": ideas.aggregate(s=Sum("cost"))["s"],
        "by_category": list(
            ideas.values("category__name").annotate(n=Count("pk")).order_by("-n", "category__name")
        ),
        "as_of": timezone.now(),
    }


@transaction.atomic
def final_report_publish(*, process: Process, actor: User, base_url: str) -> Any:
    """Put the final report into the catalogue as a result (kind "method"), linked to the
    process's project and themes; a second call updates the same result."""
    from ortswandel.catalogue.models import Result, ResultKind

    _require_manager(actor, process)
    programme = process.programme or (process.project.programme if process.project else None)
    if programme is None:
        raise InvalidInput(
            _("Der Prozess braucht ein Programm oder Projekt, um im Katalog zu erscheinen."),
            fields={"programme": _("Pflichtfeld")},
        )
    figures = report_figures(process)
    summary = _(
        "<p>Abschlussbericht des Beteiligungsprozesses „%(title)s“ (%(place)s): %(ideas)d Ideen, "
        "%(comments)d Kommentare, %(votes)d Stimmen, %(outcomes)d Ergebnisse.</p>"
    ) % {
        "title": process.title,
        "place": process.municipality.name,
        "ideas": figures["ideas"],
        "comments": figures["comments"],
        "votes": figures["votes"],
        "outcomes": figures["outcomes"],
    }
    url = base_url + f"/beteiligung/{process.slug}/abschlussbericht/"
    result = process.catalogue_result
    if result is None:
        slug = slugify(f"beteiligung-{process.slug}")[:150]
        result = Result(slug=slug, programme=programme, kind=ResultKind.METHOD)
    result.title = _("Abschlussbericht: %(title)s") % {"title": process.title}
    result.summary = summary
    result.url = url
    result.year = timezone.now().year
    # the PDF of the report as the result's file (as everybody may read it: surveys after
    # their end only); publishing again replaces it (the old file goes once committed)
    from django.core.files.base import ContentFile

    from .report_pdf import final_report_pdf, report_filename

    body = final_report_pdf(process, manager=False)
    result.file.save(report_filename(process), ContentFile(body), save=False)
    result.save()
    result.themes.set(process.themes.all())
    if process.project is not None:
        result.projects.add(process.project)
    process.catalogue_result = result
    process.save(update_fields=["catalogue_result"])
    from ortswandel.catalogue.services import content_changed

    content_changed(objects=[result])
    audit_log(
        action="participation.report.published",
        actor=actor,
        obj=process,
        payload={"result": result.pk},
    )
    return result
