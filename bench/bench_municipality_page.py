#!/usr/bin/env python
"""Municipality profile benchmark: server time of ``/kommunen/<AGS>/`` with the full data pool.

Sets up its own database (a fresh SQLite file ``var/bench/municipality_page.sqlite3``, or a fresh
``ortswandel_bench_profile`` database on the server of ``DATABASE_URL`` when that is set — the
database named in the URL itself is never touched), loads the full municipality register
(``import_municipalities``) and the full data pool (``import_datapool``: every official file of
``ORTSWANDEL_DATA_DIR``), then measures with Django's test Client (in-process: URL routing,
middleware, view, templates and database, but no HTTP server or network):

* the first request of the process (cold: boundary files parsed, age-structure estimate built,
  similarity arrays built) — reported separately, it happens once per server process;
* ``/kommunen/<AGS>/`` for random AGS of all 10,981 municipalities (seeded), so that the
  per-AGS caches (maps) mostly miss, and for Wittenberge (12070424) repeatedly;
* a minimal Django view (``HttpResponse("ok")`` through the same middleware) as baseline.

Endpoints are measured round-robin in blocks after a warm-up. Reported: p50/p95 in ms, p95 as a
ratio to the target (100 ms, issue 8 "Speed and size") and to the minimal view, CPU per request,
database queries per page and the HTML size (raw and gzip).

Usage: ``.venv/bin/python bench/bench_municipality_page.py [--requests 300] [--keep]``
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import random
import statistics
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TARGET_MS = 100.0
WITTENBERGE = "12070424"


@dataclass
class Endpoint:
    name: str
    make_url: Callable[[random.Random], str]
    target: bool = True
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    queries: int = 0
    sizes: list[tuple[int, int]] = field(default_factory=list)


def setup_database(args: argparse.Namespace) -> Callable[[], None]:
    """Point Django at a fresh bench database and return the tear-down."""
    if os.environ.get("DATABASE_URL"):
        os.environ["ORTSWANDEL_TEST_DBNAME"] = "ortswandel_bench_profile"
    else:
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        database = bench_dir / "municipality_page.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.environ["ORTSWANDEL_TEST_SQLITE"] = str(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ortswandel.config.settings")
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)

    def teardown() -> None:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    return teardown


def minimal_urlconf() -> str:
    """A urlconf = the project's urls plus ``/bench-minimal/`` (the baseline view)."""
    from django.http import HttpResponse
    from django.urls import path

    from ortswandel.config import urls as project_urls

    def minimal(request):
        return HttpResponse("ok")

    module = types.ModuleType("bench_profile_urls")
    module.urlpatterns = [path("bench-minimal/", minimal), *project_urls.urlpatterns]
    sys.modules[module.__name__] = module
    return module.__name__


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def measure(eps: list[Endpoint], rng: random.Random, requests: int, warmup: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    for ep in eps:
        for _ in range(warmup):
            client.get(ep.make_url(rng))
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(ep.make_url(rng))
            ep.queries = max(ep.queries, len(ctx.captured_queries))
            body = response.content
            ep.sizes.append((len(body), len(gzip.compress(body, 6))))
    block = 20
    for _ in range(max(1, -(-requests // block))):
        for ep in eps:
            for _ in range(block):
                url = ep.make_url(rng)
                cpu_started = time.thread_time()
                started = time.perf_counter()
                response = client.get(url)
                ep.times.append((time.perf_counter() - started) * 1000)
                ep.cpu.append((time.thread_time() - cpu_started) * 1000)
                ep.statuses[response.status_code] = ep.statuses.get(response.status_code, 0) + 1


def report(eps: list[Endpoint], setup: dict[str, str]) -> None:
    from django.db import connection

    base_p95 = percentile(next(ep for ep in eps if not ep.target).times, 95)
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    for key, value in setup.items():
        print(f"  {key}: {value}")
    print()
    header = (
        f"{'endpoint':30} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p95/100ms':>9} {'p95/min':>8} "
        f"{'cpu p50':>8} {'cpu p95':>8} {'cpu95/100':>9} {'queries':>7} {'HTML KB':>8} "
        f"{'gzip KB':>8}  target"
    )
    print(header)
    print("-" * len(header))
    for ep in eps:
        p50, p95 = statistics.median(ep.times), percentile(ep.times, 95)
        verdict = ("ok (<100 ms)" if p95 < TARGET_MS else "MISSED (≥100 ms)") if ep.target else ""
        codes = ",".join(f"{c}×{n}" for c, n in sorted(ep.statuses.items()) if c != 200)
        if codes:
            verdict += f"  non-200: {codes}"
        raw = statistics.mean(s[0] for s in ep.sizes) / 1024 if ep.sizes else 0
        packed = statistics.mean(s[1] for s in ep.sizes) / 1024 if ep.sizes else 0
        cpu95 = percentile(ep.cpu, 95)
        print(
            f"{ep.name:30} {len(ep.times):5d} {p50:8.2f} {p95:8.2f} {p95 / TARGET_MS:9.2f} "
            f"{p95 / base_p95:8.1f} {statistics.median(ep.cpu):8.2f} "
            f"{cpu95:8.2f} {cpu95 / TARGET_MS:9.2f} {ep.queries:7d} "
            f"{raw:8.1f} {packed:8.1f}  {verdict}"
        )
    print()
    print(
        "Server time in-process (Django test Client: routing, middleware, view, templates, DB; "
        "no HTTP). p95/100ms = ratio to the target; p95/min = ratio to the minimal view's p95."
    )
    print(
        "cpu = CPU time of the benchmark thread per request (SQLite's work included): what the "
        "page costs when it does not wait for a CPU that other processes hold."
    )
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(
            f"NOTE: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs during the run: "
            "wall-clock figures include waiting for the CPU (cpu p50 does not)."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per endpoint")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    teardown = setup_database(args)
    try:
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import override_settings

        from ortswandel.datapool.models import Value
        from ortswandel.municipalities.models import Municipality

        setup: dict[str, str] = {}
        started = time.perf_counter()
        call_command("import_municipalities", verbosity=0, stdout=io.StringIO())
        setup["municipality register"] = (
            f"{Municipality.objects.count()} municipalities in "
            f"{time.perf_counter() - started:.1f} s"
        )
        started = time.perf_counter()
        call_command("import_datapool", stdout=io.StringIO(), stderr=io.StringIO())
        setup["data pool"] = (
            f"{Value.objects.count():,} values in {time.perf_counter() - started:.1f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        ags_all = list(Municipality.objects.filter(population__gt=0).values_list("ags", flat=True))
        rng = random.Random(args.seed)
        with override_settings(ROOT_URLCONF=minimal_urlconf()):
            client = Client(HTTP_ACCEPT_LANGUAGE="de")
            started = time.perf_counter()
            first = client.get(f"/kommunen/{WITTENBERGE}/")
            setup["first request of the process (cold caches)"] = (
                f"{(time.perf_counter() - started) * 1000:.0f} ms (status {first.status_code})"
            )
            eps = [
                Endpoint("/kommunen/<random AGS>/", lambda r: f"/kommunen/{r.choice(ags_all)}/"),
                Endpoint(f"/kommunen/{WITTENBERGE}/", lambda r: f"/kommunen/{WITTENBERGE}/"),
                Endpoint("minimal view", lambda r: "/bench-minimal/", target=False),
            ]
            measure(eps, rng, args.requests, args.warmup)
        report(eps, setup)
    finally:
        teardown()


if __name__ == "__main__":
    main()
