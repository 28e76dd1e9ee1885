#!/usr/bin/env python
"""Events benchmark: registrations per second through the API, and event page latency.

Sets up its own database (a fresh SQLite file ``var/bench/events.sqlite3``, or a fresh
``ortswandel_bench_events`` database on the server of ``DATABASE_URL`` when that is set — the
database named in the URL itself is never touched), creates one event with ``--capacity`` seats
(default 500) plus agenda, materials, themes and a custom question, then:

1. starts a real server — gunicorn from the venv (``gthread``, ``--workers`` × ``--threads``;
   falls back to ``manage.py runserver`` if gunicorn is missing) on 127.0.0.1:8141 — with rate
   limiting off (``ORTSWANDEL_RATELIMIT_ENABLED=false``) and the file mail backend into
   ``var/bench/mail`` (every registration queues a mail and sends it after the commit), and
   fires ``--requests`` (default 1,200) ``POST /api/events/{id}/registrations`` from
   ``--clients`` (default 16) parallel keep-alive connections, bounded by ``--max-seconds``.
   Reported: registrations/s, errors (anything but 201), and the overbooking check: exactly
   ``capacity`` seats taken (pending or confirmed) and the rest on the waiting list, counted in
   the database afterwards.
2. measures the event page ``/veranstaltungen/<slug>/`` in-process with Django's test Client
   (routing, middleware, view, templates, database; no HTTP server) against a minimal view
   (``HttpResponse("ok")`` through the same middleware) in alternating blocks; p50/p95 and the
   p95 ratio to the minimal view. Target: p95 < 50 ms.

Targets (issue 4): ≥ 100 registrations/s with zero errors and zero overbooking; page p95 < 50 ms.

Usage: ``.venv/bin/python bench/bench_events.py [--requests 1200] [--clients 16] [--keep]``
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import types
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

HOST, PORT = "127.0.0.1", 8141
TARGET_RATE = 100.0
TARGET_P95_MS = 50.0


# --------------------------------------------------------------------------- set-up


def setup_database(args: argparse.Namespace) -> tuple[str, Callable[[], None]]:
    """Create a fresh bench database; return its DATABASE_URL (for the server) and tear-down."""
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    if os.environ.get("DATABASE_URL"):
        os.environ["ORTSWANDEL_TEST_DBNAME"] = "ortswandel_bench_events"
    else:
        os.environ["ORTSWANDEL_TEST_SQLITE"] = str(bench_dir / "events.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ortswandel.config.settings")
    os.environ["ORTSWANDEL_RATELIMIT_ENABLED"] = "false"
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{s['NAME']}"
    else:
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"

    def teardown() -> None:
        connection.close()
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    return url, teardown


def create_event(capacity: int):
    from datetime import time as dtime
    from datetime import timedelta

    from django.utils import timezone

    from ortswandel.catalogue.models import Programme, ProgrammeKind, Theme, ThemeKind
    from ortswandel.events.models import Event, QuestionKind

    programme = Programme.objects.create(
        name="Bench-Programm", slug="bench", kind=ProgrammeKind.FEDERAL_FUNDING, status="published"
    )
    themes = [
        Theme.objects.create(
            programme=programme,
            kind=ThemeKind.CORE_MESSAGE,
            name=f"Bench-Thema {i}",
            slug=f"t{i}",
            status="published",
        )
        for i in range(4)
    ]
    start = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        programme=programme,
        title="Bench-Werkstatt (Demo)",
        slug="bench-werkstatt",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        capacity=capacity,
        status="published",
        online_url="https://meet.example.org/bench",
        summary="Benchmark-Veranstaltung.",
        description="<p>" + "Beschreibung der Werkstatt. " * 40 + "</p>",
        is_demo=True,
    )
    event.themes.set(themes)
    for i in range(6):
        event.agenda_items.create(
            position=i, starts_at=dtime(9 + i), title=f"Programmpunkt {i}", speakers="N. N."
        )
    for i in range(3):
        event.materials.create(kind="slides", title=f"Folien {i}", url="https://example.org/f.pdf")
    event.questions.create(kind=QuestionKind.TEXT, label="Ihre Frage", required=False)
    return event


# --------------------------------------------------------------------------- server


def start_server(database_url: str, args: argparse.Namespace) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ORTSWANDEL_RATELIMIT_ENABLED": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(ROOT / "var" / "bench" / "mail"),
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "ortswandel.config.settings",
        "DB_CONN_MAX_AGE": "60",
    }
    env.pop("ORTSWANDEL_TEST_SQLITE", None)
    env.pop("ORTSWANDEL_TEST_DBNAME", None)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if gunicorn.exists():
        cmd = [
            str(gunicorn),
            "ortswandel.config.wsgi:application",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ]
        kind = f"gunicorn gthread {args.workers} workers × {args.threads} threads"
    else:
        cmd = [sys.executable, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"]
        kind = "manage.py runserver (threaded)"
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc, kind
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit(f"server did not start on {HOST}:{PORT}")


def process_tree_cpu(pid: int) -> float:
    """User+system CPU seconds of a process and its children (Linux /proc), 0 if unavailable."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
    except OSError:
        return 0.0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def fire(event_id: int, args: argparse.Namespace) -> tuple[float, Counter, list[float]]:
    """POST registrations from parallel keep-alive clients; returns (seconds, codes, latencies)."""
    path = f"/api/events/{event_id}/registrations"
    counter = iter(range(args.requests))
    lock = threading.Lock()
    codes: Counter = Counter()
    latencies: list[float] = []
    deadline = time.monotonic() + args.max_seconds
    barrier = threading.Barrier(args.clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        barrier.wait()
        while time.monotonic() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            body = json.dumps(
                {
                    "name": f"Bench Person {i}",
                    "email": f"bench{i}@example.org",
                    "organisation": "Bench-Gemeinde",
                    "consent": True,
                    "answers": {},
                }
            )
            started = time.perf_counter()
            try:
                conn.request("POST", path, body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                code = response.status
            except (OSError, http.client.HTTPException) as exc:
                code = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                codes[code] += 1
                latencies.append(elapsed)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, codes, latencies


# --------------------------------------------------------------------------- page latency


def minimal_urlconf() -> str:
    from django.http import HttpResponse
    from django.urls import path

    from ortswandel.config import urls as project_urls

    def minimal(request):
        return HttpResponse("ok", content_type="text/plain")

    module = types.ModuleType("bench_events_urls")
    module.urlpatterns = [path("bench-minimal/", minimal), *project_urls.urlpatterns]  # type: ignore[attr-defined]
    for handler in ("handler400", "handler403", "handler404", "handler500"):
        setattr(module, handler, getattr(project_urls, handler))
    sys.modules[module.__name__] = module
    return module.__name__


def measure_pages(event_slug: str, n: int) -> dict[str, list[float]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    urls = {"event page": f"/veranstaltungen/{event_slug}/", "minimal view": "/bench-minimal/"}
    timings: dict[str, list[float]] = {name: [] for name in urls}
    cpu: dict[str, list[float]] = {name: [] for name in urls}
    with override_settings(ROOT_URLCONF=minimal_urlconf()):
        for url in urls.values():  # warm-up
            for _ in range(10):
                assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            client.get(urls["event page"])
        queries = len(ctx.captured_queries)
        for _block in range(n // 20):
            for name, url in urls.items():
                for _ in range(20):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    timings[name].append((time.perf_counter() - started) * 1000)
                    cpu[name].append((time.process_time() - cpu_started) * 1000)
                    assert response.status_code == 200
    timings["_queries"] = [float(queries)]
    for name, values in cpu.items():
        timings[f"_cpu {name}"] = values
    return timings


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


# --------------------------------------------------------------------------- main


def main() -> int:  # noqa: PLR0915 (one linear script: set up, run, check, report)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1200)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--capacity", type=int, default=500)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    parser.add_argument("--page-requests", type=int, default=400)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    shutil.rmtree(ROOT / "var" / "bench" / "mail", ignore_errors=True)
    database_url, teardown = setup_database(args)
    proc = None
    ok = True
    try:
        from django.db import connection

        from ortswandel.events.models import QueuedMail, Registration

        event = create_event(args.capacity)
        vendor = connection.vendor
        connection.close()  # the server processes get the database to themselves
        proc, server_kind = start_server(database_url, args)
        load_before = os.getloadavg()[0]
        cpu_before = process_tree_cpu(proc.pid)
        seconds, codes, latencies = fire(event.pk, args)
        server_cpu = process_tree_cpu(proc.pid) - cpu_before
        load_after = os.getloadavg()[0]
        proc.terminate()
        proc.wait(timeout=30)
        proc = None

        done = sum(codes.values())
        created = codes.get(201, 0)
        errors = done - created
        seats = Registration.objects.filter(event=event, status__in=["pending", "confirmed"])
        waiting = Registration.objects.filter(event=event, status="waitlisted").count()
        taken = seats.count()
        expected_taken = min(args.capacity, created)
        overbooked = taken > args.capacity
        exact = taken == expected_taken and waiting == created - expected_taken
        mails_sent = QueuedMail.objects.filter(sent_at__isnull=False).count()
        rate = created / seconds if seconds else 0.0
        lat_ms = [x * 1000 for x in latencies]

        print(f"database: {vendor}; server: {server_kind} on {HOST}:{PORT}; rate limiting off")
        print(
            f"registrations: {done} requests from {args.clients} parallel clients in "
            f"{seconds:.2f} s → {rate:.1f} registrations/s (target ≥ {TARGET_RATE:.0f}/s)"
        )
        print(f"  latency per request: p50 {pct(lat_ms, 50):.1f} ms, p95 {pct(lat_ms, 95):.1f} ms")
        print(f"  responses: {dict(codes)}; errors: {errors}")
        print(
            f"  seats: capacity {args.capacity}, taken {taken}, waiting list {waiting} → "
            f"{'no overbooking, counts exact' if exact and not overbooked else 'MISMATCH'}"
        )
        print(f"  mails queued and sent after commit: {mails_sent} of {created}")
        if server_cpu and done:
            per = server_cpu / done * 1000
            print(
                f"  server CPU: {per:.1f} ms per registration (all workers); machine load "
                f"average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} CPUs"
            )
        ok = ok and errors == 0 and exact and not overbooked and rate >= TARGET_RATE

        timings = measure_pages(event.slug, args.page_requests)
        queries = int(timings.pop("_queries")[0])
        cpu_times = {k[5:]: timings.pop(k) for k in list(timings) if k.startswith("_cpu ")}
        p95_min = pct(timings["minimal view"], 95)
        print(f"pages (in-process test Client, {args.page_requests} requests each):")
        for name, values in timings.items():
            p95 = pct(values, 95)
            ratio = p95 / p95_min if p95_min else float("nan")
            print(
                f"  {name:13s} p50 {pct(values, 50):6.2f} ms  p95 {p95:6.2f} ms  "
                f"(×{ratio:.1f} of minimal view); CPU p95 {pct(cpu_times[name], 95):6.2f} ms"
            )
        print(f"  event page: {queries} database queries; target p95 < {TARGET_P95_MS:.0f} ms")
        ok = ok and pct(timings["event page"], 95) < TARGET_P95_MS
        print("RESULT:", "targets met" if ok else "TARGETS MISSED")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        teardown()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
