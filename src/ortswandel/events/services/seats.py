"""Seats of an event: counting under the lock, expiring unconfirmed holds, promoting from the
waiting list, and the place on it. Callers hold the event row lock (see :mod:`.registration`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db import connection
from django.utils.translation import gettext_lazy

from ortswandel.core import site
from ortswandel.core.audit import audit_log
from ortswandel.events import conf, mail
from ortswandel.events.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Event,
    Registration,
    RegistrationStatus,
)

from .tokens import absolute_link

# --- counting inside the lock -----------------------------------------------------------------


def lock_events(event_ids: Iterable[int]) -> list[Event]:
    """Lock the event rows in ascending id order (deadlock-free) and return fresh copies."""
    return list(Event.objects.select_for_update().filter(pk__in=set(event_ids)).order_by("pk"))


def seats_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status__in=SEAT_STATUSES).count()


class SeatCounts(NamedTuple):
    duplicate: int  # active registrations of this e-mail address for the event
    taken: int  # seats held (pending or confirmed)
    waiting: int  # on the waiting list
    stale: int  # pending past the confirmation time (their seats can be released)
    client_pending: int  # unconfirmed seats (within the hold time) held by the same client


# Only placeholders and the model's own table name are interpolated (no input).
_SEAT_COUNTS_SQL = (  # noqa: S608
    "SELECT COALESCE(SUM(CASE WHEN email = %s AND status IN ({active})"
    " AND anonymised_at IS NULL THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN status IN ({seats}) THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN status = %s AND seat_held_since < %s THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN status = %s AND seat_held_since >= %s AND client_key = %s"
    " THEN 1 ELSE 0 END), 0)"
    " FROM {table} WHERE event_id = %s"
).format(
    active=", ".join(["%s"] * len(ACTIVE_STATUSES)),
    seats=", ".join(["%s"] * len(SEAT_STATUSES)),
    table=Registration._meta.db_table,
)


def seat_counts(event: Event, email: str, now: datetime, client: str | None) -> SeatCounts:
    """Everything a new registration needs to know, in one query (caller holds the lock).
    ``client``: the hashed client key (``None``: no client, nothing matches).

    Plain SQL on the hot path of every registration: the same four filtered counts through the
    ORM (``aggregate(duplicate=Count("id", filter=Q(email=email, status__in=ACTIVE_STATUSES,
    anonymised_at__isnull=True)), taken=…, waiting=…, stale=…)``) cost about a millisecond of
    query compilation per call, and separate queries three more round trips (bench_events.py).
    The duplicate count matches the partial unique index exactly.
    """
    deadline = connection.ops.adapt_datetimefield_value(  # as the ORM stores it
        now - timedelta(hours=conf.confirmation_hours())
    )
    params: list[Any] = [
        email,
        *ACTIVE_STATUSES,
        *SEAT_STATUSES,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.PENDING,
        deadline,
        RegistrationStatus.PENDING,
        deadline,
        client,
        event.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_SEAT_COUNTS_SQL, params)
        row = cursor.fetchone()
    return SeatCounts(*(int(value) for value in row))


def has_free_seat(event: Event) -> bool:
    return event.capacity is None or seats_taken(event) < event.capacity


def release_stale(event: Event, now: datetime) -> int:
    """Expire pending registrations whose confirmation time ran out (caller holds the lock)."""
    deadline = now - timedelta(hours=conf.confirmation_hours())
    stale = list(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.PENDING, seat_held_since__lt=deadline
        )
    )
    for registration in stale:
        registration.status = RegistrationStatus.EXPIRED
        registration.save(update_fields=["status"])
        audit_log(
            action="events.registration.expired",
            obj=registration,
            payload={"event_id": event.pk, "held_since": registration.seat_held_since},
        )
        mail.enqueue_template(
            to=registration.email,
            subject=gettext_lazy("Anmeldung verfallen: %(title)s"),
            subject_params={"title": event.title},
            template="expired",
            context=mail_context(registration),
            kind="expired",
            registration=registration,
        )
    return len(stale)


def promote_waitlisted(event: Event, now: datetime) -> list[Registration]:
    """Move people from the waiting list onto free seats, oldest first (caller holds the lock)."""
    promoted: list[Registration] = []
    if event.starts_at <= now:
        return promoted
    while has_free_seat(event):
        candidate = (
            Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
            .order_by("created_at", "id")
            .first()
        )
        if candidate is None:
            break
        candidate.promoted_at = now
        if candidate.email_verified_at:
            candidate.status = RegistrationStatus.CONFIRMED
            candidate.confirmed_at = now
            template, subject = "promoted_confirmed", gettext_lazy("Sie sind dabei: %(title)s")
        else:
            candidate.status = RegistrationStatus.PENDING
            candidate.seat_held_since = now
            template, subject = "promoted_pending", gettext_lazy("Ein Platz ist frei: %(title)s")
        candidate.save(update_fields=["status", "promoted_at", "confirmed_at", "seat_held_since"])
        audit_log(
            action="events.registration.promoted",
            obj=candidate,
            payload={"event_id": event.pk, "status": candidate.status},
        )
        mail.enqueue_template(
            to=candidate.email,
            subject=subject,
            subject_params={"title": event.title},
            template=template,
            context=mail_context(candidate),
            kind="promoted",
            registration=candidate,
        )
        promoted.append(candidate)
    return promoted


def mail_context(registration: Registration, **extra: Any) -> dict[str, Any]:
    # Every event of a batch mail gets its own cancellation link (no login needed).
    for item in extra.get("registrations", ()):
        item.cancel_url = absolute_link(item, "cancel")
    return {
        "registration": registration,
        "event": registration.event,
        "confirm_url": absolute_link(registration, "confirm"),
        "cancel_url": absolute_link(registration, "cancel"),
        "manage_url": absolute_link(registration, "manage"),
        "hours": conf.confirmation_hours(),
        "base_url": site.base_url(),
        **extra,
    }


def waitlist_position(registration: Registration, *, just_created: bool = False) -> int | None:
    """1-based place on the waiting list (``None`` if not waiting). ``just_created``: the
    registration comes straight from :func:`registration_create`, which counted the place under
    the lock; use that count instead of a query."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    known = getattr(registration, "known_waitlist_position", None)
    if just_created and known is not None:
        return int(known)
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITLISTED,
            created_at__lte=registration.created_at,
        )
        .exclude(created_at=registration.created_at, id__gt=registration.pk)
        .count()
    )
