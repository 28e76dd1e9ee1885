"""Public pages: event list, event and series pages with registration, calendar files, and the
participant's personal pages behind signed links (no login)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ortswandel.catalogue.selectors import citations_by_field
from ortswandel.core import signed_links
from ortswandel.core.errors import OrtswandelError
from ortswandel.core.paging import paginate, parse_page
from ortswandel.core.params import to_date
from ortswandel.core.ratelimit import client_key

from . import conf, ical, selectors, services
from .forms import PersonForm, SeriesRegistrationForm
from .models import EventFormat, RegistrationStatus
from .structured_data import event_json_ld

EVENTS_PER_PAGE = 20

STATUS_MESSAGES: dict[str, Any] = {
    RegistrationStatus.PENDING: gettext_lazy(
        "Fast geschafft: Wir haben Ihnen eine E-Mail geschickt. Bitte bestätigen Sie Ihre "
        "Anmeldung über den Link darin – erst dann ist Ihr Platz sicher."
    ),
    RegistrationStatus.WAITLISTED: gettext_lazy(
        "Die Veranstaltung ist ausgebucht; Sie stehen auf der Warteliste. Wird ein Platz frei, "
        "rücken Sie automatisch nach und erhalten eine E-Mail. Bitte bestätigen Sie vorher Ihre "
        "E-Mail-Adresse über den Link in der E-Mail, die wir Ihnen geschickt haben."
    ),
}


#: The outcome shown after a registration (signed, so nobody can fake it); kept for a day so that a
#: reload still shows the outcome instead of an empty form.
OUTCOME_PURPOSE = "events.registration.outcome"
OUTCOME_MAX_AGE = 24 * 3600


def _outcome(request: HttpRequest, event) -> str | None:
    """The status in a genuine ``?ergebnis=`` token for this event, else ``None``."""
    token = request.GET.get("ergebnis")
    if not token:
        return None
    try:
        payload = signed_links.read(token, purpose=OUTCOME_PURPOSE, max_age=OUTCOME_MAX_AGE)
    except signed_links.LinkInvalid:
        return None
    if not isinstance(payload, dict) or payload.get("event") != event.pk:
        return None
    status = payload.get("status")
    return status if status in STATUS_MESSAGES else None


def _json_ld(data: object) -> str:
    """JSON for a ``<script type="application/ld+json">`` data block (cannot close the tag)."""
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(  # noqa: S308 (escaped below: no <, > or & survives)
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )


def _parse_date(value: str | None) -> date | None:
    """A date filter; anything else (also year 1, which has no UTC equivalent) is ignored."""
    return to_date(value) if value else None


def event_list(request: HttpRequest) -> HttpResponse:
    when = request.GET.get("zeit", "upcoming")
    filters = selectors.EventFilters(
        programme=request.GET.get("programm", "")[:120],
        theme=request.GET.get("thema", "")[:120],
        format=request.GET.get("format", ""),
        date_from=_parse_date(request.GET.get("von")),
        date_to=_parse_date(request.GET.get("bis")),
        when=when if when in {"upcoming", "past", "all"} else "upcoming",
    )
    page = paginate(
        selectors.public_events(filters),
        page=parse_page(request.GET.get("seite"), name="seite"),
        per_page=EVENTS_PER_PAGE,
    )
    for event in page.object_list:
        event.seats_left = selectors.seats_left(event)
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "events/event_list.html",
        {
            "nav": "events",
            "page": page,
            "filters": filters,
            "options": selectors.filter_options(),
            "query": query.urlencode(),
        },
    )


def _register_single(request: HttpRequest, event, form: PersonForm) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        client = client_key(request)
        conf.REGISTRATION_LIMIT.check(client)
        registration = services.registration_create(
            event=event,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            organisation=form.cleaned_data["organisation"],
            organisation_kind=form.cleaned_data["organisation_kind"],
            land_code=form.cleaned_data["land_code"],
            consent=form.cleaned_data["consent"] is True,
            answers=form.answers(),
            user=request.user,
            client=client,
        )
    except OrtswandelError as error:
        form.apply_error(error)
        form.error_status = error.status  # type: ignore[attr-defined]
        return None
    # Post/redirect/get to the outcome box in place of the form, where the person is looking.
    token = signed_links.make(
        {"event": event.pk, "status": registration.status}, purpose=OUTCOME_PURPOSE
    )
    return redirect(f"{event.get_absolute_url()}?ergebnis={token}#anmeldung-ergebnis")


@require_http_methods(["GET", "POST"])
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.public_event(slug=slug, prefetch=False)
    status = 200
    form: Any
    outcome = _outcome(request, event) if request.method == "GET" else None
    if request.method == "POST":
        form = PersonForm(request.POST, questions=list(event.questions.all()))
        response = _register_single(request, event, form)
        if response is not None:
            return response
        status = getattr(form, "error_status", 400)
    else:
        # Built only if the cached form fragment has to be rendered again.
        form = SimpleLazyObject(lambda: PersonForm(None, questions=list(event.questions.all())))
    return render(
        request,
        "events/event_detail.html",
        {
            "nav": "events",
            "event": event,
            "parts": selectors.event_page_parts(event),
            # sources of imported facts; read only when the cached static part is rebuilt
            "citations": SimpleLazyObject(lambda: citations_by_field(event)),
            "cache_version": selectors.page_cache_version(),
            "cache_seconds": selectors.PAGE_CACHE_SECONDS,
            "bound": request.method == "POST",
            "form": form,
            "outcome": outcome,
            "outcome_message": STATUS_MESSAGES[outcome] if outcome else "",
            "seats_left": selectors.seats_left(event),
            "registration_open": event.registration_is_open(),
            "not_yet_open": bool(
                event.registration_opens_at and event.registration_opens_at > timezone.now()
            ),
            "json_ld": _json_ld(event_json_ld(request, event)),
            "formats": EventFormat,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = selectors.public_series(slug=slug)
    events = list(selectors.series_events(series))
    for event in events:
        event.seats_left = selectors.seats_left(event)  # type: ignore[attr-defined]
    open_events = [e for e in events if e.registration_is_open()]
    questions = [q for e in open_events for q in e.questions.all()]
    form = SeriesRegistrationForm(
        request.POST if request.method == "POST" else None, events=open_events, questions=questions
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            chosen = form.selected_events()
            chosen_ids = {e.pk for e in chosen}
            answers = {
                q.key: form.cleaned_data.get(q.key) for q in questions if q.event_id in chosen_ids
            }
            try:
                client = client_key(request)
                conf.REGISTRATION_LIMIT.check(client)
                registrations = services.registration_create_many(
                    events=chosen,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    organisation=form.cleaned_data["organisation"],
                    organisation_kind=form.cleaned_data["organisation_kind"],
                    land_code=form.cleaned_data["land_code"],
                    consent=form.cleaned_data["consent"] is True,
                    answers=answers,
                    user=request.user,
                    client=client,
                )
            except OrtswandelError as error:
                form.apply_error(error)
                status = error.status
            else:
                waiting = [r for r in registrations if r.status == RegistrationStatus.WAITLISTED]
                token = signed_links.make(
                    {"series": series.pk, "n": len(registrations), "w": len(waiting)},
                    purpose=OUTCOME_PURPOSE,
                )
                return redirect(f"{series.get_absolute_url()}?ergebnis={token}#anmeldung-ergebnis")
    return render(
        request,
        "events/series_detail.html",
        {
            "nav": "events",
            "series": series,
            "events": events,
            "open_events": open_events,
            "form": form,
            "outcome_message": _series_outcome(request, series) if request.method == "GET" else "",
        },
        status=status,
    )


def _series_outcome(request: HttpRequest, series) -> str:
    """The message for a genuine ``?ergebnis=`` token of this series, else ``""``."""
    token = request.GET.get("ergebnis")
    if not token:
        return ""
    try:
        payload = signed_links.read(token, purpose=OUTCOME_PURPOSE, max_age=OUTCOME_MAX_AGE)
    except signed_links.LinkInvalid:
        return ""
    if not isinstance(payload, dict) or payload.get("series") != series.pk:
        return ""
    count, waiting = payload.get("n"), payload.get("w")
    if not isinstance(count, int) or not isinstance(waiting, int):
        return ""
    return _(
        "Danke! Sie haben sich für %(n)s Veranstaltungen angemeldet%(w)s. Bitte "
        "bestätigen Sie die Anmeldung über den Link in der E-Mail, die wir Ihnen "
        "geschickt haben."
    ) % {
        "n": count,
        "w": _(" (davon %(k)s auf der Warteliste)") % {"k": waiting} if waiting else "",
    }


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ical(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.public_event(slug=slug)
    return _ics_response(ical.event_calendar(event), f"{event.slug}.ics")


def series_ical(request: HttpRequest, slug: str) -> HttpResponse:
    series = selectors.public_series(slug=slug)
    return _ics_response(
        ical.feed(series.title, selectors.series_events(series)), f"{series.slug}.ics"
    )


def programme_ical(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.public_programme(slug=slug)
    events = selectors.public_events(selectors.EventFilters(programme=slug, when="all"))
    return _ics_response(
        ical.feed(f"{programme} – Veranstaltungen", events), f"{programme.slug}.ics"
    )


# --- personal pages (signed links, no login) -------------------------------------------------


@require_http_methods(["GET", "POST"])
def registration_confirm(request: HttpRequest, token: str) -> HttpResponse:
    registration = services.resolve_token(token, "confirm")
    if request.method == "POST":
        services.registration_confirm(registration=registration)
        messages.success(request, _("Vielen Dank, Ihre E-Mail-Adresse ist bestätigt."))
        return redirect(
            "events:registration_manage", token=services.make_token(registration, "manage")
        )
    return render(
        request,
        "events/registration_confirm.html",
        {"registration": registration, "batch": services.batch_of(registration)},
    )


@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = services.resolve_token(token, "cancel")
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        messages.success(request, _("Sie sind abgemeldet. Danke, dass Sie Bescheid gegeben haben."))
        return redirect(
            "events:registration_manage", token=services.make_token(registration, "manage")
        )
    return render(request, "events/registration_cancel.html", {"registration": registration})


def registration_manage(request: HttpRequest, token: str) -> HttpResponse:
    registration = services.resolve_token(token, "manage")
    rows = [
        {
            "registration": item,
            "event": item.event,
            "position": services.waitlist_position(item),
            "cancel_token": services.make_token(item, "cancel"),
            "manage_token": services.make_token(item, "manage"),
            "show_online_link": item.status == RegistrationStatus.CONFIRMED
            and item.event.has_online_part
            and bool(item.event.online_url),
        }
        for item in services.batch_of(registration)
    ]
    response = render(
        request,
        "events/registration_manage.html",
        {"registration": registration, "rows": rows, "token": token},
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex"
    return response


def registration_ical(request: HttpRequest, token: str) -> HttpResponse:
    registration = services.resolve_token(token, "manage")
    online_url = (
        registration.event.online_url if registration.status == RegistrationStatus.CONFIRMED else ""
    )
    response = _ics_response(
        ical.event_calendar(registration.event, online_url=online_url),
        f"{registration.event.slug}.ics",
    )
    response["Cache-Control"] = "no-store, private"
    return response


def registration_data(request: HttpRequest, token: str) -> HttpResponse:
    registration = services.resolve_token(token, "manage")
    data = {"registrations": services.registration_export(registration=registration)}
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meine-anmeldedaten.json"'
    response["Cache-Control"] = "no-store, private"
    return response


@require_http_methods(["POST"])
def registration_erase(request: HttpRequest, token: str) -> HttpResponse:
    registration = services.resolve_token(token, "manage")
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Bitte bestätigen Sie die Löschung mit dem Häkchen."))
        return redirect(reverse("events:registration_manage", kwargs={"token": token}))
    services.registration_erase_person(registration=registration)
    return render(request, "events/registration_erased.html")
