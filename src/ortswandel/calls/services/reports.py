"""Reports due (Verwendungsnachweise, Sachberichte): reminders to the applicants and marking a
report as received.

:func:`report_reminders_send_due` runs daily (``calls.send_report_reminders`` in
``calls/tasks.py``). For every open report milestone of a selected application it mails the
applicant side — the staff of the applying municipality with a current grant, and the person who
applied — once :data:`REPORT_REMINDER_DAYS` days before the report is due and once when it is
overdue. Each reminder is recorded (:class:`~ortswandel.calls.models.MilestoneReminder`, unique per
milestone and kind) in the transaction that queues its mails, so a second run, a retried job or
two workers at once never send it twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ortswandel.accounts.models import MunicipalityStaffGrant
from ortswandel.calls.models import (
    REPORT_REMINDER_DAYS,
    Application,
    ApplicationStatus,
    Milestone,
    MilestoneKind,
    MilestoneReminder,
    ReminderKind,
)
from ortswandel.calls.predicates import may
from ortswandel.core import notifications, site
from ortswandel.core.audit import audit_log
from ortswandel.core.errors import Conflict, PermissionDenied
from ortswandel.core.typing import ActingUser


def reminder_kind(due_on: dt.date, today: dt.date, days_before: int) -> str | None:
    """``overdue`` after the due date, ``due_soon`` from ``days_before`` days before it."""
    if due_on < today:
        return ReminderKind.OVERDUE
    if (due_on - today).days <= days_before:
        return ReminderKind.DUE_SOON
    return None


def report_recipients(application: Application) -> list[str]:
    """E-mail addresses of the applicant side: active staff of the applying municipality with a
    current grant, and the person who applied (if still active); each once."""
    staff = get_user_model().objects.filter(
        is_active=True,
        pk__in=MunicipalityStaffGrant.objects.current()
        .filter(municipality_id=application.municipality_id)
        .values("user_id"),
    )
    emails = [u.email for u in staff.order_by("pk")]
    if application.applicant.is_active:
        emails.insert(0, application.applicant.email)
    seen: set[str] = set()
    unique = []
    for email in emails:
        key = (email or "").strip().lower()
        if key and key not in seen:
            seen.add(key)
            unique.append(email.strip())
    return unique


def report_reminders_send_due(
    *,
    today: dt.date | None = None,
    days_before: int = REPORT_REMINDER_DAYS,
    language: str | None = None,
) -> int:
    """Queue the reminders that are due today; returns the number of reminders recorded.
    ``language``: of the mails; by default the application's (where it records one), else the
    site's default language."""
    today = today or timezone.localdate()
    candidates = Milestone.objects.filter(
        kind=MilestoneKind.REPORT,
        done_on__isnull=True,
        application__status=ApplicationStatus.SELECTED,
        due_on__lte=today + dt.timedelta(days=days_before),
    ).order_by("due_on", "pk")
    sent = 0
    for candidate in candidates.values_list("pk", "due_on"):
        kind = reminder_kind(candidate[1], today, days_before)
        if kind is not None and _remind(candidate[0], kind, today, language):
            sent += 1
    return sent


def _remind(milestone_id: int, kind: str, today: dt.date, language: str | None) -> bool:
    with transaction.atomic():
        milestone = (
            Milestone.objects.select_for_update()
            .select_related("application__call", "application__applicant")
            .filter(pk=milestone_id, done_on__isnull=True)
            .first()
        )
        if milestone is None or milestone.reminders.filter(kind=kind).exists():
            return False
        application = milestone.application
        # the applicant's language where the application records it (``Application.language``)
        language = language or getattr(application, "language", "") or settings.LANGUAGE_CODE
        recipients = report_recipients(application)
        if not recipients:
            return False  # nobody to tell yet: tried again tomorrow
        context: dict[str, Any] = {
            "milestone": milestone,
            "application": application,
            "call": application.call,
            "overdue": kind == ReminderKind.OVERDUE,
            "days": abs((milestone.due_on - today).days),
            "link": site.absolute_url(application.get_absolute_url()),
        }
        for email in recipients:
            notifications.mail_queue_template(
                to=email,
                template="calls/mail/report_reminder.txt",
                subject_template="calls/mail/report_reminder_subject.txt",
                context=context,
                kind=f"calls.report_{kind}",
                language=language,
                regarding=application,
            )
        MilestoneReminder.objects.create(milestone=milestone, kind=kind, recipients=len(recipients))
        audit_log(
            action="calls.milestone.reminded",
            actor=None,
            obj=application,
            payload={
                "milestone": milestone.pk,
                "kind": kind,
                "due_on": milestone.due_on.isoformat(),
                "recipients": len(recipients),
            },
        )
    return True


def milestone_done(
    *, milestone: Milestone, acting_user: ActingUser | None, done_on: dt.date | None = None
) -> Milestone:
    """Mark a payment as made or a report as received (no more reminders for it)."""
    if acting_user is not None and not may(
        acting_user, "calls.manage_call", milestone.application.call
    ):
        raise PermissionDenied()
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if locked.done_on is not None:
            raise Conflict(_("Dieser Meilenstein ist bereits erledigt."), code="milestone_done")
        locked.done_on = done_on or timezone.localdate()
        locked.save(update_fields=["done_on"])
        audit_log(
            action="calls.milestone.done",
            actor=acting_user,
            obj=locked.application,
            payload={"milestone": locked.pk, "done_on": locked.done_on.isoformat()},
        )
    return locked
