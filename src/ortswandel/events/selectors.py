"""Reads of the events app: public lists and pages, organiser lists, statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ortswandel.accounts.roles import restrict_to_programmes
from ortswandel.catalogue.models import OrganisationKind, Programme, Theme
from ortswandel.core import versions
from ortswandel.core.errors import NotFound
from ortswandel.municipalities.models import LAND_NAMES

from .models import (
    SEAT_STATUSES,
    Event,
    EventFormat,
    EventSeries,
    Question,
    Registration,
    RegistrationStatus,
)


def with_seats(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate ``seats_taken_count`` with a correlated subquery (index on event, status)
    instead of a join + GROUP BY over every event column."""
    taken = (
        Registration.objects.filter(event=OuterRef("pk"), status__in=SEAT_STATUSES)
        .order_by()
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(
        seats_taken_count=Coalesce(Subquery(taken, output_field=IntegerField()), 0)
    )


def seats_left(event: Event) -> int | None:
    """Free seats (``None`` = unlimited). Uses the annotation when present."""
    if event.capacity is None:
        return None
    taken = getattr(event, "seats_taken_count", None)
    if taken is None:
        taken = event.registrations.filter(status__in=SEAT_STATUSES).count()
    return max(event.capacity - taken, 0)


@dataclass(frozen=True)
class EventFilters:
    programme: str = ""
    theme: str = ""
    format: str = ""
    date_from: date | None = None
    date_to: date | None = None
    when: str = "upcoming"  # upcoming | past | all


def public_events(filters: EventFilters | None = None) -> QuerySet[Event]:
    filters = filters or EventFilters()
    now = timezone.now()
    qs = Event.objects.public().select_related("programme", "series")
    if filters.programme:
        qs = qs.filter(programme__slug=filters.programme)
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme).distinct()
    if filters.format in EventFormat.values:
        qs = qs.filter(format=filters.format)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(ends_at__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz))
    if filters.date_to:
        qs = qs.filter(starts_at__lte=datetime.combine(filters.date_to, time.max, tzinfo=tz))
    if filters.when == "upcoming":
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    elif filters.when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        qs = qs.order_by("starts_at", "id")
    return with_seats(qs)


def filter_options() -> dict[str, Any]:
    programmes = Programme.objects.public().filter(Event.public_q("events__")).distinct()
    themes = (
        Theme.objects.public()
        .filter(Event.public_q("events__"))
        .select_related("programme")
        .distinct()
    )
    return {"programmes": programmes, "themes": themes, "formats": EventFormat.choices}


def public_event(*, slug: str | None = None, pk: int | None = None, prefetch: bool = True) -> Event:
    """A published event with ``seats_taken_count``; with ``prefetch`` also its agenda,
    materials, questions and published themes and projects (the API). The event page passes
    ``prefetch=False`` and reads those lazily through :func:`event_page_parts`, inside cached
    fragments."""
    qs: QuerySet[Event] = Event.objects.public().select_related("programme", "series")
    if prefetch:
        qs = qs.prefetch_related(
            "agenda_items",
            "materials",
            "questions",
            Prefetch("themes", queryset=_published_themes()),
            Prefetch("projects", queryset=_published_projects()),
        )
    qs = with_seats(qs)
    if slug is not None:
        event = qs.filter(slug=slug).order_by().first()
    else:
        event = qs.filter(pk=pk or 0).order_by().first()
    if event is None:
        raise NotFound(_("Diese Veranstaltung gibt es nicht oder sie ist nicht veröffentlicht."))
    return event


class EventPageParts:
    """The static parts of the event page as methods (templates call them): the querysets are
    built and run only when a cached fragment has to be rendered again."""

    def __init__(self, event: Event) -> None:
        self.event = event

    def themes(self) -> QuerySet:
        return _published_themes().filter(events=self.event)

    def projects(self) -> QuerySet:
        return _published_projects().filter(events=self.event)

    def agenda(self) -> QuerySet:
        return self.event.agenda_items.all()

    def materials(self) -> QuerySet:
        return self.event.materials.all()


def event_page_parts(event: Event) -> EventPageParts:
    return EventPageParts(event)


CONTENT_VERSION_KEY = "events:content-version"
#: Fragments of event pages live at most this long, so that a change made through another server
#: process (whose in-process cache got the new version) shows up here too.
PAGE_CACHE_SECONDS = 60


def content_version() -> str:
    """A token replaced on every change of events content (see ``apps.py``)."""
    return versions.content_version(CONTENT_VERSION_KEY)


def page_cache_version() -> str:
    """Part of the cache key of event page fragments: events and catalogue content versions
    (theme and project names and their publication come from the catalogue)."""
    from ortswandel.catalogue.facets import content_version as catalogue_version

    return f"{content_version()}-{catalogue_version()}"


_QUESTION_FIELDS = ("id", "kind", "label", "help_text", "choices", "required", "position")


