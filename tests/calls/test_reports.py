"""Reports due: the daily job mails the applicant side N days before a report is due and once
when it is overdue — each reminder once, recorded — with a frozen clock (``timezone.now``
patched, as the participation tests do); the programme editors see due and overdue reports on
the funding page and mark them as received."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ortswandel.calls import services, tasks
from ortswandel.calls.models import (
    REPORT_REMINDER_DAYS,
    ApplicationStatus,
    Milestone,
    MilestoneReminder,
    ReminderKind,
)
from ortswandel.core.audit import AuditEntry
from ortswandel.core.models import QueuedMail
from tests.conftest import _municipal_staff

pytestmark = pytest.mark.django_db

BERLIN = dt.timezone(dt.timedelta(hours=1))  # winter time: the dates below are in March
DUE = dt.date(2027, 3, 20)


class Clock:
    def __init__(self, monkeypatch) -> None:
        self.monkeypatch = monkeypatch

    def day(self, day: dt.date) -> dt.date:
        """09:00 in Berlin on ``day`` (the job runs in the morning)."""
        moment = dt.datetime.combine(day, dt.time(9), tzinfo=BERLIN).astimezone(dt.UTC)
        self.monkeypatch.setattr(timezone, "now", lambda: moment)
        assert timezone.localdate() == day
        return day


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def selected(call, application, site_admin):
    services.decision_take(
        application=application, outcome="selected", reason="gut", acting_user=site_admin
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def report(selected, site_admin):
    return services.milestone_add(
        application=selected,
        kind="report",
        due_on=DUE,
        label="Zwischenbericht 2027",
        acting_user=site_admin,
    )


@pytest.fixture
def colleague(django_user_model, password, staff_municipality):
    return _municipal_staff(
        django_user_model, password, staff_municipality, "bauamt@stahnsdorf.example"
    )


def reminders(kind: str) -> list[QueuedMail]:
    return list(QueuedMail.objects.filter(kind=f"calls.report_{kind}").order_by("to"))


def test_once_before_the_due_date_and_once_after(clock, report, applicant, colleague):
    clock.day(DUE - dt.timedelta(days=REPORT_REMINDER_DAYS + 1))
    assert services.report_reminders_send_due() == 0
    clock.day(DUE - dt.timedelta(days=REPORT_REMINDER_DAYS))
    assert services.report_reminders_send_due() == 1
    mails = reminders(ReminderKind.DUE_SOON)
    assert [m.to for m in mails] == [colleague.email, applicant.email]  # the staff, once each
    mail = mails[0]
    assert mail.subject == "Bericht fällig am 20.03.2027: Zwischenbericht 2027"
    assert "„Zwischenbericht 2027“ zu Ihrem Vorhaben „Quartier der Generationen“" in mail.body
    assert "20. März 2027" in mail.body
    assert f"http://testserver/ausschreibungen/bewerbung/{report.application_id}/" in mail.body
    assert mail.language == "de"
    # the same day again, the following days and the due date itself: nothing new
    for day in (DUE - dt.timedelta(days=REPORT_REMINDER_DAYS), DUE - dt.timedelta(days=3), DUE):
        clock.day(day)
        assert services.report_reminders_send_due() == 0
    assert len(reminders(ReminderKind.DUE_SOON)) == 2
    assert reminders(ReminderKind.OVERDUE) == []
    # the day after: overdue, once
    clock.day(DUE + dt.timedelta(days=1))
    assert services.report_reminders_send_due() == 1
    overdue = reminders(ReminderKind.OVERDUE)
    assert len(overdue) == 2
    assert (
        overdue[0].subject == "Bericht überfällig: Zwischenbericht 2027 – Quartier der Generationen"
    )
    assert "war am 20. März 2027 fällig" in overdue[0].body
    for day in (DUE + dt.timedelta(days=1), DUE + dt.timedelta(days=30)):
        clock.day(day)
        assert services.report_reminders_send_due() == 0
    assert len(QueuedMail.objects.filter(kind__startswith="calls.report_")) == 4
    recorded = MilestoneReminder.objects.filter(milestone=report)
    assert sorted((r.kind, r.recipients) for r in recorded) == [("due_soon", 2), ("overdue", 2)]
    assert AuditEntry.objects.filter(action="calls.milestone.reminded").count() == 2


def test_first_seen_after_the_due_date_only_the_overdue_reminder(clock, report, applicant):
    clock.day(DUE + dt.timedelta(days=2))
    assert services.report_reminders_send_due() == 1
    assert reminders(ReminderKind.DUE_SOON) == []
    assert [m.to for m in reminders(ReminderKind.OVERDUE)] == [applicant.email]


def test_english_text(clock, report, applicant):
    clock.day(DUE - dt.timedelta(days=5))
    services.report_reminders_send_due(language="en")
    (mail,) = reminders(ReminderKind.DUE_SOON)
    assert mail.language == "en"
    assert mail.subject == "Report due on 2027-03-20: Zwischenbericht 2027"
    assert "is due on March 20, 2027" in mail.body and "Guten Tag" not in mail.body
    clock.day(DUE + dt.timedelta(days=1))
    services.report_reminders_send_due(language="en")
    (late,) = reminders(ReminderKind.OVERDUE)
    assert late.subject.startswith("Report overdue: Zwischenbericht 2027")
    assert "was due on March 20, 2027" in late.body


def test_no_reminder_for_received_reports_payments_or_withdrawn_applications(
    clock, report, selected, applicant, site_admin
):
    services.milestone_add(
        application=selected,
        kind="payment",
        due_on=DUE,
        label="Erste Rate",
        amount="10000",
        acting_user=site_admin,
    )
    services.milestone_done(milestone=report, acting_user=site_admin, done_on=DUE)
    clock.day(DUE + dt.timedelta(days=3))
    assert services.report_reminders_send_due() == 0
    Milestone.objects.filter(pk=report.pk).update(done_on=None)
    services.application_withdraw(application=selected, acting_user=applicant)
    assert selected.__class__.objects.get(pk=selected.pk).status == ApplicationStatus.WITHDRAWN
    assert services.report_reminders_send_due() == 0
    assert QueuedMail.objects.filter(kind__startswith="calls.report_").count() == 0


def test_the_daily_job_runs_the_service(clock, report, applicant):
    clock.day(DUE - dt.timedelta(days=1))
    assert tasks.send_report_reminders() == "reminders=1"
    assert tasks.send_report_reminders() == "reminders=0"


def test_funding_page_shows_due_and_overdue_reports(  # noqa: PLR0917
    client, clock, report, selected, site_admin, programme_editor
):
    later = services.milestone_add(
        application=selected,
        kind="report",
        due_on=DUE + dt.timedelta(days=60),
        label="Schlussbericht",
        acting_user=site_admin,
    )
    clock.day(DUE + dt.timedelta(days=2))
    services.report_reminders_send_due()
    client.force_login(programme_editor)
    url = reverse("calls:funding", args=[selected.call.slug])
    page = client.get(url).content.decode()
    section = page[page.index('id="berichte-h"') : page.index("Ausgewählte Bewerbungen")]
    assert "Zwischenbericht 2027" in section and "überfällig seit 2 Tagen" in section
    assert "nach der Frist verschickt" in section
    assert "Schlussbericht" not in section  # due in 58 days: not yet listed
    clock.day(later.due_on - dt.timedelta(days=1))
    client.force_login(programme_editor)  # the session of 58 days ago has expired
    page = client.get(url).content.decode()
    assert "fällig in 1 Tag<" in page
    response = client.post(
        url,
        {"action": "done", "application": selected.pk, "milestone": report.pk},
        follow=True,
    )
    assert "ist als erledigt vermerkt" in response.content.decode()
    report.refresh_from_db()
    assert report.done_on == later.due_on - dt.timedelta(days=1)
    section = client.get(url).content.decode()
    section = section[section.index('id="berichte-h"') : section.index("Ausgewählte Bewerbungen")]
    assert "Zwischenbericht 2027" not in section and "Schlussbericht" in section
    # marking it again is refused with a message, not an error page
    again = client.post(
        url, {"action": "done", "application": selected.pk, "milestone": report.pk}, follow=True
    )
    assert again.status_code == 200 and "bereits erledigt" in again.content.decode()
