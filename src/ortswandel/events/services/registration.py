"""Registration life cycle: register (one or several events), confirm, cancel, promote, expire.

Capacity is a check-then-write rule, so every write that changes who holds a seat runs inside
``transaction.atomic`` with the event row locked (``select_for_update``; on SQLite the settings
use ``BEGIN IMMEDIATE``, which takes the database write lock at the start of the transaction) and
re-counts the seats inside the lock. Events are always locked in ascending id order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortswandel.core import notifications
from ortswandel.core.audit import audit_log
from ortswandel.core.errors import Conflict, Unprocessable
from ortswandel.core.typing import ActingUser
from ortswandel.events import conf, mail
from ortswandel.events.models import (
    ACTIVE_STATUSES,
    Event,
    Question,
    Registration,
    RegistrationStatus,
)

from .inputs import MAX_UNKNOWN_LISTED, clean_answers, clean_person, known_answer_keys
from .seats import (
    has_free_seat,
    lock_events,
    mail_context,
    promote_waitlisted,
    release_stale,
    seat_counts,
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
    locked = lock_events(event_ids)
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
        counts = seat_counts(event, person["email"], now, client)
        if counts.duplicate:
            raise _duplicate()
        free = event.capacity is None or counts.taken < event.capacity
        position: int | None = counts.waiting + 1  # if waitlisted: created last, under the lock
        if not free and counts.stale and release_stale(event, now):
            promote_waitlisted(event, now)
            free = has_free_seat(event)
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
            language=notifications.ui_language(),
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
        context=mail_context(first, registrations=registrations),
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
        lock_events(r.event_id for r in batch)
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
                if has_free_seat(item.event) and item.event.starts_at > now:
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
                context=mail_context(first, registrations=changed),
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
        (event,) = lock_events([registration.event_id])
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
            context=mail_context(registration),
            kind="cancelled",
            registration=registration,
        )
        if held_seat:
            promote_waitlisted(event, now)
    return registration


def event_fill_from_waitlist(
    *, event: Event, acting_user: ActingUser | None = None
) -> list[Registration]:
    """Promote waiting people after the capacity was raised (called by the back office)."""
    now = timezone.now()
    with transaction.atomic():
        (locked,) = lock_events([event.pk])
        promoted = promote_waitlisted(locked, now)
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
            (event,) = lock_events([event_id])
            count = release_stale(event, now)
            if count:
                promote_waitlisted(event, now)
            released += count
    return released
