"""Data protection (DSGVO): retention, export and erasure of participants' personal data.

N days after an event ended (``Event.retention_days`` or ``ORTSWANDEL_EVENTS_RETENTION_DAYS``,
default 90) the registrations are anonymised in place: name, email, organisation, free-text
answers, the user link and the access key (which revokes every link ever mailed) are removed;
status, attendance, Land and organisation type stay, so statistics survive as counts. Queued mails
of those registrations are deleted, and audit entries keep the action but lose the name.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ortswandel.core.audit import audit_log
from ortswandel.core.models import AuditEntry
from ortswandel.core.notifications import mail_delete_regarding
from ortswandel.core.typing import ActingUser
from ortswandel.events.models import Event, Registration, _new_key

ANONYMOUS_EMAIL = ""
ANONYMISED_REPR = "Anmeldung (anonymisiert)"


def _anonymise(queryset: Any, now: datetime) -> int:
    ids = list(queryset.filter(anonymised_at__isnull=True).values_list("id", flat=True))
    if not ids:
        return 0
    mail_delete_regarding(object_type=Registration._meta.label_lower, object_ids=ids)
    # Audit entries name the registration by ``str(registration)`` ("<name> – <event>"); the
    # entries stay (who changed what, when), the name goes.
    AuditEntry.objects.filter(
        object_type=Registration._meta.label_lower, object_id__in=[str(pk) for pk in ids]
    ).update(object_repr=ANONYMISED_REPR)
    # One key per row so that no two anonymised rows share a (guessable) key.
    for pk in ids:
        Registration.objects.filter(pk=pk).update(
            name="",
            email=ANONYMOUS_EMAIL,
            organisation="",
            answers={},
            user=None,
            access_key=_new_key(),
            client_key="",
            anonymised_at=now,
        )
    return len(ids)


def event_purge_personal_data(*, event: Event, acting_user: ActingUser | None = None) -> int:
    """Anonymise all registrations of ``event`` now; returns the number anonymised."""
    now = timezone.now()
    with transaction.atomic():
        count = _anonymise(Registration.objects.filter(event=event), now)
        Event.objects.filter(pk=event.pk).update(personal_data_purged_at=now)
        audit_log(
            action="events.event.personal_data_purged",
            actor=acting_user,
            obj=event,
            payload={"anonymised": count, "retention_days": event.effective_retention_days},
        )
    return count


def events_due_for_purge(*, now: datetime | None = None) -> list[Event]:
    now = now or timezone.now()
    candidates = Event.objects.filter(personal_data_purged_at__isnull=True, ends_at__lt=now)
    return [
        event
        for event in candidates
        if event.ends_at + timedelta(days=event.effective_retention_days) <= now
    ]


def purge_due(*, now: datetime | None = None) -> dict[str, int]:
    """Anonymise every event past its retention period (``manage.py purge_event_personal_data``)."""
    result = {"events": 0, "registrations": 0}
    for event in events_due_for_purge(now=now):
        result["registrations"] += event_purge_personal_data(event=event)
        result["events"] += 1
    return result


def _person_filter(user: Any) -> Q:
    """Registrations made while signed in as ``user``.

    Deliberately not "every registration with the account's email address": sign-up does not
    verify the address, so anyone could claim a stranger's address and export or erase that
    person's registrations. Registrations made without an account are exported and erased
    through the personal link in their mails (which proves access to the mailbox).
    """
    return Q(user=user, anonymised_at__isnull=True)


def registration_export(*, registration: Registration) -> list[dict[str, Any]]:
    """Everything stored about the person of ``registration`` (same email), JSON-ready."""
    rows = Registration.objects.filter(
        email__iexact=registration.email, anonymised_at__isnull=True
    ).select_related("event")
    return [_export_row(row) for row in rows]


def _export_row(row: Registration) -> dict[str, Any]:
    return {
        "event": row.event.title,
        "event_start": row.event.starts_at.isoformat(),
        "status": row.status,
        "name": row.name,
        "email": row.email,
        "organisation": row.organisation,
        "organisation_kind": row.organisation_kind,
        "land_code": row.land_code,
        "answers": row.answers,
        "consent_text": row.consent_text,
        "consented_at": row.consented_at.isoformat(),
        "created_at": row.created_at.isoformat(),
        "confirmed_at": row.confirmed_at.isoformat() if row.confirmed_at else None,
        "cancelled_at": row.cancelled_at.isoformat() if row.cancelled_at else None,
        "attended": row.attended,
    }


def personal_data_export(*, user: Any) -> list[dict[str, Any]]:
    rows = Registration.objects.filter(_person_filter(user)).select_related("event")
    return [_export_row(row) for row in rows]


def _erase(queryset: Any, *, reason: str) -> int:
    """Cancel active registrations (freeing seats for the waitlist), then anonymise them."""
    from .registration import registration_cancel

    now = timezone.now()
    for registration in list(queryset.filter(status__in=["pending", "confirmed", "waitlisted"])):
        registration_cancel(registration=registration)
    with transaction.atomic():
        count = _anonymise(queryset, now)
        audit_log(
            action="events.registration.personal_data_erased",
            payload={"count": count, "reason": reason},
        )
    return count


def personal_data_erase(*, user: Any) -> int:
    return _erase(Registration.objects.filter(_person_filter(user)), reason="account_deleted")


def registration_erase_person(*, registration: Registration) -> int:
    """Erase everything about the person behind a personal link (all events, same email)."""
    return _erase(
        Registration.objects.filter(email__iexact=registration.email, anonymised_at__isnull=True),
        reason="person_request",
    )
