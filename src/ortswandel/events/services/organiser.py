"""Organiser actions and scheduled mail: attendance, messages, reminders, follow-ups.

Organiser actions check the role themselves (programme editors only for their programmes'
events), so the views, admin actions and commands can all call them safely.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortswandel.core.audit import audit_log
from ortswandel.core.errors import PermissionDenied, Unprocessable
from ortswandel.core.typing import ActingUser
from ortswandel.events import mail
from ortswandel.events.models import Event, Registration, RegistrationStatus

from .seats import mail_context

AUDIENCES = {
    "confirmed": (RegistrationStatus.CONFIRMED,),
    "waitlisted": (RegistrationStatus.WAITLISTED,),
    "pending": (RegistrationStatus.PENDING,),
    "all": (
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.PENDING,
        RegistrationStatus.WAITLISTED,
    ),
}


def require_organiser(user: Any, event: Event) -> None:
    """``events.manage_event`` (see ``events/rules.py``) or :class:`PermissionDenied`."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    if not user.has_perm("events.manage_event", event):
        raise PermissionDenied(
            _("Sie können nur Veranstaltungen Ihrer eigenen Programme verwalten."),
            code="not_your_programme",
        )


def registration_set_attendance(
    *, registration: Registration, attended: bool | None, acting_user: ActingUser | None
) -> Registration:
    require_organiser(acting_user, registration.event)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise Unprocessable(
            _("Teilnahme kann nur für bestätigte Anmeldungen vermerkt werden."),
            code="not_confirmed",
        )
    with transaction.atomic():
        before = registration.attended
        registration.attended = attended
        registration.save(update_fields=["attended"])
        audit_log(
            action="events.registration.attendance_marked",
            actor=acting_user,
            obj=registration,
            payload={"attended": [before, attended]},
        )
    return registration


def event_message_participants(
    *, event: Event, subject: str, body: str, audience: str, acting_user: ActingUser | None
) -> int:
    """Queue a message from the organisers to the participants; returns the number queued."""
    require_organiser(acting_user, event)
    subject, body = (subject or "").strip(), (body or "").strip()
    errors = {}
    if not subject or len(subject) > 200:
        errors["subject"] = _("Bitte geben Sie einen Betreff (höchstens 200 Zeichen) an.")
    if not body or len(body) > 10000:
        errors["body"] = _("Bitte geben Sie einen Text (höchstens 10.000 Zeichen) an.")
    if audience not in AUDIENCES:
        errors["audience"] = _("Bitte wählen Sie einen Empfängerkreis aus der Liste.")
    if errors:
        raise Unprocessable(
            _("Bitte prüfen Sie die Nachricht."), code="invalid_input", fields=errors
        )
    with transaction.atomic():
        recipients = list(
            event.registrations.filter(status__in=AUDIENCES[audience], anonymised_at__isnull=True)
        )
        for registration in recipients:
            mail.enqueue_template(
                to=registration.email,
                subject=f"{subject} – {event.title}",
                template="organiser_message",
                context=mail_context(registration, message=body),
                kind="organiser_message",
                registration=registration,
            )
        audit_log(
            action="events.event.participants_messaged",
            actor=acting_user,
            obj=event,
            payload={"audience": audience, "subject": subject, "recipients": len(recipients)},
        )
    return len(recipients)


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Queue reminders for confirmed participants of events starting within the reminder time."""
    now = now or timezone.now()
    # The longest plausible reminder window bounds the query; the per-event rule decides.
    candidates = Event.objects.filter(
        starts_at__gt=now, starts_at__lte=now + timedelta(days=60), personal_data_purged_at=None
    )
    queued = 0
    for event in candidates:
        hours = event.effective_reminder_hours
        if hours <= 0 or event.starts_at - now > timedelta(hours=hours):
            continue
        with transaction.atomic():
            due = list(
                event.registrations.select_for_update().filter(
                    status=RegistrationStatus.CONFIRMED, reminder_sent_at__isnull=True
                )
            )
            for registration in due:
                mail.enqueue_template(
                    to=registration.email,
                    subject=gettext_lazy("Erinnerung: %(title)s"),
                    subject_params={"title": event.title},
                    template="reminder",
                    context=mail_context(registration),
                    kind="reminder",
                    registration=registration,
                )
                registration.reminder_sent_at = now
                registration.save(update_fields=["reminder_sent_at"])
            if due:
                audit_log(
                    action="events.event.reminders_sent",
                    obj=event,
                    payload={"recipients": len(due)},
                )
            queued += len(due)
    return queued


def event_send_followup(*, event: Event, acting_user: ActingUser | None = None) -> int:
    """Send the materials to confirmed participants after the event (once per person)."""
    if acting_user is not None:
        require_organiser(acting_user, event)
    now = timezone.now()
    materials = list(event.materials.all())
    if not materials:
        raise Unprocessable(
            _(
                "Für die Nachbereitung fehlen noch Materialien "
                "(Folien, Aufzeichnung, Dokumentation)."
            ),
            code="no_materials",
        )
    with transaction.atomic():
        due = list(
            event.registrations.select_for_update().filter(
                status=RegistrationStatus.CONFIRMED,
                followup_sent_at__isnull=True,
                anonymised_at__isnull=True,
            )
        )
        for registration in due:
            mail.enqueue_template(
                to=registration.email,
                subject=gettext_lazy("Materialien: %(title)s"),
                subject_params={"title": event.title},
                template="followup",
                context=mail_context(registration, materials=materials),
                kind="followup",
                registration=registration,
            )
            registration.followup_sent_at = now
            registration.save(update_fields=["followup_sent_at"])
        Event.objects.filter(pk=event.pk).update(followup_sent_at=now)
        audit_log(
            action="events.event.followup_sent",
            actor=acting_user,
            obj=event,
            payload={"recipients": len(due), "materials": len(materials)},
        )
    return len(due)


def followups_send_due(*, now: datetime | None = None) -> int:
    """Follow-ups for ended events that have materials and none sent yet."""
    now = now or timezone.now()
    events = Event.objects.filter(
        ends_at__lt=now,
        followup_sent_at__isnull=True,
        personal_data_purged_at__isnull=True,
        materials__isnull=False,
    ).distinct()
    return sum(event_send_followup(event=event) for event in events)
