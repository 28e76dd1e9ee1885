"""The real worker: ``manage.py run_worker`` (a django-q2 cluster) and the demo runner
(``scripts/run_demo_server.py``, what ``make demo`` starts) in subprocesses against this test
run's database (a SQLite file or PostgreSQL), bounded in time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_q.models import OrmQ, Schedule, Success

from ortswandel.core import jobs, notifications
from ortswandel.core.models import QueuedMail

from .smtp_servers import closed_port

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 90  # seconds; the worker needs ~2 s to start and picks up work within a second

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{db['NAME']}"


def worker_env(mail_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        ORTSWANDEL_JOBS_SYNC="false",
        ORTSWANDEL_JOBS_WORKERS="1",
        ORTSWANDEL_JOBS_POLL_MS="200",
        DB_CONN_MAX_AGE="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def wait_for(
    condition: Callable[[], Any], what: str, process: subprocess.Popen, interval: float = 0.2
) -> Any:
    """Poll ``condition`` until it is truthy; fail at the deadline or if ``process`` died."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        assert process.poll() is None, f"process exited ({process.returncode}) before: {what}"
        time.sleep(interval)  # polling interval of a bounded wait, not a timing assumption
    pytest.fail(f"not within {DEADLINE} s: {what}")


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> int:
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail("process did not stop within 60 s of SIGTERM")


def test_worker_sends_queued_mail_and_runs_due_schedules(settings, tmp_path):
    settings.ORTSWANDEL_JOBS_SYNC = False  # this process only queues
    by_job = notifications.mail_queue(to="job@example.org", subject="Per Auftrag", body="a")
    assert OrmQ.objects.count() == 1  # its delivery job, waiting for a worker
    # A mail whose job was lost (e.g. a Redis outage): the every-minute sweep sends it.
    by_sweep = notifications.mail_queue(to="sweep@example.org", subject="Per Zeitplan", body="b")
    OrmQ.objects.exclude(pk=OrmQ.objects.order_by("id").first().pk).delete()
    sweep = Schedule.objects.get(name=f"{jobs.SCHEDULE_PREFIX}core.send_queued_mail")
    Schedule.objects.filter(pk=sweep.pk).update(next_run=timezone.now() - timedelta(minutes=5))

    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--max-seconds", str(DEADLINE + 30)],
        cwd=ROOT,
        env=worker_env(tmp_path / "mail"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(
            lambda: QueuedMail.objects.filter(sent_at__isnull=False).count() == 2,
            "both mails sent",
            worker,
        )
        wait_for(
            lambda: (
                Success.objects.filter(func="ortswandel.core.tasks.send_queued_mail").exists()
                and Success.objects.filter(func=notifications.DELIVER_JOB).exists()
            ),
            "task results saved",
            worker,
        )
    finally:
        code = stop(worker)
    log.seek(0)
    output = log.read()
    assert code == 0, output
    assert "worker running" in output and "worker stopped" in output, output
    files = "".join(path.read_text() for path in (tmp_path / "mail").iterdir())
    assert files.count("Subject: Per Auftrag") == 1 and files.count("Subject: Per Zeitplan") == 1
    delivered = Success.objects.get(func=notifications.DELIVER_JOB)
    assert delivered.args == (by_job.pk,) and delivered.result == "sent"
    assert by_sweep.pk != by_job.pk
    assert OrmQ.objects.count() == 0  # every handed-out task was acknowledged
    sweep.refresh_from_db()
    assert sweep.next_run > timezone.now()  # re-scheduled, a minute on


def test_worker_stopped_while_starting_exits_cleanly(settings, tmp_path):
    """SIGTERM while the worker still syncs schedules (before the cluster is up) ends it with 0,
    not with death by signal: a deployment stopping a just-started worker sees a clean exit."""
    log_path = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--max-seconds", str(DEADLINE + 30)],
        cwd=ROOT,
        env=worker_env(tmp_path / "mail"),
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: "worker starting" in log_path.read_text(), "start", worker, 0.005)
    finally:
        code = stop(worker)
    assert code == 0, log_path.read_text()
    assert "worker stopped" in log_path.read_text()


