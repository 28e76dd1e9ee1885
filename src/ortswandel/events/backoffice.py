"""Organiser back office (programme editors for their programmes' events, site admins for all):
participant list, waiting list, attendance, messages, CSV/XLSX export, statistics."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ortswandel.accounts.roles import editable_programme_ids
from ortswandel.catalogue.models import Programme
from ortswandel.core.errors import InvalidInput, NotFound, OrtswandelError, PermissionDenied
from ortswandel.core.params import MAX_DB_ID, shown_value, to_int

from . import conf, exports, selectors, services
from .forms import MessageForm
from .models import Event, Registration, RegistrationStatus


def organiser_required(view: Any) -> Any:
    """Anonymous → login; signed in without an editor role → 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        allowed = editable_programme_ids(request.user)
        if allowed is not None and not allowed:
            raise PermissionDenied(
                _("Dieser Bereich ist der Redaktion der Programme vorbehalten."),
                code="not_organiser",
            )
        return view(request, *args, **kwargs)

    return wrapper


def _event_for(request: HttpRequest, slug: str) -> Event:
    event = Event.objects.select_related("programme", "series").filter(slug=slug).first()
    if event is None:
        raise NotFound(_("Diese Veranstaltung gibt es nicht."))
    services.require_organiser(request.user, event)
    return selectors.organiser_event(request.user, slug)


@organiser_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "events/organiser/dashboard.html",
        {
            "events": selectors.organiser_events(request.user),
            "hold_hours": conf.confirmation_hours(),
        },
    )


@organiser_required
@require_http_methods(["GET", "POST"])
def event_participants(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_for(request, slug)
    if request.method == "POST":
        return _participants_action(request, event)
    status_filter = request.GET.get("status", "")
    if status_filter not in RegistrationStatus.values:
        status_filter = ""
    registrations = list(selectors.participants(event, status=status_filter or None))
    waitlist = list(selectors.participants(event, status=RegistrationStatus.WAITLISTED))
    return render(
        request,
        "events/organiser/participants.html",
        {
            "event": event,
            "registrations": registrations,
            "waitlist": waitlist,
            "questions": list(event.questions.all()),
            "status_filter": status_filter,
            "statuses": RegistrationStatus.choices,
            "seats_left": selectors.seats_left(event),
        },
    )


def _participants_action(request: HttpRequest, event: Event) -> HttpResponse:
    action = request.POST.get("action", "")
    present = _attended_ids(request) if action == "attendance" else set()  # malformed: 400
    try:
        if action == "attendance":
            confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
            changed = 0
            for registration in confirmed:
                attended = registration.pk in present
                if registration.attended != attended:
                    services.registration_set_attendance(
                        registration=registration, attended=attended, acting_user=request.user
                    )
                    changed += 1
            messages.success(
                request, _("Teilnahme gespeichert (%(n)s Änderungen).") % {"n": changed}
            )
        elif action == "cancel":
            registration = _registration(event, request.POST.get("registration", ""))
            services.registration_cancel(registration=registration, acting_user=request.user)
            messages.success(request, _("Die Anmeldung wurde storniert."))
        elif action == "fill_waitlist":
            promoted = services.event_fill_from_waitlist(event=event, acting_user=request.user)
            messages.success(
                request,
                _("%(n)s Personen sind von der Warteliste nachgerückt.") % {"n": len(promoted)},
            )
        elif action == "followup":
            count = services.event_send_followup(event=event, acting_user=request.user)
            messages.success(request, _("Nachbereitung an %(n)s Personen versandt.") % {"n": count})
        else:
            messages.error(request, _("Unbekannte Aktion."))
    except OrtswandelError as error:
        messages.error(request, error.message)
    return redirect("events:organiser_event", slug=event.slug)


def _attended_ids(request: HttpRequest) -> set[int]:
    """The ticked registrations; a malformed id is a German 400 (never ``int("²")``)."""
    ids = set()
    for value in request.POST.getlist("attended"):
        number = to_int(value, minimum=1, maximum=MAX_DB_ID)
        if number is None:
            raise InvalidInput(
                _("„%(value)s“ ist keine gültige Anmeldung.") % {"value": shown_value(value)},
                fields={"attended": _("Erwartet wird eine Nummer.")},
            )
        ids.add(number)
    return ids


def _registration(event: Event, pk: str) -> Registration:
    number = to_int(pk, minimum=1, maximum=MAX_DB_ID)
    registration = event.registrations.filter(pk=number).first() if number is not None else None
    if registration is None:
        raise NotFound(_("Diese Anmeldung gibt es nicht."))
    return registration


@organiser_required
def event_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise NotFound(_("Export gibt es als .csv oder .xlsx."))
    event = _event_for(request, slug)
    rows = exports.participant_rows(event)
    if fmt == "xlsx":
        content = exports.to_xlsx(rows, title=event.title)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="teilnehmende-{event.slug}.{fmt}"'
    response["Cache-Control"] = "no-store, private"
    return response


@organiser_required
@require_http_methods(["GET", "POST"])
def event_message(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_for(request, slug)
    form = MessageForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                count = services.event_message_participants(
                    event=event,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    audience=form.cleaned_data["audience"],
                    acting_user=request.user,
                )
            except OrtswandelError as error:
                for field, message in error.fields.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Die Nachricht geht an %(n)s Personen.") % {"n": count})
                return redirect("events:organiser_event", slug=event.slug)
    return render(
        request, "events/organiser/message.html", {"event": event, "form": form}, status=status
    )


@organiser_required
def statistics(request: HttpRequest) -> HttpResponse:
    events = selectors.organiser_events(request.user)
    programmes = Programme.objects.filter(pk__in=events.values("programme_id")).order_by("name")
    chosen = request.GET.get("programm", "")
    if chosen:
        events = events.filter(programme__slug=chosen)
    return render(
        request,
        "events/organiser/statistics.html",
        {
            "stats": selectors.statistics(events),
            "programmes": programmes,
            "chosen": chosen,
        },
    )
