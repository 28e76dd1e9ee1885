"""Pages of the participation app: parse input, ask the rules, call a service or selector, render.

Errors of the services (German, with per-field messages) go back onto the forms; anything else
a person can act on is rendered by the core middleware (4xx, never a 500).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ortswandel.core import site
from ortswandel.core.errors import NotFound, OrtswandelError, PermissionDenied
from ortswandel.core.paging import paginate, parse_page
from ortswandel.core.spreadsheets import safe_row

from . import places, selectors, services
from .forms import CommentForm, FeedbackForm, HideForm, IdeaForm, JoinForm, ReportForm
from .models import Comment, Idea, ImplementationStatus, Process

PER_PAGE = 20


def _me(request: HttpRequest) -> User:
    """The signed-in account (views call this after :func:`_login_needed`)."""
    return cast(User, request.user)


def _login_needed(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _idea(request: HttpRequest, process: Process, pk: int) -> Idea:
    idea = Idea.objects.filter(process=process, pk=pk).select_related("category").first()
    if idea is None or not request.user.has_perm("participation.view_idea", idea):
        raise NotFound()
    return idea


def process_list(request: HttpRequest) -> HttpResponse:
    processes = selectors.processes_visible(request.user).order_by("-created_at")
    return render(request, "participation/process_list.html", {"processes": processes})


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    filters = selectors.parse_filters(request.GET)
    page = paginate(
        selectors.ideas_list(process, filters),
        page=parse_page(request.GET.get("page")),
        per_page=PER_PAGE,
    )
    now = timezone.now()
    phases = list(process.phases.all())
    active = next((p for p in phases if p.is_active(now)), None)
    idea_map = places.process_map(process, filters)
    return render(
        request,
        "participation/process_detail.html",
        {
            "process": process,
            "phases": [(p, p.state(now)) for p in phases],
            "active": active,
            "page": page,
            "filters": filters,
            "map_svg": idea_map.svg,
            "frame": {"attribution": idea_map.attribution},
            "map_table": idea_map.table,
            "participant": services.participant_of(process, request.user),
            "following": request.user.is_authenticated
            and process.follows.filter(user=_me(request)).exists(),
            "categories": process.categories.all(),
            "sorts": selectors.SORTS,
            "events": selectors.process_events(process),
        },
    )


def process_join(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = selectors.process_for(request.user, slug)
    if not request.user.has_perm("participation.join_process", process):
        raise PermissionDenied()
    form = JoinForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        try:
            services.process_join(
                process=process,
                user=_me(request),
                display_name=form.cleaned_data["display_name"],
                accept_code=form.cleaned_data["accept_code"],
                resident=form.cleaned_data.get("resident") or False,
                code=form.cleaned_data.get("code") or "",
            )
        except OrtswandelError as error:
            if error.status >= 403 and not error.fields:
                raise
            form.apply_error(error)
        else:
            return HttpResponseRedirect(process.get_absolute_url())
    status = 400 if form.is_bound else 200
    return render(
        request, "participation/join.html", {"process": process, "form": form}, status=status
    )


def _form_context(process: Process, form: Any) -> dict[str, Any]:
    frame = selectors.map_frame(process)
    return {
        "process": process,
        "form": form,
        "frame": frame,
        "map_svg": selectors.map_svg(
            process, frame, places.outside_layer(frame, places.inside_cells(process)), placing=True
        ),
    }


def idea_create(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = selectors.process_for(request.user, slug)
    if not request.user.has_perm("participation.add_idea", process):
        raise PermissionDenied(
            _(
                "In dieser Phase können Sie keine Ideen einreichen – "
                "oder Sie nehmen noch nicht teil."
            )
        )
    form = IdeaForm(request.POST or None, request.FILES or None, process=process)
    if request.method == "POST" and form.is_valid():
        if form.is_bot():
            return HttpResponseRedirect(process.get_absolute_url())
        data = form.cleaned_data
        position = selectors.cell_position(data["cell"]) or (None, None)
        category = (
            process.categories.filter(pk=data["category"]).first() if data["category"] else None
        )
        try:
            idea = services.idea_create(
                process=process,
                user=_me(request),
                title=data["title"],
                text=data["text"],
                category=category,
                map_x=position[0],
                map_y=position[1],
                location_text=data["location_text"],
                image=data.get("image"),
                image_alt=data.get("image_alt") or "",
                cost=data.get("cost"),
            )
        except OrtswandelError as error:
            if error.status in (403, 404, 429) or error.status == 409:
                raise
            form.apply_error(error)
        else:
            return HttpResponseRedirect(idea.get_absolute_url())
    return render(
        request,
        "participation/idea_form.html",
        _form_context(process, form),
        status=400 if form.is_bound else 200,
    )


def idea_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = selectors.process_for(request.user, slug)
    idea = _idea(request, process, pk)
    if not request.user.has_perm("participation.change_idea", idea):
        raise PermissionDenied()
    initial = {
        "title": idea.title,
        "text": idea.text,
        "category": idea.category_id,
        "cell": selectors.grid_cell(idea.map_x, idea.map_y),
        "location_text": idea.location_text,
    }
    form = IdeaForm(
        request.POST or None,
        initial=initial,
        process=process,
        edit=True,
        current_cell=str(initial["cell"] or ""),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        position: tuple[float | None, float | None] = selectors.cell_position(data["cell"]) or (
            None,
            None,
        )
        if data["cell"] and data["cell"] == initial["cell"]:
            position = (idea.map_x, idea.map_y)  # the place as it was, not the square's centre
        category = (
            process.categories.filter(pk=data["category"]).first() if data["category"] else None
        )
        try:
            services.idea_update(
                idea=idea,
                user=_me(request),
                title=data["title"],
                text=data["text"],
                category=category,
                map_x=position[0],
                map_y=position[1],
                location_text=data["location_text"],
            )
        except OrtswandelError as error:
            if not error.fields:
                raise
            form.apply_error(error)
        else:
            return HttpResponseRedirect(idea.get_absolute_url())
    return render(
        request,
        "participation/idea_form.html",
        {**_form_context(process, form), "idea": idea},
        status=400 if form.is_bound else 200,
    )


def idea_detail(
    request: HttpRequest, slug: str, pk: int, comment_form: Any = None, status: int = 200
) -> HttpResponse:
    process = selectors.process_for(request.user, slug)
    idea = _idea(request, process, pk)
    vote = None
    if request.user.is_authenticated:
        vote = idea.votes.filter(user=_me(request)).first()
    return render(
        request,
        "participation/idea_detail.html",
        {
            "process": process,
            "idea": idea,
            "cell": selectors.grid_cell(idea.map_x, idea.map_y),
            "comments": selectors.comments_tree(idea, request.user),
            "comment_form": comment_form or CommentForm(),
            "report_form": ReportForm(),
            "vote": vote,
            "versions": idea.versions.all()[:10],
            "outcomes": idea.outcomes.all(),
        },
        status=status,
    )


@require_POST
def idea_vote(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = selectors.process_for(request.user, slug)
    idea = _idea(request, process, pk)
    value = request.POST.get("value", "1")
    if value == "0":
        services.vote_withdraw(idea=idea, user=_me(request))
    else:
        services.vote_cast(idea=idea, user=_me(request), value=1 if value != "-1" else -1)
    return HttpResponseRedirect(idea.get_absolute_url() + "#abstimmen")


@require_POST
def idea_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = selectors.process_for(request.user, slug)
    idea = _idea(request, process, pk)
    if not request.user.has_perm("participation.comment_idea", idea):
        raise PermissionDenied()
    form = CommentForm(request.POST)
    if form.is_valid():
        if form.is_bot():
            return HttpResponseRedirect(idea.get_absolute_url())
        parent = None
        if form.cleaned_data["parent"]:
            parent = Comment.objects.filter(idea=idea, pk=form.cleaned_data["parent"]).first()
        try:
            comment = services.comment_create(
                idea=idea,
                user=_me(request),
                text=form.cleaned_data["text"],
                parent=parent,
            )
        except OrtswandelError as error:
            if not error.fields:
                raise
            form.apply_error(error)
        else:
            return HttpResponseRedirect(f"{idea.get_absolute_url()}#kommentar-{comment.pk}")
    return idea_detail(request, slug, pk, comment_form=form, status=400)


@require_POST
def report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = selectors.process_for(request.user, slug)
    idea = _idea(request, process, pk)
    comment = None
    if request.POST.get("comment"):
        raw = str(request.POST.get("comment"))
        comment = Comment.objects.filter(idea=idea, pk=int(raw) if raw.isdigit() else 0).first()
        if comment is None:
            raise NotFound()
    form = ReportForm(request.POST)
    if not form.is_valid():
        raise services.InvalidInput(
            _("Bitte geben Sie einen Grund an."), fields={"reason": _("Pflichtfeld")}
        )
    services.report_create(
        user=_me(request),
        reason=form.cleaned_data["reason"],
        idea=None if comment else idea,
        comment=comment,
    )
    return render(request, "participation/reported.html", {"process": process, "idea": idea})


@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = selectors.process_for(request.user, slug)
    services.follow_set(
        process=process, user=_me(request), follow=request.POST.get("follow") == "1"
    )
    return HttpResponseRedirect(process.get_absolute_url())


def unfollow(request: HttpRequest, token: str) -> HttpResponse:
    """One click from a mail: GET shows a button (mail scanners follow links), POST unsubscribes."""
    if request.method == "POST":
        process = services.unfollow_by_token(token=token)
        return render(request, "participation/unfollowed.html", {"process": process, "done": True})
    services.signed_links.read(token, purpose=services.UNFOLLOW_PURPOSE)
    return render(request, "participation/unfollowed.html", {"done": False})


# --- moderation -------------------------------------------------------------------------------


def _managed(request: HttpRequest, slug: str) -> Process:
    process = selectors.process_for(request.user, slug)
    if not request.user.has_perm("participation.moderate_process", process):
        raise PermissionDenied()
    return process


def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = _managed(request, slug)
    from .models import Report

    return render(
        request,
        "participation/moderation.html",
        {
            "process": process,
            "reports": Report.objects.filter(resolved_at__isnull=True)
            .filter(Q(idea__process=process) | Q(comment__idea__process=process))
            .select_related("idea", "comment"),
            "waiting_ideas": process.ideas.filter(awaiting_review=True),
            "waiting_comments": Comment.objects.filter(
                idea__process=process, awaiting_review=True
            ).select_related("idea"),
            "ideas": process.ideas.order_by("feedback_status", "-created_at")[:200],
            "outcomes": process.outcomes.all(),
            "statuses": ImplementationStatus.choices,
            "hide_form": HideForm(),
            "feedback_form": FeedbackForm(),
        },
    )


@require_POST
def moderate_idea(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = _managed(request, slug)
    idea = Idea.objects.filter(process=process, pk=pk).first()
    if idea is None:
        raise NotFound()
    _moderate(request, idea)
    return HttpResponseRedirect(
        (request.POST.get("next") == "idea" and idea.get_absolute_url())
        or f"/beteiligung/{process.slug}/moderation/"
    )


@require_POST
def moderate_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = _managed(request, slug)
    comment = Comment.objects.filter(idea__process=process, pk=pk).select_related("idea").first()
    if comment is None:
        raise NotFound()
    _moderate(request, comment)
    return HttpResponseRedirect(f"/beteiligung/{process.slug}/moderation/")


def _moderate(request: HttpRequest, obj: Idea | Comment) -> None:
    action = request.POST.get("action")
    user: Any = request.user
    if action == "hide":
        services.content_hide(obj=obj, actor=user, reason=request.POST.get("reason", ""))
    elif action == "show":
        services.content_hide(obj=obj, actor=user, reason="", hidden=False)
    elif action == "approve":
        services.content_approve(obj=obj, actor=user)
    elif action == "feedback" and isinstance(obj, Idea):
        services.idea_feedback(
            idea=obj,
            actor=user,
            status=request.POST.get("status", ""),
            text=request.POST.get("text", ""),
        )
    else:
        raise services.InvalidInput(
            _("Unbekannte Aktion."), fields={"action": _("Unbekannte Aktion.")}
        )


# --- accountability ---------------------------------------------------------------------------


def results(request: HttpRequest, slug: str) -> HttpResponse:
    """What was decided, the ideas each result came from, and its implementation over time."""
    process = selectors.process_for(request.user, slug)
    outcomes = process.outcomes.prefetch_related("ideas", "updates")
    return render(request, "participation/results.html", {"process": process, "outcomes": outcomes})


def final_report(request: HttpRequest, slug: str) -> HttpResponse:
    """The final report (printable HTML): phases, figures, ideas with feedback, results."""
    process = selectors.process_for(request.user, slug)
    from .accountability import report_figures

    return render(
        request,
        "participation/final_report.html",
        {
            "process": process,
            "figures": report_figures(process),
            "outcomes": process.outcomes.prefetch_related("ideas", "updates"),
            "phases": process.phases.all(),
            "ideas": process.ideas.visible().order_by("-support_count", "pk")[:100],
        },
    )


def final_report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The final report as PDF: whoever may read the HTML report (survey results as the CSV)."""
    from ortswandel.core.pdf import download_response

    from . import report_pdf

    process = selectors.process_for(request.user, slug)
    manager = request.user.has_perm("participation.moderate_process", process)
    body = report_pdf.final_report_pdf(process, manager=manager)
    return download_response(body, report_pdf.report_filename(process))


