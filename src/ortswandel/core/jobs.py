"""Background jobs and schedules: one small API over django-q2 for every app.

Enqueue work that must not run in a request (mail delivery, projection runs, PDF reports)::

    from ortswandel.core import jobs

    jobs.enqueue_on_commit("ortswandel.reports.tasks.render_report", report.pk)

The job runs in the worker (``manage.py run_worker``) only if the caller's transaction commits.
With the database broker (the default) the queue row is written inside that transaction, so a
job can neither run for a change that was rolled back nor be lost after a commit; with Redis the
job is pushed right after the commit. Jobs receive plain arguments (ids, strings) and must be
idempotent: a worker that dies mid-job hands the job to another worker after the timeout.

Periodic jobs are declared in code, next to the function, in each app's ``tasks.py``::

    @jobs.periodic(name="events.send_event_reminders", hourly_at=7)
    def send_event_reminders() -> str: ...

The registry is synced to django-q's ``Schedule`` table (:func:`schedules_sync`) after every
``migrate`` and whenever a worker starts: idempotent, keeps the next run of unchanged schedules,
and removes schedules of jobs that no longer exist. Operators see schedules, queued, successful
and failed tasks in the admin (site admins only).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

SCHEDULE_PREFIX = "ortswandel:"
_SYNC_LOCK_KEY = 0x0F75_0001  # PostgreSQL advisory lock: one schedule sync at a time


@dataclass(frozen=True)
class PeriodicJob:
    """A job run by the scheduler: every ``every_minutes``, hourly at minute ``hourly_at`` or
    daily at ``daily_at`` (local time, ``TIME_ZONE``). Exactly one of the three is set."""

    name: str
    func: str
    every_minutes: int | None = None
    hourly_at: int | None = None
    daily_at: dt.time | None = None

    def __post_init__(self) -> None:
        given = [v for v in (self.every_minutes, self.hourly_at, self.daily_at) if v is not None]
        if len(given) != 1:
            raise ValueError(
                f"periodic job {self.name!r}: give exactly one of every_minutes, hourly_at, "
                f"daily_at; got {len(given)}"
            )
        if self.every_minutes is not None and self.every_minutes < 1:
            raise ValueError(f"periodic job {self.name!r}: every_minutes must be ≥ 1")
        if self.hourly_at is not None and not 0 <= self.hourly_at < 60:
            raise ValueError(f"periodic job {self.name!r}: hourly_at must be a minute 0–59")

    @property
    def schedule_name(self) -> str:
        return f"{SCHEDULE_PREFIX}{self.name}"

    def first_run(self, now: dt.datetime) -> dt.datetime:
        """The next time, from ``now`` on, this job is due (aware, UTC-comparable)."""
        if self.every_minutes is not None:
            return now
        local = timezone.localtime(now)
        if self.hourly_at is not None:
            candidate = local.replace(minute=self.hourly_at, second=0, microsecond=0)
            return candidate if candidate >= local else candidate + dt.timedelta(hours=1)
        assert self.daily_at is not None  # noqa: S101 (checked in __post_init__)
        tz = timezone.get_current_timezone()
        day = local.date()
        candidate = dt.datetime.combine(day, self.daily_at, tzinfo=tz)
        if candidate < local:
            candidate = dt.datetime.combine(day + dt.timedelta(days=1), self.daily_at, tzinfo=tz)
        return candidate


_REGISTRY: dict[str, PeriodicJob] = {}


def register(job: PeriodicJob) -> PeriodicJob:
    """Add ``job`` to the registry (idempotent for the same definition)."""
    known = _REGISTRY.get(job.name)
    if known is not None and known != job:
        raise ValueError(f"periodic job {job.name!r} is declared twice, differently")
    _REGISTRY[job.name] = job
    return job


def periodic(
    *,
    name: str,
    every_minutes: int | None = None,
    hourly_at: int | None = None,
    daily_at: str | dt.time | None = None,
) -> Callable[[F], F]:
    """Decorator: run the decorated module-level function on a schedule (see module doc)."""
    at = dt.time.fromisoformat(daily_at) if isinstance(daily_at, str) else daily_at

    def decorate(func: F) -> F:
        register(
            PeriodicJob(
                name=name,
                func=f"{func.__module__}.{func.__qualname__}",
                every_minutes=every_minutes,
                hourly_at=hourly_at,
                daily_at=at,
            )
        )
        return func

    return decorate


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_REGISTRY.values(), key=lambda job: job.name)


# --- enqueueing --------------------------------------------------------------------------------
def _dotted(func: str | Callable[..., Any]) -> str:
    return func if isinstance(func, str) else f"{func.__module__}.{func.__qualname__}"


def run_inline() -> bool:
    """Whether jobs run in the calling process, not the worker (``ORTSWANDEL_JOBS_SYNC``: tests)."""
    return bool(getattr(settings, "ORTSWANDEL_JOBS_SYNC", False))


def enqueue(func: str | Callable[..., Any], *args: Any, group: str | None = None) -> str:
    """Queue ``func(*args)`` for the worker now and return the task id.

    Prefer :func:`enqueue_on_commit` inside services. ``func`` is a dotted path or a
    module-level function; arguments must be picklable plain values.
    """
    from django_q.tasks import async_task

    options: dict[str, Any] = {"sync": run_inline()}
    if group:
        options["group"] = group
    return str(async_task(_dotted(func), *args, q_options=options))


def _database_broker() -> bool:
    orm = getattr(settings, "Q_CLUSTER", {}).get("orm")
    return bool(orm) and orm == connection.alias


def enqueue_on_commit(func: str | Callable[..., Any], *args: Any, group: str | None = None) -> None:
    """Queue ``func(*args)`` so that it runs only if the current transaction commits."""
    if run_inline():
        transaction.on_commit(lambda: enqueue(func, *args, group=group))
    elif _database_broker():
        # The queue row is part of the caller's transaction: committed or rolled back with it.
        enqueue(func, *args, group=group)
    else:
        transaction.on_commit(lambda: _enqueue_logged(func, args, group), robust=True)


def _enqueue_logged(
    func: str | Callable[..., Any], args: tuple[Any, ...], group: str | None
) -> None:
    try:
        enqueue(func, *args, group=group)
    except Exception:  # broker down: the periodic sweeps pick the work up later
        logger.exception("could not enqueue %s%r", _dotted(func), args)


# --- schedules ---------------------------------------------------------------------------------
@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0


def _wanted(job: PeriodicJob) -> dict[str, Any]:
    from django_q.models import Schedule

    if job.every_minutes is not None:
        kind, minutes = Schedule.MINUTES, job.every_minutes
    elif job.hourly_at is not None:
        kind, minutes = Schedule.HOURLY, None
    else:
        kind, minutes = Schedule.DAILY, None
    return {
        "func": job.func,
        "schedule_type": kind,
        "minutes": minutes,
        "args": None,
        "kwargs": None,
        "cluster": None,
        "hook": None,
    }


def _same_timing(schedule: Any, job: PeriodicJob) -> bool:
    """An unchanged schedule keeps its next run; a moved one (e.g. 03:30 → 04:00) is re-timed."""
    if job.every_minutes is not None:
        return True
    local = timezone.localtime(schedule.next_run)
    if job.hourly_at is not None:
        return local.minute == job.hourly_at
    assert job.daily_at is not None  # noqa: S101
    return (local.hour, local.minute) == (job.daily_at.hour, job.daily_at.minute)


def schedules_sync(*, using: str = "default") -> SyncResult:
    """Make django-q's schedules match the registry; safe to run by several workers at once."""
    from django_q.models import Schedule

    result = SyncResult()
    now = timezone.now()
    with transaction.atomic(using=using):
        if connections[using].vendor == "postgresql":
            with connections[using].cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SYNC_LOCK_KEY])
        # (SQLite: the settings begin every transaction IMMEDIATE, which serialises writers.)
        ours = Schedule.objects.using(using).filter(name__startswith=SCHEDULE_PREFIX)
        existing: dict[str, Any] = {}
        for schedule in ours.order_by("id"):
            if schedule.name in existing:  # a duplicate from an older, unlocked sync
                schedule.delete()
                result.deleted += 1
            else:
                existing[schedule.name] = schedule
        wanted_names = set()
        for job in periodic_jobs():
            wanted_names.add(job.schedule_name)
            fields = _wanted(job)
            schedule = existing.get(job.schedule_name)
            if schedule is None:
                Schedule.objects.using(using).create(
                    name=job.schedule_name, repeats=-1, next_run=job.first_run(now), **fields
                )
                result.created += 1
                continue
            changed = any(getattr(schedule, key) != value for key, value in fields.items())
            if not changed and _same_timing(schedule, job):
                result.unchanged += 1
                continue
            for key, value in fields.items():
                setattr(schedule, key, value)
            schedule.next_run = job.first_run(now)
            schedule.save(using=using)
            result.updated += 1
        for name, schedule in existing.items():
            if name not in wanted_names:
                schedule.delete()
                result.deleted += 1
    return result


