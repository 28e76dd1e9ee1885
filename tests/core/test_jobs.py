"""core.jobs: the registry of periodic jobs, its idempotent sync to django-q's schedules, the
scheduler turning due schedules into tasks, enqueueing on commit, and the broker settings."""

from __future__ import annotations

import datetime as dt
import os
import pydoc
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone
from django_q.models import OrmQ, Schedule
from django_q.scheduler import scheduler

from ortswandel.core import jobs

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BERLIN = ZoneInfo("Europe/Berlin")

# The five periodic duties of issue 7 (and the mail queue's own housekeeping).
EXPECTED = {
    "core.send_queued_mail": ("every", 1),  # mail retries
    "core.purge_sent_mail": ("daily", dt.time(3, 15)),
    "events.release_unconfirmed_registrations": ("every", 10),  # release of unconfirmed seats
    "events.send_event_reminders": ("hourly", 7),  # reminders (and follow-ups)
    "events.purge_event_personal_data": ("daily", dt.time(3, 30)),  # purge of personal data
    "accounts.delete_unverified_accounts": ("daily", dt.time(3, 45)),  # unverified accounts
    "newsletter.send_digests": ("daily", dt.time(7, 0)),  # digests with something new
    "newsletter.purge_subscriptions": ("daily", dt.time(3, 40)),  # unconfirmed/unsubscribed
    "planning.refresh_outlook": ("daily", dt.time(4, 10)),  # all-Germany outlook when data changed
    "participation.announce_phases": ("every", 15),  # mails to followers when a phase starts
    "catalogue.publish_scheduled": ("every", 5),  # scheduled publishing (issue 9)
    "events.publish_scheduled": ("every", 5),  # scheduled publishing of events (issue 9)
    "calls.send_report_reminders": ("daily", dt.time(7, 20)),  # reports due/overdue (issue 10)
}


def ours():
    return Schedule.objects.filter(name__startswith=jobs.SCHEDULE_PREFIX)


def test_every_periodic_duty_is_declared_and_was_synced_by_migrate():
    declared = {job.name: job for job in jobs.periodic_jobs()}
    assert set(declared) == set(EXPECTED)
    for name, (kind, value) in EXPECTED.items():
        job = declared[name]
        got = {"every": job.every_minutes, "hourly": job.hourly_at, "daily": job.daily_at}[kind]
        assert got == value, name
        assert callable(pydoc.locate(job.func)), job.func
    # post_migrate synced the registry into the (test) database.
    assert {s.name for s in ours()} == {jobs.SCHEDULE_PREFIX + name for name in EXPECTED}
    assert all(s.repeats == -1 and s.cluster is None for s in ours())


def test_sync_is_idempotent_keeps_next_runs_and_follows_the_code(monkeypatch):
    assert jobs.schedules_sync() == jobs.SyncResult(unchanged=len(EXPECTED))
    reminders = ours().get(name__endswith="events.send_event_reminders")
    later = reminders.next_run + dt.timedelta(hours=5)  # as the scheduler advances it
    Schedule.objects.filter(pk=reminders.pk).update(next_run=later)
    foreign = Schedule.objects.create(name="Betreiber: Bericht", func="math.floor", args="1.5")
    Schedule.objects.create(  # a duplicate left by an older sync
        name=reminders.name, func=reminders.func, schedule_type=Schedule.HOURLY
    )
    Schedule.objects.create(name=f"{jobs.SCHEDULE_PREFIX}gone.job", func="math.floor")

    registry = dict(jobs._REGISTRY)
    registry["events.release_unconfirmed_registrations"] = jobs.PeriodicJob(
        name="events.release_unconfirmed_registrations",
        func="ortswandel.events.tasks.release_unconfirmed_registrations",
        every_minutes=5,  # was 10
    )
    registry["core.new_job"] = jobs.PeriodicJob(
        name="core.new_job", func="ortswandel.core.tasks.purge_sent_mail", daily_at=dt.time(4)
    )
    monkeypatch.setattr(jobs, "_REGISTRY", registry)
    result = jobs.schedules_sync()
    assert result == jobs.SyncResult(created=1, updated=1, deleted=2, unchanged=len(EXPECTED) - 1)
    assert ours().get(name__endswith="events.send_event_reminders").next_run == later
    assert ours().get(name__endswith="release_unconfirmed_registrations").minutes == 5
    assert not ours().filter(name__endswith="gone.job").exists()
    assert Schedule.objects.filter(pk=foreign.pk).exists()  # not ours: never touched
    assert jobs.schedules_sync() == jobs.SyncResult(unchanged=len(EXPECTED) + 1)


def test_a_paused_schedule_stays_paused():
    ours().filter(name__endswith="core.purge_sent_mail").update(repeats=0)
    assert jobs.schedules_sync().unchanged == len(EXPECTED)
    assert ours().get(name__endswith="core.purge_sent_mail").repeats == 0


