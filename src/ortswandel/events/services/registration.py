"""Registration life cycle: register (one or several events), confirm, cancel, promote, expire.

Capacity is a check-then-write rule, so every write that changes who holds a seat runs inside
``transaction.atomic`` with the event row locked (``select_for_update``; on SQLite the settings
use ``BEGIN IMMEDIATE``, which takes the database write lock at the start of the transaction) and
re-counts the seats inside the lock. Events are always locked in ascending id order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortswandel.core import site
from ortswandel.core.audit import audit_log
from ortswandel.core.errors import Conflict, Unprocessable
from ortswandel.core.typing import ActingUser
from ortswandel.events import conf, mail
from ortswandel.events.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Event,
    Question,
    Registration,
    RegistrationStatus,
)

from .inputs import MAX_UNKNOWN_LISTED, clean_answers, clean_person, known_answer_keys
from .tokens import absolute_link


def _ui_language() -> str:
    """The active UI language (from the URL prefix, or Accept-Language on the API), as one of
    ``settings.LANGUAGES``; mails to the person are written in it."""
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# --- counting inside the lock -----------------------------------------------------------------


def _lock_events(event_ids: Iterable[int]) -> list[Event]:
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


def _seat_counts(event: Event, email: str, now: datetime, client: str | None) -> SeatCounts:
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


def _has_free_seat(event: Event) -> bool:
    return event.capacity is None or seats_taken(event) < event.capacity


def _release_stale(event: Event, now: datetime) -> int:
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
            context=_context(registration),
            kind="expired",
            registration=registration,
        )
    return len(stale)


def _promote(event: Event, now: datetime) -> list[Registration]:
    """Move people from the waiting list onto free seats, oldest first (caller holds the lock)."""
    promoted: list[Registration] = []
    if event.starts_at <= now:
        return promoted
    while _has_free_seat(event):
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
            context=_context(candidate),
            kind="promoted",
            registration=candidate,
        )
        promoted.append(candidate)
    return promoted


def _context(registration: Registration, **extra: Any) -> dict[str, Any]:
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


# --- use cases ------------------------------------------------------------------------------


def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    consent: bool,
    organisation: str = "",
    organisation_kind: str = "",
    land_code: str = "",
    answers: dict[str, Any] | None = None,
    user: Any = None,
    questions: Iterable[Question] | None = None,
    client: str = "",
) -> Registration:
    """Register one person for one event: a seat (pending the double opt-in) or the waitlist.

    ``questions``: the event's questions when the caller has read them already (the API reads
    event and questions in one query); otherwise they are read here. ``client``: who is
    registering (:func:`ortswandel.core.ratelimit.client_key`), for the cap on unconfirmed seats
    per client; empty for registrations not made by a client (admin, commands)."""
    return registration_create_many(
        events=[event],
        name=name,
        email=email,
        consent=consent,
        organisation=organisation,
        organisation_kind=organisation_kind,
        land_code=land_code,
        answers=answers,
        user=user,
        questions=questions,
        client=client,
    )[0]


def registration_create_many(
    *,
    events: Sequence[Event],
    name: str,
    email: str,
    consent: bool,
    organisation: str = "",
    organisation_kind: str = "",
    land_code: str = "",
    answers: dict[str, Any] | None = None,
    user: Any = None,
    questions: Iterable[Question] | None = None,
    client: str = "",
) -> list[Registration]:
    """Register one person for several events (e.g. of a series) in one step, all or nothing.

    Raises :class:`Unprocessable` (``invalid_input``, ``consent_required``) before touching the
    database, and :class:`Conflict` (``registration_closed``, ``duplicate_email``,
    ``event_full``, ``unconfirmed_limit``) from inside the lock.
    """
    if not events:
        raise Unprocessable(
            _("Bitte wählen Sie mindestens eine Veranstaltung aus."),
            code="invalid_input",
            fields={"events": _("Bitte wählen Sie mindestens eine Veranstaltung aus.")},
        )
    # Collect every problem at once, so that a form can mark all fields in one round trip.
    errors: dict[str, str] = {}
    person: dict[str, str] = {}
    try:
        person = clean_person(
            name=name,
            email=email,
            organisation=organisation,
            organisation_kind=organisation_kind,
            land_code=land_code,
        )
    except Unprocessable as exc:
        errors.update(exc.fields)
    if consent is not True:
        errors["consent"] = _("Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu.")
    event_ids = sorted({event.pk for event in events})
    questions_by_event: dict[int, list[Question]] = {pk: [] for pk in event_ids}
    if questions is None:
        questions = Question.objects.filter(event_id__in=event_ids)
    for question in questions:
        questions_by_event[question.event_id].append(question)
    all_questions = [q for qs in questions_by_event.values() for q in qs]
    unknown = sorted(set((answers or {}).keys()) - known_answer_keys(all_questions))
    stored_answers: dict[int, dict[str, dict[str, Any]]] = {}
    if len(unknown) > MAX_UNKNOWN_LISTED or any(len(key) > 40 for key in unknown):
        errors["answers"] = _(
            "Die Antworten enthalten %(n)s unbekannte Fragen; erlaubt sind nur die Schlüssel "
            "der Anmeldefragen (q<id>)."
        ) % {"n": len(unknown)}
    else:
        errors.update({f"answers.{key}": _("Unbekannte Frage.") for key in unknown})
    for pk in event_ids:
        stored, answer_errors = clean_answers(questions=questions_by_event[pk], answers=answers)
        stored_answers[pk] = stored
        errors.update(answer_errors)
    if set(errors) == {"consent"}:
        raise Unprocessable(
            _("Ohne Ihre Einwilligung in die Datenverarbeitung ist keine Anmeldung möglich."),
            code="consent_required",
            fields=errors,
        )
    if errors:
        raise Unprocessable(
            _("Bitte prüfen Sie Ihre Angaben."), code="invalid_input", fields=errors
        )

    try:
        with transaction.atomic():
            registrations = _create_locked(
                event_ids=event_ids,
                person=person,
                stored_answers=stored_answers,
                user=user,
                client=_client_hash(client),
            )
    except IntegrityError as exc:  # the partial unique index; only reachable without the lock
        raise _duplicate() from exc
    return registrations


def _duplicate() -> Conflict:
    return Conflict(
        _("Mit dieser E-Mail-Adresse besteht bereits eine Anmeldung für diese Veranstaltung."),
        code="duplicate_email",
        fields={"email": _("Mit dieser E-Mail-Adresse besteht bereits eine Anmeldung.")},
    )


def _client_hash(client: str) -> str | None:
    """What is stored of the client: a keyed hash (never the address), or ``None`` when there is
    no client or no cap. Cleared on confirmation and anonymisation."""
    if not client or conf.unconfirmed_per_client() <= 0:
        return None
    return salted_hmac("ortswandel.events.registration.client", client).hexdigest()[:32]


def _unconfirmed_limit(event: Event) -> Conflict:
    return Conflict(
        _(
            "Von Ihrem Anschluss aus sind für „%(title)s“ schon %(n)s Anmeldungen unbestätigt. "
            "Bitte bestätigen Sie diese zuerst über den Link in der E-Mail; danach können Sie "
            "weitere Personen anmelden."
        )
        % {"title": event.title, "n": conf.unconfirmed_per_client()},
        code="unconfirmed_limit",
    )


def _create_locked(
    *,
    event_ids: list[int],
    person: dict[str, str],
    stored_answers: dict[int, dict[str, dict[str, Any]]],
    user: Any,
    client: str | None,
) -> list[Registration]:
    locked = _lock_events(event_ids)
    now = timezone.now()  # after the lock: created_at follows the order of the lock holders
    if len(locked) != len(event_ids):
        raise Conflict(_("Die Veranstaltung gibt es nicht mehr."), code="registration_closed")
    batch = None
    registrations: list[Registration] = []
    for event in locked:
        if not event.registration_is_open(now):
            raise Conflict(
                _("Die Anmeldung für „%(title)s“ ist nicht (mehr) geöffnet.")
                % {"title": event.title},
                code="registration_closed",
            )
        counts = _seat_counts(event, person["email"], now, client)
        if counts.duplicate:
            raise _duplicate()
        free = event.capacity is None or counts.taken < event.capacity
        position: int | None = counts.waiting + 1  # if waitlisted: created last, under the lock
        if not free and counts.stale and _release_stale(event, now):
            _promote(event, now)
            free = _has_free_seat(event)
            position = None  # the waiting list changed: count again when asked
        if free:
            # The cap on unconfirmed seats per client: one client cannot hold the event's seats
            # with addresses it never confirms (counted inside the lock, like the seats).
            if client is not None and counts.client_pending >= conf.unconfirmed_per_client():
                raise _unconfirmed_limit(event)
            status = RegistrationStatus.PENDING
        elif event.waitlist_enabled:
            status = RegistrationStatus.WAITLISTED
        else:
            raise Conflict(
                _("„%(title)s“ ist ausgebucht.") % {"title": event.title},
                code="event_full",
            )
        registration = Registration(
            event=event,
            status=status,
            answers=stored_answers[event.pk],
            user=user if getattr(user, "is_authenticated", False) else None,
            consent_text=event.effective_consent_text,
            consented_at=now,
            language=_ui_language(),
            created_at=now,
            seat_held_since=now if status == RegistrationStatus.PENDING else None,
            client_key=client or "",
            **person,
        )
        if batch is not None:
            registration.batch = batch
        registration.save()
        if status == RegistrationStatus.WAITLISTED and position is not None:
            # saves waitlist_position() a query
            registration.known_waitlist_position = position  # type: ignore[attr-defined]
        batch = registration.batch
        audit_log(
            action=f"events.registration.{'created' if status == 'pending' else 'waitlisted'}",
            actor=user,
            obj=registration,
            payload={"event_id": event.pk, "status": status},
        )
        registrations.append(registration)
    first = registrations[0]
    mail.enqueue_template(
        to=first.email,
        subject=gettext_lazy("Bitte bestätigen Sie Ihre Anmeldung: %(title)s")
        if len(registrations) == 1
        else gettext_lazy("Bitte bestätigen Sie Ihre Anmeldung (%(n)s Veranstaltungen)"),
        subject_params={"title": first.event.title, "n": len(registrations)},
        template="confirm_request",
        context=_context(first, registrations=registrations),
        kind="confirm_request",
        registration=first,
    )
    return registrations


def batch_of(registration: Registration) -> list[Registration]:
    """All registrations made in the same step (same person, same form submission)."""
    return list(
        Registration.objects.filter(
            batch=registration.batch, email=registration.email, anonymised_at__isnull=True
        )
        .select_related("event")
        .order_by("event__starts_at", "id")
    )


def registration_confirm(*, registration: Registration) -> list[Registration]:
    """Double opt-in: the person followed the link in the mail. Confirms the whole batch.

    A pending seat becomes confirmed; a waitlisted entry is marked as verified (it is confirmed
    directly when promoted later). An expired registration gets a seat again if one is free,
    otherwise a place on the waiting list. Idempotent.
    """
    now = timezone.now()
    changed: list[Registration] = []
    with transaction.atomic():
        batch = batch_of(registration)
        _lock_events(r.event_id for r in batch)
        for item in batch:
            item.refresh_from_db()
            if item.status in (RegistrationStatus.CANCELLED,) or item.email_verified_at:
                continue
            item.email_verified_at = now
            item.client_key = ""  # only unconfirmed seats are capped per client
            if item.status == RegistrationStatus.EXPIRED:
                if Registration.objects.filter(
                    event_id=item.event_id, email=item.email, status__in=ACTIVE_STATUSES
                ).exists():
                    continue
                if _has_free_seat(item.event) and item.event.starts_at > now:
                    item.status = RegistrationStatus.CONFIRMED
                    item.confirmed_at = now
                elif item.event.waitlist_enabled and item.event.starts_at > now:
                    item.status = RegistrationStatus.WAITLISTED
            elif item.status == RegistrationStatus.PENDING:
                item.status = RegistrationStatus.CONFIRMED
                item.confirmed_at = now
            item.save(update_fields=["status", "email_verified_at", "confirmed_at", "client_key"])
            audit_log(
                action="events.registration.confirmed",
                obj=item,
                payload={"event_id": item.event_id, "status": item.status},
            )
            changed.append(item)
        if changed:
            first = changed[0]
            mail.enqueue_template(
                to=first.email,
                subject=gettext_lazy("Anmeldung bestätigt: %(title)s")
                if len(changed) == 1
                else gettext_lazy("Anmeldung bestätigt (%(n)s Veranstaltungen)"),
                subject_params={"title": first.event.title, "n": len(changed)},
                template="confirmed",
                context=_context(first, registrations=changed),
                kind="confirmed",
                registration=first,
            )
    return changed


def registration_cancel(
    *, registration: Registration, acting_user: ActingUser | None = None
) -> Registration:
    """Cancel (by the person's link or by an organiser); a freed seat goes to the waiting list."""
    now = timezone.now()
    with transaction.atomic():
        (event,) = _lock_events([registration.event_id])
        registration.refresh_from_db()
        if registration.status not in ACTIVE_STATUSES:
            return registration
        held_seat = registration.holds_seat
        previous = registration.status
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        audit_log(
            action="events.registration.cancelled",
            actor=acting_user,
            obj=registration,
            payload={"event_id": event.pk, "previous_status": previous},
        )
        mail.enqueue_template(
            to=registration.email,
            subject=gettext_lazy("Abmeldung: %(title)s"),
            subject_params={"title": event.title},
            template="cancelled",
            context=_context(registration),
            kind="cancelled",
            registration=registration,
        )
        if held_seat:
            _promote(event, now)
    return registration


def event_fill_from_waitlist(
    *, event: Event, acting_user: ActingUser | None = None
) -> list[Registration]:
    """Promote waiting people after the capacity was raised (called by the back office)."""
    now = timezone.now()
    with transaction.atomic():
        (locked,) = _lock_events([event.pk])
        promoted = _promote(locked, now)
        if promoted:
            audit_log(
                action="events.event.waitlist_filled",
                actor=acting_user,
                obj=locked,
                payload={"promoted": [r.pk for r in promoted]},
            )
    return promoted


def registrations_release_unconfirmed(*, now: datetime | None = None) -> int:
    """Expire pending registrations past their confirmation time and promote from the waitlist."""
    now = now or timezone.now()
    deadline = now - timedelta(hours=conf.confirmation_hours())
    event_ids = sorted(
        set(
            Registration.objects.filter(
                status=RegistrationStatus.PENDING, seat_held_since__lt=deadline
            ).values_list("event_id", flat=True)
        )
    )
    released = 0
    for event_id in event_ids:
        with transaction.atomic():
            (event,) = _lock_events([event_id])
            count = _release_stale(event, now)
            if count:
                _promote(event, now)
            released += count
    return released