def test_demo_runner_stops_the_worker_when_the_server_stops(tmp_path):
    port = closed_port()
    log_path = tmp_path / "demo.log"
    log = log_path.open("w+")
    runner = subprocess.Popen(
        [sys.executable, "scripts/run_demo_server.py", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=worker_env(tmp_path / "mail"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        line = wait_for(
            lambda: next(
                (ln for ln in log_path.read_text().splitlines() if ln.startswith("demo: server")),
                None,
            ),
            "the runner names its processes",
            runner,
        )
        server_pid, worker_pid = (
            int(word.rstrip(",")) for word in line.split() if word[0].isdigit()
        )

        def healthz() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    return r.status == 200
            except OSError:
                return False

        wait_for(healthz, "the server answers", runner)
        wait_for(lambda: "worker running" in log_path.read_text(), "the worker runs", runner)
        os.kill(server_pid, signal.SIGTERM)  # the server stops (as after Ctrl+C or a crash)
        code = runner.wait(timeout=60)
    finally:
        stop(runner)
    output = log_path.read_text()
    assert code == 128 + signal.SIGTERM, output  # the server's exit status, passed on
    assert "demo: server and worker stopped" in output, output
    assert "worker stopped" in output, output
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)  # the worker is gone (reaped by the runner)


def redis_url() -> str | None:
    import redis

    url = os.environ.get("ORTSWANDEL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError:
        return None
    return url


def test_two_workers_share_a_redis_broker_and_send_each_mail_once(settings, tmp_path):
    """Several workers (as on several machines) on one Redis queue and one database: every job
    is run once, and every mail is sent once even when its delivery job was queued twice."""
    import uuid

    import redis

    url = redis_url()
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis must be reachable in CI")
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.ORTSWANDEL_JOBS_SYNC = False
    mails = [
        notifications.mail_queue(to=f"p{n}@example.org", subject=f"Nr. {n}", body="x")
        for n in range(8)
    ]
    OrmQ.objects.all().delete()  # this process queued on the database broker; use Redis instead
    Schedule.objects.update(next_run=timezone.now() + timedelta(hours=1))  # no sweeps
    queue = f"ortswandel-test-{uuid.uuid4().hex[:12]}"
    env = {**worker_env(tmp_path / "mail"), "ORTSWANDEL_JOBS_REDIS_URL": url}
    env["ORTSWANDEL_JOBS_QUEUE"] = queue
    ids = [m.pk for m in mails] * 2  # every delivery job twice
    producer = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from ortswandel.core import jobs, notifications\n"
            f"for i in {ids!r}: jobs.enqueue(notifications.DELIVER_JOB, i)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert producer.returncode == 0, producer.stderr
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--max-seconds", str(DEADLINE + 30)],
            cwd=ROOT,
            env=env,
            stdout=(tmp_path / f"worker{n}.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        for n in range(2)
    ]
    logs = [tmp_path / f"worker{n}.log" for n in range(2)]
    try:
        wait_for(
            lambda: Success.objects.filter(func=notifications.DELIVER_JOB).count() == len(ids),
            "every job ran",
            workers[0],
        )
        # One worker may have done all jobs while the other was still starting; stop both
        # only once both run, so each stop tests the running cluster's clean shutdown.
        wait_for(
            lambda: all("worker running" in log.read_text() for log in logs),
            "both workers running",
            workers[1],
        )
    finally:
        codes = [stop(worker) for worker in workers]
        redis.from_url(url).delete(queue)
    assert codes == [0, 0]
    results = sorted(
        Success.objects.filter(func=notifications.DELIVER_JOB).values_list("result", flat=True)
    )
    assert results == ["sent"] * len(mails) + ["skipped"] * len(mails)
    files = "".join(path.read_text() for path in (tmp_path / "mail").iterdir())
    for mail in mails:
        assert files.count(f"Subject: {mail.subject}\n") == 1, mail.subject
    assert QueuedMail.objects.filter(sent_at__isnull=False).count() == len(mails)