def schedules_sync_after_migrate(*, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate`` receiver: sync once the schedule table exists."""
    from django_q.models import Schedule

    if Schedule._meta.db_table not in connections[using].introspection.table_names():
        return
    schedules_sync(using=using)


# --- health ------------------------------------------------------------------------------------
HEARTBEAT_JOB = "core.send_queued_mail"  # due every minute: overdue means no worker runs
HEARTBEAT_GRACE_SECONDS = 180


def worker_health() -> Any:
    """``/healthz`` entry ``jobs``: down when no worker has run the every-minute schedule for
    a few minutes (non-critical: pages work, mail waits). Reads one row; never talks to SMTP."""
    from django_q.models import Schedule

    from . import health

    if run_inline():
        return health.Result(health.OK, extra={"inline": True})
    next_run = (
        Schedule.objects.filter(name=SCHEDULE_PREFIX + HEARTBEAT_JOB)
        .values_list("next_run", flat=True)
        .first()
    )
    if next_run is None:
        return health.Result(health.DOWN, "schedules missing: run migrate or start a worker")
    overdue = (timezone.now() - next_run).total_seconds()
    if overdue > HEARTBEAT_GRACE_SECONDS:
        return health.Result(
            health.DOWN, f"no worker: the every-minute schedule is {int(overdue // 60)} min overdue"
        )
    return health.Result(health.OK)
