"""Pages of the calls app: public call pages, the applicant's pages, the jury's pages, the
chair's meeting view and the managers' funding pages. Views parse input, call a service or a
selector and render; permissions are the rules in ``rules.py`` (asked by the selectors)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ortswandel.core.errors import OrtswandelError, Unprocessable
from ortswandel.municipalities.models import Municipality

from . import selectors, services
from .formspec import field_specs, requested_grant
from .models import ApplicationStatus, Attachment, CallPhase
from .predicates import jury_state, may


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


# --- public -------------------------------------------------------------------------------------


def call_list(request: HttpRequest) -> HttpResponse:
    calls = list(selectors.public_calls())
    return render(request, "calls/call_list.html", {"calls": calls})


def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.call_for(slug, request.user)
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call,
            "criteria": list(call.criteria.all()),
            "specs": field_specs(call.form_fields),
            "is_open": call.is_open(),
            "municipalities": list(selectors.applicable_municipalities(request.user)),
            "is_juror": may(request.user, "calls.jury_call", call),
            "can_chair": may(request.user, "calls.chair_call", call),
            "can_manage": may(request.user, "calls.manage_call", call),
        },
    )


# --- applicant ----------------------------------------------------------------------------------


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "calls/my_applications.html",
        {
            "applications": list(selectors.my_applications(request.user)),
            "jury_calls": list(selectors.my_jury_calls(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_start(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.call_for(slug, request.user)
    municipalities = list(selectors.applicable_municipalities(request.user))
    errors: dict[str, str] = {}
    if request.method == "POST":
        chosen = next(
            (m for m in municipalities if m.pk == _int(request.POST.get("municipality"))), None
        )
        if chosen is None:
            errors["municipality"] = _("Bitte wählen Sie die Kommune, für die Sie sich bewerben.")
        else:
            try:
                application = services.application_create(
                    call=call,
                    municipality=chosen,
                    title=request.POST.get("title", ""),
                    acting_user=request.user,
                )
            except Unprocessable as exc:
                errors.update(exc.fields or {"title": exc.message})
            else:
                messages.success(request, _("Der Entwurf ist angelegt."))
                return redirect("calls:application_edit", pk=application.pk)
    status = 422 if errors else 200
    return render(
        request,
        "calls/application_start.html",
        {"call": call, "municipalities": municipalities, "errors": errors, "values": request.POST},
        status=status,
    )


def _form_data(request: HttpRequest, call: Any) -> dict[str, Any]:
    specs = field_specs(call.form_fields)
    answers = {s.key: request.POST.get(s.input_name, "") for s in specs}
    budget = {
        str(y): {
            "total": request.POST.get(f"budget_{y}_total", ""),
            "own": request.POST.get(f"budget_{y}_own", ""),
        }
        for y in call.grant_years
    }
    co_ids = [i for i in (_int(v) for v in request.POST.getlist("co_municipalities")) if i]
    return {
        "title": request.POST.get("title", ""),
        "answers": answers,
        "budget": budget,
        "partners": request.POST.get("partners", ""),
        "co_municipalities": list(Municipality.objects.filter(pk__in=co_ids[:20])),
    }


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(pk, request.user, "calls.change_application")
    call = application.call
    errors: dict[str, str] = {}
    message = ""
    data: dict[str, Any] | None = None
    if application.status != ApplicationStatus.DRAFT:
        return redirect("calls:application_detail", pk=pk)
    if request.method == "POST":
        data = _form_data(request, call)
        autosave = request.headers.get("X-Autosave") == "1"
        try:
            services.application_save(application=application, acting_user=request.user, **data)
            if request.POST.get("action") == "submit":
                application.refresh_from_db()
                services.application_submit(application=application, acting_user=request.user)
                messages.success(
                    request,
                    _(
                        "Ihre Bewerbung ist eingereicht. Sie erhalten eine "
                        "Eingangsbestätigung per E-Mail."
                    ),
                )
                return redirect("calls:application_detail", pk=pk)
        except OrtswandelError as exc:
            errors, message = dict(exc.fields), exc.message
            if autosave:
                return JsonResponse(exc.as_dict(), status=exc.status)
            if exc.status not in (400, 422):
                messages.error(request, exc.message)
        else:
            if autosave:
                return JsonResponse({"saved": True})
            messages.success(request, _("Der Entwurf ist gespeichert."))
            return redirect("calls:application_edit", pk=pk)
        application.refresh_from_db()
    specs = field_specs(call.form_fields)
    answers = data["answers"] if data else application.answers
    budget = data["budget"] if data else application.budget
    rows = [
        {
            "year": y,
            "total": (budget.get(str(y)) or {}).get("total", ""),
            "own": (budget.get(str(y)) or {}).get("own", ""),
            "total_error": errors.get(f"budget_{y}_total"),
            "own_error": errors.get(f"budget_{y}_own"),
        }
        for y in call.grant_years
    ]
    fields = [
        {"spec": s, "value": answers.get(s.key, ""), "error": errors.get(s.key)} for s in specs
    ]
    eligibility = [v for k, v in errors.items() if k.startswith("eligibility")]
    co_selected = (
        {m.pk for m in data["co_municipalities"]}
        if data
        else set(application.co_municipalities.values_list("pk", flat=True))
    )
    return render(
        request,
        "calls/application_edit.html",
        {
            "application": application,
            "call": call,
            "fields": fields,
            "rows": rows,
            "errors": errors,
            "message": message,
            "eligibility": eligibility,
            "title_value": data["title"] if data else application.title,
            "partners_value": data["partners"] if data else application.partners,
            "co_options": Municipality.objects.filter(
                land_code__in=call.lands or [application.municipality.land_code]
            )
            .exclude(pk=application.municipality_id)
            .order_by("name")
            .only("pk", "name")[:500]
            if call.lands
            else Municipality.objects.none(),
            "co_selected": co_selected,
            "requested": requested_grant(budget),
            "attachments": list(application.attachments.all()),
        },
        status=422 if errors else 200,
    )


def _blind(application: Any, user: Any) -> bool:
    """The applicant is hidden from jurors while the call reviews blind (not from managers)."""
    call = application.call
    if not call.blind_review or call.phase == CallPhase.DECIDED:
        return False
    if may(user, "calls.manage_call", call) or may(user, "calls.change_application", application):
        return False
    return jury_state(user, call.pk)[0] is not None


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(pk, request.user)
    user = request.user
    return render(
        request,
        "calls/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "blind": _blind(application, user),
            "specs": field_specs(application.call.form_fields),
            "attachments": list(application.attachments.all()),
            "is_applicant": may(user, "calls.change_application", application),
            "can_review": may(user, "calls.review_application", application),
            "can_withdraw": may(user, "calls.change_application", application)
            and application.status in services.applications.WITHDRAWABLE,
            "decision": getattr(application, "decision", None)
            if application.call.phase == CallPhase.DECIDED
            or may(user, "calls.chair_call", application.call)
            else None,
            "is_juror": jury_state(user, application.call_id)[0] is not None,
        },
    )


@login_required
def application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The submitted application as PDF: same rules as its page, the same blind review."""
    from ortswandel.core.pdf import download_response

    from . import documents

    application = selectors.application_for(pk, request.user)
    body = documents.application_pdf(
        application,
        blind=_blind(application, request.user),
        show_applicant=may(request.user, "calls.change_application", application),
    )
    return download_response(body, documents.application_filename(application))


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(pk, request.user, "calls.change_application")
    if request.method == "POST":
        services.application_withdraw(application=application, acting_user=request.user)
        messages.success(request, _("Die Bewerbung ist zurückgezogen."))
        return redirect("calls:application_detail", pk=pk)
    return render(request, "calls/application_withdraw.html", {"application": application})


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(pk, request.user, "calls.change_application")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Bitte wählen Sie eine Datei."))
    else:
        try:
            services.attachment_add(
                application=application,
                acting_user=request.user,
                title=request.POST.get("title", ""),
                upload=upload,
            )
            messages.success(request, _("Die Anlage ist hochgeladen."))
        except Unprocessable as exc:
            messages.error(request, exc.message)
    return redirect("calls:application_edit", pk=pk)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = Attachment.objects.select_related("application").filter(pk=pk).first()
    if attachment is None or not may(
        request.user, "calls.change_application", attachment.application
    ):
        raise Http404
    services.attachment_delete(attachment=attachment, acting_user=request.user)
    messages.success(request, _("Die Anlage ist gelöscht."))
    return redirect("calls:application_edit", pk=attachment.application_id)
