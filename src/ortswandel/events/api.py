"""Public JSON API for events, mounted at ``/api/events``. No personal data, no online links.

``POST /api/events/{id}/registrations`` is the same service as the HTML form; errors use the
common shape ``{"code", "message", "fields"}``: ``registration_closed`` (409), ``duplicate_email``
(409), ``event_full`` (409), ``consent_required`` (422), ``invalid_input`` (422),
``rate_limited`` (429), ``not_found`` (404), ``invalid_json`` (400, the body is not JSON),
``unsupported_media_type`` (415, the body is not declared ``application/json``: a cross-site
form cannot post to it), ``payload_too_large`` (413).
Every message is German and meant for people; ``fields`` names the offending inputs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool

from ortswandel.core.api import BODY_ERRORS, error_responses
from ortswandel.core.params import DbId, QueryDate
from ortswandel.core.ratelimit import client_key

from . import conf, selectors, services
from .models import Event

router = Router(tags=["Veranstaltungen"])


#: The deepest offset of the event list (beyond it: 422, never a database overflow).
MAX_OFFSET = 1_000_000
#: Printable text: no control characters (PostgreSQL rejects NUL; the rest is never a name).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"


class EventOut(Schema):
    id: int
    title: str
    slug: str
    url: str
    start: datetime
    end: datetime
    time_known: bool
    format: Literal["online", "onsite", "hybrid"]
    kind: str
    programme: str
    series: str | None
    registration_open: bool
    registration_closes_at: datetime | None
    capacity: int | None
    seats_left: int | None


class AgendaItemOut(Schema):
    starts_at: str | None
    ends_at: str | None
    title: str
    speakers: str


class MaterialOut(Schema):
    kind: str
    title: str
    url: str


class QuestionOut(Schema):
    key: str
    kind: Literal["text", "choice", "consent"]
    label: str
    required: bool
    choices: list[str]


class EventDetailOut(EventOut):
    summary: str
    description_html: str
    venue_name: str
    venue_address: str
    themes: list[str]
    projects: list[str]
    agenda: list[AgendaItemOut]
    materials: list[MaterialOut]
    questions: list[QuestionOut]
    consent_text: str


class RegistrationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200, pattern=PRINTABLE)
    email: str = Field(
        ...,
        min_length=3,
        max_length=254,
        pattern=PRINTABLE,
        json_schema_extra={"format": "email"},
        description="E-Mail-Adresse; an sie geht der Bestätigungslink (Double-Opt-in)",
    )
    organisation: str = Field("", max_length=300, pattern=PRINTABLE)
    organisation_kind: str = Field("", max_length=30)
    land_code: str = Field("", max_length=2, description="Länderschlüssel 01–16 oder leer")
    # Strict: consent is given only by a JSON ``true`` (no "yes", 1 or "on").
    consent: StrictBool = False
    answers: dict[str, Any] = Field(
        {},
        description='Antworten auf die Anmeldefragen: {"q<id>": Text, Auswahl oder true/false}',
    )


class RegistrationOut(Schema):
    status: Literal["pending_confirmation", "waitlisted"]
    event_id: int
    waitlist_position: int | None
    message: str


def _event_out(request: HttpRequest, event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "title": event.title,
        "slug": event.slug,
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "start": event.starts_at,
        "end": event.ends_at,
        "time_known": not event.time_unknown,
        "format": event.format,
        "kind": event.kind,
        "programme": event.programme.slug,
        "series": event.series.slug if event.series_id and event.series else None,
        "registration_open": event.registration_is_open(),
        "registration_closes_at": event.effective_closes_at if event.registration_enabled else None,
        "capacity": event.capacity,
        "seats_left": selectors.seats_left(event),
    }


class ListFilters(Schema):
    programme: str = Field("", max_length=120, description="Programm-Kurzname (slug)")
    theme: str = Field("", max_length=120, description="Themen-Kurzname (slug)")
    format: Literal["", "online", "onsite", "hybrid"] = ""
    date_from: QueryDate | None = Field(None, alias="from", description="ab diesem Tag")
    date_to: QueryDate | None = Field(None, alias="to", description="bis zu diesem Tag")
    when: Literal["upcoming", "past", "all"] = "all"
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("", response={200: list[EventOut], **error_responses()}, summary="Veranstaltungen")
def list_events(request: HttpRequest, filters: Query[ListFilters]) -> list[dict[str, Any]]:
    qs = selectors.public_events(
        selectors.EventFilters(
            programme=filters.programme,
            theme=filters.theme,
            format=filters.format,
            date_from=filters.date_from,
            date_to=filters.date_to,
            when=filters.when,
        )
    )
    return [_event_out(request, e) for e in qs[filters.offset : filters.offset + filters.limit]]


@router.get(
    "/{event_id}",
    response={200: EventDetailOut, **error_responses(404)},
    summary="Eine Veranstaltung",
)
def get_event(request: HttpRequest, event_id: DbId) -> dict[str, Any]:
    event = selectors.public_event(pk=event_id)
    return {
        **_event_out(request, event),
        "summary": event.summary,
        "description_html": event.description,
        "venue_name": event.venue_name if event.has_venue else "",
        "venue_address": event.venue_address if event.has_venue else "",
        "themes": [t.name for t in event.themes.all()],
        "projects": [p.acronym for p in event.projects.all()],
        "agenda": [
            {
                "starts_at": a.starts_at.strftime("%H:%M") if a.starts_at else None,
                "ends_at": a.ends_at.strftime("%H:%M") if a.ends_at else None,
                "title": a.title,
                "speakers": a.speakers,
            }
            for a in event.agenda_items.all()
        ],
        "materials": [
            {"kind": m.kind, "title": m.title, "url": request.build_absolute_uri(m.href)}
            for m in event.materials.all()
        ],
        "questions": [
            {
                "key": q.key,
                "kind": q.kind,
                "label": q.label,
                "required": q.required,
                "choices": q.choice_list,
            }
            for q in event.questions.all()
        ],
        "consent_text": event.effective_consent_text,
    }


@router.post(
    "/{event_id}/registrations",
    response={201: RegistrationOut, **error_responses(404, 409, 429, *BODY_ERRORS)},
    summary="Anmelden (Double-Opt-in per E-Mail)",
)
def register(
    request: HttpRequest, event_id: DbId, payload: RegistrationIn
) -> Status[dict[str, Any]]:
    client = client_key(request)
    conf.REGISTRATION_LIMIT.check(client)
    event, questions = selectors.published_event_for_registration(event_id)
    # The API has no language prefix: the client's Accept-Language chooses the language of the
    # person's mails (German unless English is preferred).
    with translation.override(translation.get_language_from_request(request)):
        registration = services.registration_create(
            event=event,
            questions=questions,
            name=payload.name,
            email=payload.email,
            organisation=payload.organisation,
            organisation_kind=payload.organisation_kind,
            land_code=payload.land_code,
            consent=payload.consent,
            answers=payload.answers,
            client=client,
        )
    waitlisted = registration.status == "waitlisted"
    return Status(
        201,
        {
            "status": "waitlisted" if waitlisted else "pending_confirmation",
            "event_id": event.pk,
            "waitlist_position": services.waitlist_position(registration, just_created=True),
            "message": _(
                "Die Veranstaltung ist ausgebucht; Sie stehen auf der Warteliste. Bitte bestätigen "
                "Sie Ihre E-Mail-Adresse über den Link in der E-Mail."
            )
            if waitlisted
            else _("Bitte bestätigen Sie Ihre Anmeldung über den Link in der E-Mail."),
        },
    )