def published_event_for_registration(pk: int) -> tuple[Event, list[Question]]:
    """A published event (only its id: the service locks and reads the row itself and checks
    again that it is published and open) and its custom questions – one query (a left join), as
    this is the hot path of every registration through the API."""
    rows = list(
        Event.objects.public()
        .filter(pk=pk)
        .order_by("questions__position", "questions__id")
        .values_list(*[f"questions__{name}" for name in _QUESTION_FIELDS])
    )
    if not rows:
        raise NotFound(_("Diese Veranstaltung gibt es nicht oder sie ist nicht veröffentlicht."))
    questions = [
        Question(event_id=pk, **dict(zip(_QUESTION_FIELDS, row, strict=True)))
        for row in rows
        if row[0] is not None  # the left join gives one empty row for an event without questions
    ]
    return Event(pk=pk), questions


def _published_projects() -> QuerySet:
    from ortswandel.catalogue.models import Project

    return Project.objects.public()


def _published_themes() -> QuerySet:
    return Theme.objects.public().select_related("programme")


def public_series(*, slug: str) -> EventSeries:
    series = (
        EventSeries.objects.public()
        .select_related("programme")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.public()))
        .filter(slug=slug)
        .first()
    )
    if series is None:
        raise NotFound(
            _("Diese Veranstaltungsreihe gibt es nicht oder sie ist nicht veröffentlicht.")
        )
    return series


def series_events(series: EventSeries) -> QuerySet[Event]:
    return with_seats(
        series.events.public()
        .select_related("programme")
        .prefetch_related("questions")
        .order_by("starts_at", "id")
    )


def public_programme(*, slug: str) -> Programme:
    programme = Programme.objects.public().filter(slug=slug).first()
    if programme is None:
        raise NotFound(_("Dieses Programm gibt es nicht oder es ist nicht veröffentlicht."))
    return programme


# --- organisers ------------------------------------------------------------------------------


def _count_with_status(status: str) -> Coalesce:
    rows = (
        Registration.objects.filter(event=OuterRef("pk"), status=status)
        .order_by()
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def organiser_events(user: Any) -> QuerySet[Event]:
    """The events an organiser manages, with ``seats_taken_count``, ``waitlisted_count`` and
    ``unconfirmed_count`` (seats held by registrations still waiting for the double opt-in)."""
    qs = Event.objects.select_related("programme", "series").order_by("-starts_at", "-id")
    return with_seats(restrict_to_programmes(qs, user)).annotate(
        waitlisted_count=_count_with_status(RegistrationStatus.WAITLISTED),
        unconfirmed_count=_count_with_status(RegistrationStatus.PENDING),
    )


def organiser_event(user: Any, slug: str) -> Event:
    event = organiser_events(user).filter(slug=slug).first()
    if event is None:
        raise NotFound(_("Diese Veranstaltung gibt es nicht oder Sie dürfen sie nicht verwalten."))
    return event


def participants(event: Event, *, status: str | None = None) -> QuerySet[Registration]:
    qs = event.registrations.all().order_by("created_at", "id")
    if status:
        qs = qs.filter(status=status)
    return qs


def statistics(events: QuerySet[Event]) -> dict[str, Any]:
    """Counts of registrations per event and status, per Land and per organisation type.

    Anonymised registrations are included (they keep status, Land and organisation type).
    """
    registrations = Registration.objects.filter(event__in=events)
    per_event = list(
        events.order_by("-starts_at").annotate(
            pending=Count("registrations", filter=Q(registrations__status="pending")),
            confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
            waitlisted=Count("registrations", filter=Q(registrations__status="waitlisted")),
            cancelled=Count("registrations", filter=Q(registrations__status="cancelled")),
            attended_count=Count("registrations", filter=Q(registrations__attended=True)),
        )
    )
    active = registrations.filter(status__in=["pending", "confirmed", "waitlisted"])
    by_land = [
        {
            "code": row["land_code"],
            "name": LAND_NAMES.get(row["land_code"], _("keine Angabe")),
            "count": row["n"],
        }
        for row in active.values("land_code").annotate(n=Count("id")).order_by("-n", "land_code")
    ]
    kinds = dict(OrganisationKind.choices)
    by_kind = [
        {
            "code": row["organisation_kind"],
            "name": str(kinds.get(row["organisation_kind"], _("keine Angabe"))),
            "count": row["n"],
        }
        for row in active.values("organisation_kind")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation_kind")
    ]
    return {
        "per_event": per_event,
        "by_land": by_land,
        "by_kind": by_kind,
        "total_active": active.count(),
    }


def project_events_section(project: Any) -> Any:
    """The public events of a catalogue project, for its page (catalogue.contributions)."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from ortswandel.catalogue.contributions import ProjectSection, SectionItem

    events = list(Event.objects.public().filter(projects=project).order_by("-starts_at")[:20])
    if not events:
        return None
    return ProjectSection(
        key="veranstaltungen",
        title=_("Veranstaltungen"),
        items=[
            SectionItem(
                label=e.title,
                url=e.get_absolute_url(),
                note=date_format(timezone.localtime(e.starts_at), "SHORT_DATE_FORMAT"),
            )
            for e in events
        ],
    )
