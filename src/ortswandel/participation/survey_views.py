"""Survey editor in the process back office (``/beteiligung/<slug>/moderation/umfragen/…``):
create a survey phase, add, change, move and remove questions, preview the form.

Only the managers of the process (``participation.change_survey``) get here; the rules of a
question and the lock once answers exist are the services' (:mod:`.survey_editor`). Refusals of
the lock come back as the editor page with the German message and status 409.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ortswandel.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied

from . import selectors, survey_editor, surveys
from .models import Phase, PhaseKind, Process, Question
from .survey_forms import QuestionForm, SurveyPhaseForm, question_initial
from .views import _login_needed, _me


def _editable(request: HttpRequest, slug: str) -> Process:
    process = selectors.process_for(request.user, slug)
    if not request.user.has_perm("participation.change_survey", process):
        raise PermissionDenied(_("Umfragen bearbeiten nur die Moderation und die Redaktion."))
    return process


def _survey(process: Process, phase_id: int) -> Phase:
    phase = process.phases.filter(pk=phase_id, kind=PhaseKind.SURVEY).first()
    if phase is None:
        raise NotFound()
    return phase


def _question(phase: Phase, pk: int) -> Question:
    question = phase.questions.filter(pk=pk).first()
    if question is None:
        raise NotFound()
    return question


def _editor_url(process: Process, phase: Phase) -> str:
    return reverse("participation:survey_edit", args=[process.slug, phase.pk])


def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The survey phases of the process, and a form for a new one."""
    if (login := _login_needed(request)) is not None:
        return login
    process = _editable(request, slug)
    form = SurveyPhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phase = survey_editor.survey_phase_create(
                process=process, actor=_me(request), **form.cleaned_data
            )
        except InvalidInput as error:
            form.apply_error(error)
        else:
            return HttpResponseRedirect(_editor_url(process, phase))
    phases = process.phases.filter(kind=PhaseKind.SURVEY).order_by("starts_at", "pk")
    return render(
        request,
        "participation/survey_list.html",
        {
            "process": process,
            "surveys": [(p, p.questions.count(), p.responses.count()) for p in phases],
            "timeline": process.phases.order_by("starts_at", "pk"),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


def _editor(
    request: HttpRequest,
    process: Process,
    phase: Phase,
    *,
    form: QuestionForm | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    responses = phase.responses.count()
    return render(
        request,
        "participation/survey_edit.html",
        {
            "process": process,
            "phase": phase,
            "questions": phase.questions.prefetch_related("choices"),
            "responses": responses,
            "locked": responses > 0,
            "form": form or QuestionForm(auto_id="id_new_%s"),
            "message": message,
            "done": request.GET.get("ok", ""),
        },
        status=status,
    )


def survey_edit(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = _editable(request, slug)
    return _editor(request, process, _survey(process, phase_id))


@require_POST
def question_add(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = _editable(request, slug)
    phase = _survey(process, phase_id)
    form = QuestionForm(request.POST, auto_id="id_new_%s")
    if form.is_valid():
        try:
            survey_editor.question_add(
                phase=phase, actor=_me(request), data=form.data_for_service()
            )
        except Conflict as error:
            return _editor(request, process, phase, form=form, message=error.message, status=409)
        except InvalidInput as error:
            form.apply_error(error)
        else:
            return HttpResponseRedirect(_editor_url(process, phase) + "?ok=added#fragen")
    return _editor(
        request,
        process,
        phase,
        form=form,
        message=_("Bitte prüfen Sie die Angaben zur Frage."),
        status=400,
    )


def question_edit(request: HttpRequest, slug: str, phase_id: int, pk: int) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = _editable(request, slug)
    phase = _survey(process, phase_id)
    question = _question(phase, pk)
    form = QuestionForm(request.POST or None, initial=question_initial(question))
    locked = survey_editor.survey_is_locked(phase)
    if locked:  # answered: only the wording may change (the service checks it as well)
        for name in ("kind", "required", "max_choices"):
            form.fields[name].disabled = True
    message = ""
    status = 200
    if request.method == "POST":
        status = 400
        message = _("Bitte prüfen Sie die Angaben zur Frage.")
        if form.is_valid():
            try:
                survey_editor.question_update(
                    question=question, actor=_me(request), data=form.data_for_service()
                )
            except Conflict as error:
                message, status = error.message, 409
            except InvalidInput as error:
                form.apply_error(error)
            else:
                return HttpResponseRedirect(_editor_url(process, phase) + "?ok=changed#fragen")
    return render(
        request,
        "participation/question_form.html",
        {
            "process": process,
            "phase": phase,
            "question": question,
            "form": form,
            "locked": locked,
            "message": message,
        },
        status=status,
    )


@require_POST
def question_move(request: HttpRequest, slug: str, phase_id: int, pk: int) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = _editable(request, slug)
    phase = _survey(process, phase_id)
    question = _question(phase, pk)
    try:
        survey_editor.question_move(
            question=question, actor=_me(request), direction=str(request.POST.get("direction"))
        )
    except (Conflict, InvalidInput) as error:
        return _editor(request, process, phase, message=error.message, status=error.status)
    return HttpResponseRedirect(_editor_url(process, phase) + f"?ok=moved#frage-{question.pk}")


@require_POST
def question_remove(request: HttpRequest, slug: str, phase_id: int, pk: int) -> HttpResponse:
    if (login := _login_needed(request)) is not None:
        return login
    process = _editable(request, slug)
    phase = _survey(process, phase_id)
    question = _question(phase, pk)
    try:
        survey_editor.question_remove(question=question, actor=_me(request))
    except Conflict as error:
        return _editor(request, process, phase, message=error.message, status=error.status)
    return HttpResponseRedirect(_editor_url(process, phase) + "?ok=removed#fragen")


def survey_preview(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    """The form as participants will see it; nothing can be sent from here."""
    if (login := _login_needed(request)) is not None:
        return login
    process = _editable(request, slug)
    phase = _survey(process, phase_id)
    context: dict[str, Any] = {
        "process": process,
        "phase": phase,
        "form_rows": surveys.survey_form_rows(phase),
        "preview": True,
    }
    return render(request, "participation/survey_preview.html", context)