def test_first_runs_are_in_local_time():
    now = dt.datetime(2026, 3, 28, 23, 50, tzinfo=dt.UTC)  # 00:50 in Berlin, the DST night
    daily = jobs.PeriodicJob(name="x", func="m.f", daily_at=dt.time(3, 30))
    assert daily.first_run(now) == dt.datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN)
    hourly = jobs.PeriodicJob(name="y", func="m.f", hourly_at=7)
    assert hourly.first_run(now).astimezone(BERLIN).strftime("%H:%M") == "01:07"
    assert jobs.PeriodicJob(name="z", func="m.f", every_minutes=3).first_run(now) == now


@pytest.mark.parametrize(
    "fields",
    [{}, {"every_minutes": 1, "hourly_at": 3}, {"every_minutes": 0}, {"hourly_at": 60}],
)
def test_invalid_periodic_jobs_are_refused(fields):
    with pytest.raises(ValueError, match="periodic job"):
        jobs.PeriodicJob(name="x", func="m.f", **fields)


def test_declaring_the_same_job_differently_is_refused():
    with pytest.raises(ValueError, match="declared twice"):
        jobs.register(jobs.PeriodicJob(name="core.send_queued_mail", func="m.f", every_minutes=2))


@pytest.mark.django_db(transaction=True)  # the scheduler closes stale connections, as a worker
def test_the_scheduler_turns_due_schedules_into_queued_tasks(settings):
    settings.ORTSWANDEL_JOBS_SYNC = False
    ours().update(next_run=timezone.now() + dt.timedelta(hours=1))
    due = ours().get(name__endswith="core.send_queued_mail")
    Schedule.objects.filter(pk=due.pk).update(next_run=timezone.now() - dt.timedelta(minutes=30))
    scheduler()
    (task,) = OrmQ.objects.all()
    assert task.func() == "ortswandel.core.tasks.send_queued_mail"
    due.refresh_from_db()
    assert due.next_run > timezone.now()  # no catch-up: one run, then the next slot
    scheduler()
    assert OrmQ.objects.count() == 1  # not due again yet


def test_enqueue_on_commit_only_after_commit(settings, django_capture_on_commit_callbacks):
    settings.ORTSWANDEL_JOBS_SYNC = False
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "orm": None}  # as with Redis: after the commit
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            jobs.enqueue_on_commit("ortswandel.core.tasks.send_queued_mail")
        assert OrmQ.objects.count() == 0
    assert len(callbacks) == 1
    callbacks[0]()
    assert OrmQ.objects.count() == 1


def test_periodic_jobs_run_their_services(event):
    from ortswandel.accounts.tasks import delete_unverified_accounts
    from ortswandel.core.tasks import purge_sent_mail, send_queued_mail
    from ortswandel.events import tasks as event_tasks

    assert send_queued_mail() == "sent=0 failed=0 skipped=0"
    assert purge_sent_mail() == "deleted=0"
    assert event_tasks.release_unconfirmed_registrations() == "released=0"
    assert event_tasks.send_event_reminders() == "reminders=0 followups=0"
    assert event_tasks.purge_event_personal_data() == "events=0 registrations=0"
    assert delete_unverified_accounts() == "deleted=0"


def test_the_broker_comes_from_the_environment():
    """Database broker by default; ORTSWANDEL_JOBS_REDIS_URL switches to Redis (a fresh
    interpreter: django-q reads its configuration once)."""
    code = (
        "import django; django.setup(); from django_q.brokers import get_broker; "
        "from django_q.conf import Conf; b = get_broker(); "
        "print(type(b).__name__, Conf.WORKERS, Conf.TIMEOUT, Conf.RETRY)"
    )

    def broker(**env: str) -> list[str]:
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "ortswandel.config.settings",
                "DATABASE_URL": "",  # the database broker opens a connection: the SQLite file
                **env,
            },
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout.split()

    assert broker(ORTSWANDEL_JOBS_REDIS_URL="") == ["ORM", "2", "600", "660"]
    assert broker(
        ORTSWANDEL_JOBS_REDIS_URL="redis://127.0.0.1:6379/7",
        ORTSWANDEL_JOBS_WORKERS="4",
        ORTSWANDEL_JOBS_TIMEOUT="900",
    ) == ["Redis", "4", "900", "960"]


def test_healthz_reports_a_missing_worker_without_touching_smtp(client, settings):
    settings.ORTSWANDEL_JOBS_SYNC = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # would fail if used
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard port: nobody answers
    heartbeat = ours().filter(name__endswith=jobs.HEARTBEAT_JOB)
    heartbeat.update(next_run=timezone.now() + dt.timedelta(seconds=30))  # a worker ran it
    body = client.get("/healthz").json()
    assert body["checks"]["jobs"] == {"status": "ok"}
    heartbeat.update(next_run=timezone.now() - dt.timedelta(minutes=10))  # nobody since
    response = client.get("/healthz")
    assert response.status_code == 200  # not critical: pages still work, mail waits
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["jobs"]["status"] == "down"
    assert "10 min overdue" in body["checks"]["jobs"]["detail"]
    heartbeat.delete()
    assert "migrate" in client.get("/healthz").json()["checks"]["jobs"]["detail"]