# --- surveys and participatory budgeting ------------------------------------------------------


def _phase(request: HttpRequest, slug: str, phase_id: int) -> tuple[Process, Any]:
    process = selectors.process_for(request.user, slug)
    phase = process.phases.filter(pk=phase_id).first()
    if phase is None:
        raise NotFound()
    return process, phase


def phase_detail(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    """A survey or budget phase: the form while it is open, the results after it (managers:
    always)."""
    from . import surveys

    process, phase = _phase(request, slug, phase_id)
    manager = request.user.has_perm("participation.moderate_process", process)
    errors: dict[str, str] = {}
    message = ""
    status = 200
    if request.method == "POST":
        if (login := _login_needed(request)) is not None:
            return login
        try:
            if phase.kind == "survey":
                answers, rank_errors = surveys.answers_from_post(phase, request.POST)
                if rank_errors:
                    raise services.InvalidInput(
                        _("Bitte prüfen Sie Ihre Antworten."), fields=rank_errors
                    )
                surveys.survey_submit(phase=phase, user=_me(request), answers=answers)
                message = _("Danke! Ihre Antworten sind gespeichert.")
            elif phase.kind == "budget":
                ids = [int(v) for v in request.POST.getlist("ideas") if v.isdigit()]
                surveys.ballot_submit(phase=phase, user=_me(request), idea_ids=ids)
                message = _("Danke! Ihr Stimmzettel ist gezählt.")
            else:
                raise NotFound()
        except OrtswandelError as error:
            if not error.fields and error.status != 400:
                raise
            errors = error.fields or {"__all__": error.message}
            message = error.message
            status = 400
    now = timezone.now()
    show_results = manager or phase.state(now) == "past"
    context: dict[str, Any] = {
        "process": process,
        "phase": phase,
        "state": phase.state(now),
        "errors": errors,
        "message": message,
        "show_results": show_results,
        "manager": manager,
    }
    if phase.kind == "survey":
        context["form_rows"] = surveys.survey_form_rows(
            phase, request.POST if status == 400 else None, errors
        )
        context["answered"] = (
            request.user.is_authenticated
            and phase.responses.filter(user_id=request.user.pk).exists()
        )
        if show_results:
            context["results"] = surveys.survey_results(phase)
            context["charts"] = surveys.result_charts(phase)
    elif phase.kind == "budget":
        context["proposals"] = surveys.budget_proposals(phase)
        context["picked"] = set(request.POST.getlist("ideas")) if status == 400 else set()
        context["answered"] = (
            request.user.is_authenticated and phase.ballots.filter(user_id=request.user.pk).exists()
        )
        if show_results:
            context["budget_results"] = surveys.budget_results(phase)
    return render(request, "participation/phase.html", context, status=status)


def phase_csv(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    """Survey or budget results as CSV (semicolon-separated, UTF-8 with BOM for spreadsheet
    programs); free texts for managers only; before the end of the phase for managers only."""
    from . import surveys

    process, phase = _phase(request, slug, phase_id)
    manager = request.user.has_perm("participation.moderate_process", process)
    if not manager and phase.state() != "past":
        raise PermissionDenied(_("Die Ergebnisse erscheinen nach dem Ende der Phase."))
    if phase.kind == "survey":
        body = surveys.survey_csv(phase, with_texts=manager)
    elif phase.kind == "budget":
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow([_("Vorschlag"), _("Stimmen"), _("Kosten (€)"), _("finanziert")])
        for row in surveys.budget_results(phase):
            writer.writerow(
                safe_row(
                    [
                        row["idea"].title,
                        row["votes"],
                        row["cost"],
                        _("ja") if row["funded"] else _("nein"),
                    ]
                )
            )
        body = out.getvalue()
    else:
        raise NotFound()
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-phase-{phase.pk}.csv"'
    return response


# --- moderator tools: results, report, invitation codes ---------------------------------------


@require_POST
def outcome_add(request: HttpRequest, slug: str) -> HttpResponse:
    from . import accountability

    if (login := _login_needed(request)) is not None:
        return login
    process = _managed(request, slug)
    ids = [int(v) for v in request.POST.getlist("ideas") if v.isdigit()]
    accountability.outcome_create(
        process=process,
        actor=_me(request),
        title=request.POST.get("title", ""),
        description=request.POST.get("description", ""),
        ideas=list(process.ideas.filter(pk__in=ids)),
    )
    return HttpResponseRedirect(f"/beteiligung/{process.slug}/ergebnisse/")


@require_POST
def outcome_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    from . import accountability

    if (login := _login_needed(request)) is not None:
        return login
    process = _managed(request, slug)
    outcome = process.outcomes.filter(pk=pk).first()
    if outcome is None:
        raise NotFound()
    progress = request.POST.get("progress", "")
    accountability.outcome_update_status(
        outcome=outcome,
        actor=_me(request),
        status=request.POST.get("status", ""),
        progress=int(progress) if progress.isdigit() else -1,
        note=request.POST.get("note", ""),
    )
    return HttpResponseRedirect(f"/beteiligung/{process.slug}/ergebnisse/#ergebnis-{outcome.pk}")


@require_POST
def report_publish(request: HttpRequest, slug: str) -> HttpResponse:
    from . import accountability

    if (login := _login_needed(request)) is not None:
        return login
    process = _managed(request, slug)
    result = accountability.final_report_publish(
        process=process, actor=_me(request), base_url=site.base_url()
    )
    return HttpResponseRedirect(result.get_absolute_url())


@require_POST
def codes_create(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = _managed(request, slug)
    count = request.POST.get("count", "")
    codes = services.invitation_codes_create(
        process=process,
        count=int(count) if count.isdigit() else 0,
        note=request.POST.get("note", ""),
        actor=_me(request),
    )
    return render(request, "participation/codes.html", {"process": process, "codes": codes})


def my_contributions(request: HttpRequest) -> HttpResponse:
    """The person's own ideas and comments, with the option to delete them all (the account
    deletion keeps them anonymised otherwise)."""
    from . import retention

    if (login := _login_needed(request)) is not None:
        return login
    removed = None
    if request.method == "POST" and request.POST.get("confirm") == "1":
        removed = retention.contributions_remove(user=_me(request))
    return render(
        request,
        "participation/my_contributions.html",
        {
            "ideas": Idea.objects.filter(author=_me(request)).select_related("process"),
            "comments": Comment.objects.filter(author=_me(request)).select_related("idea__process"),
            "removed": removed,
        },
    )
