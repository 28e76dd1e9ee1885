"""Jury pages (invitation, dashboard, conflicts, scoring), the chair's meeting view and the
managers' pages (jury, assignment, phases, funding, export)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ortswandel.core import signed_links
from ortswandel.core.errors import OrtswandelError, Unprocessable

from . import selectors, services
from .meeting import meeting_table
from .models import (
    REPORT_REMINDER_DAYS,
    Application,
    ApplicationStatus,
    CallPhase,
    MilestoneKind,
    Outcome,
)
from .predicates import may
from .services.jury import invited_member
from .views import _blind, _int


@require_http_methods(["GET", "POST"])
def jury_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        member = invited_member(token)
    except signed_links.LinkInvalid as exc:
        return render(request, "calls/jury_accept.html", {"error": exc.message}, status=404)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            member = services.juror_accept(token=token, acting_user=request.user)
        except OrtswandelError as exc:
            return render(
                request,
                "calls/jury_accept.html",
                {"error": exc.message, "member": member},
                status=exc.status,
            )
        messages.success(request, _("Willkommen in der Jury."))
        return redirect("calls:jury_dashboard", slug=member.call.slug)
    return render(request, "calls/jury_accept.html", {"member": member, "call": member.call})


@login_required
def jury_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.call_for(slug, request.user, "calls.jury_call")
    items = selectors.jury_dashboard(call, request.user)
    return render(
        request,
        "calls/jury_dashboard.html",
        {
            "call": call,
            "items": items,
            "blind": call.blind_review and call.phase != CallPhase.DECIDED,
            "done": sum(1 for i in items if i.submitted),
        },
    )


@login_required
@require_POST
def conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(pk, request.user, "calls.review_application")
    services.conflict_declare(
        application=application, acting_user=request.user, reason=request.POST.get("reason", "")
    )
    messages.success(
        request, _("Ihr Interessenkonflikt ist vermerkt; die Bewerbung ist für Sie ausgeblendet.")
    )
    return redirect("calls:jury_dashboard", slug=application.call.slug)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(pk, request.user, "calls.review_application")
    call = application.call
    criteria = list(call.criteria.all())
    errors: dict[str, str] = {}
    posted: dict[str, Any] = {}
    if request.method == "POST":
        values = {c.pk: request.POST.get(f"score_{c.pk}", "") for c in criteria}
        comments = {c.pk: request.POST.get(f"comment_{c.pk}", "") for c in criteria}
        posted = {"values": values, "comments": comments}
        try:
            services.review_save(
                application=application,
                acting_user=request.user,
                values=values,
                comments=comments,
                comment=request.POST.get("comment", ""),
                submit=request.POST.get("action") == "submit",
            )
        except OrtswandelError as exc:
            errors = dict(exc.fields)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Ihre Bewertung ist gespeichert."))
            return redirect("calls:review", pk=pk)
    view = selectors.review_view(application, request.user)
    rows = []
    for c in criteria:
        own = view.own_scores.get(c.pk)
        value = posted["values"][c.pk] if posted else (own.value if own else "")
        comment = posted["comments"][c.pk] if posted else (own.comment if own else "")
        rows.append(
            {
                "criterion": c,
                "value": str(value),
                "comment": comment,
                "error": errors.get(f"score_{c.pk}"),
                "others": [o["scores"].get(c.pk) for o in view.others],
            }
        )
    return render(
        request,
        "calls/review.html",
        {
            "application": application,
            "call": call,
            "rows": rows,
            "view": view,
            "scale": range(call.scale_max + 1),
            "blind": _blind(application, request.user),
            "frozen": hasattr(application, "decision"),
        },
        status=422 if errors else 200,
    )


# --- chair ------------------------------------------------------------------------------------


@login_required
def meeting(request: HttpRequest, slug: str) -> HttpResponse:
    """The chair's projected view: 200 applications × 10 jurors must render in well under
    100 ms. The table is built once per change of the call and cached for every viewer
    (:mod:`ortswandel.calls.meeting`); the viewer's conflicts are filtered out here."""
    call = selectors.call_for(slug, request.user, "calls.chair_call")
    table = meeting_table(call)
    _member, _chair, conflicts = selectors.jury_state(request.user, call.pk)
    # the chair leaves the room for a conflicted application
    rows, sensitivity = table.visible_to(conflicts)
    chosen = _int(request.GET.get("bewerbung"))
    return render(
        request,
        "calls/meeting.html",
        {
            "call": call,
            "tbody": table.tbody(rows),
            "sensitivity": sensitivity,
            "stable": not table.sensitivity,
            "top": table.top,
            "outcomes": Outcome.choices,
            "decided": call.phase == CallPhase.DECIDED,
            "chosen": next((r for r in rows if r.pk == chosen), None),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(pk, request.user, "calls.decide_application")
    try:
        services.decision_take(
            application=application,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
            acting_user=request.user,
            reserve_rank=_int(request.POST.get("reserve_rank")),
        )
        messages.success(
            request, _("Entscheidung zu „%(t)s“ gespeichert.") % {"t": application.title}
        )
    except Unprocessable as exc:
        messages.error(request, f"{application.title}: {exc.message}")
    return redirect(f"{_meeting_url(application)}?bewerbung={pk}#entscheiden")


def _meeting_url(application: Application) -> str:
    return reverse("calls:meeting", kwargs={"slug": application.call.slug})


@login_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(pk, request.user, "calls.decide_application")
    try:
        services.note_add(
            application=application, text=request.POST.get("text", ""), acting_user=request.user
        )
    except Unprocessable as exc:
        messages.error(request, exc.message)
    return redirect(f"{_meeting_url(application)}?bewerbung={pk}#entscheiden")


# --- managers ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.call_for(slug, request.user, "calls.chair_call")
    is_manager = may(request.user, "calls.manage_call", call)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "invite" and is_manager:
                services.juror_invite(
                    call=call,
                    email=request.POST.get("email", ""),
                    name=request.POST.get("name", ""),
                    is_chair=bool(request.POST.get("is_chair")),
                    acting_user=request.user,
                    language=request.POST.get("language", ""),
                )
                messages.success(request, _("Die Einladung ist verschickt."))
            elif action == "assign":
                summary = services.assignment_auto(call=call, acting_user=request.user)
                messages.success(
                    request,
                    _("%(n)s Zuteilungen angelegt; Last je Jurymitglied %(a)s–%(b)s.")
                    % {"n": summary["created"], "a": summary["min_load"], "b": summary["max_load"]},
                )
            elif action == "phase":
                services.call_set_phase(
                    call=call, phase=request.POST.get("phase", ""), acting_user=request.user
                )
                messages.success(request, _("Die Phase ist geändert."))
            elif action == "announce":
                n = services.decisions_announce(call=call, acting_user=request.user)
                messages.success(request, _("%(n)s Bewerbungen sind benachrichtigt.") % {"n": n})
            else:
                messages.error(request, _("Unbekannte Aktion."))
        except OrtswandelError as exc:
            messages.error(request, exc.message)
        return redirect("calls:manage", slug=slug)
    counts = dict.fromkeys(ApplicationStatus.values, 0)
    for status in Application.objects.filter(call=call).values_list("status", flat=True):
        counts[status] += 1
    return render(
        request,
        "calls/manage.html",
        {
            "call": call,
            "jury": list(call.jury.select_related("user")),
            "is_manager": is_manager,
            "phases": CallPhase.choices,
            "counts": [(ApplicationStatus(s).label, n) for s, n in counts.items()],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def funding(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.call_for(slug, request.user, "calls.manage_call")
    if request.method == "POST":
        application = selectors.application_for(
            _int(request.POST.get("application")) or 0, request.user
        )
        action = request.POST.get("action")
        try:
            if action == "grant":
                services.grant_set(
                    application=application,
                    year=_int(request.POST.get("year")) or 0,
                    amount=request.POST.get("amount", ""),
                    acting_user=request.user,
                )
                messages.success(request, _("Die Zuwendung ist gespeichert."))
            elif action == "milestone":
                try:
                    due = dt.date.fromisoformat(request.POST.get("due_on", ""))
                except ValueError:
                    raise Unprocessable(_("Bitte geben Sie ein Datum an (JJJJ-MM-TT).")) from None
                services.milestone_add(
                    application=application,
                    kind=request.POST.get("kind", ""),
                    due_on=due,
                    label=request.POST.get("label", ""),
                    amount=request.POST.get("amount") or None,
                    acting_user=request.user,
                )
                messages.success(request, _("Der Meilenstein ist angelegt."))
            elif action == "done":
                milestone = application.milestones.filter(
                    pk=_int(request.POST.get("milestone")) or 0
                ).first()
                if milestone is None:
                    raise Unprocessable(_("Diesen Meilenstein gibt es nicht."))
                services.milestone_done(milestone=milestone, acting_user=request.user)
                messages.success(
                    request, _("„%(m)s“ ist als erledigt vermerkt.") % {"m": milestone.label}
                )
            elif action == "catalogue":
                project = services.application_to_catalogue(
                    application=application, acting_user=request.user
                )
                messages.success(
                    request,
                    _("„%(p)s“ ist als Modellprojekt im Katalog angelegt (Entwurf).")
                    % {"p": project.title},
                )
        except OrtswandelError as exc:
            messages.error(request, exc.message)
        return redirect("calls:funding", slug=slug)
    selected = list(
        Application.objects.filter(call=call, status=ApplicationStatus.SELECTED)
        .select_related("municipality", "project")
        .prefetch_related("grants__budget", "milestones")
    )
    reserve = list(
        Application.objects.filter(call=call, status=ApplicationStatus.RESERVE)
        .select_related("municipality")
        .order_by("reserve_rank", "pk")
    )
    years = [b.year for b in call.budgets.all()]
    table: list[dict[str, Any]] = []
    for a in selected:
        grants = {g.budget.year: g.amount for g in a.grants.all()}
        table.append({"application": a, "grants": grants, "cells": [grants.get(y) for y in years]})
    return render(
        request,
        "calls/funding.html",
        {
            "call": call,
            "table": table,
            "years": years,
            "usage": services.budget_usage(call),
            "reserve": reserve,
            "kinds": MilestoneKind.choices,
            "reports": selectors.reports_due(call),
            "today": timezone.localdate(),
            "within": REPORT_REMINDER_DAYS,
        },
    )


@login_required
def funding_export(request: HttpRequest, slug: str) -> HttpResponse:
    from .exports import grants_xlsx

    call = selectors.call_for(slug, request.user, "calls.manage_call")
    response = HttpResponse(
        grants_xlsx(call),
        content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )
    response["Content-Disposition"] = f'attachment; filename="zuwendungen-{call.slug}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def grant_letter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The grant letter of one selected application (PDF)."""
    from ortswandel.core.pdf import download_response

    from . import documents

    call = selectors.call_for(slug, request.user, "calls.manage_call")
    application = documents.selected_application(call, pk)
    if application is None:
        raise Http404(_("Diese Bewerbung ist in dieser Ausschreibung nicht ausgewählt."))
    return download_response(
        documents.grant_letter_pdf(application), documents.grant_letter_filename(application)
    )


@login_required
def grant_letters(request: HttpRequest, slug: str) -> HttpResponse:
    """The grant letters of all selected applications of a call: one PDF each, in a ZIP."""
    from ortswandel.core.pdf import download_response

    from . import documents

    call = selectors.call_for(slug, request.user, "calls.manage_call")
    return download_response(
        documents.grant_letters_zip(call),
        f"foerderzusagen-{call.slug}.zip",
        content_type="application/zip",
    )
