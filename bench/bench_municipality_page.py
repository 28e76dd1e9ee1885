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
import random
import statistics
import time

import _harness
from _harness import Case

TARGET_MS = 100.0
WITTENBERGE = "12070424"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per endpoint")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    with _harness.bench_database(
        "municipality_page", keep=args.keep, server_name="ortswandel_bench_profile"
    ) as db:
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import override_settings

        from ortswandel.datapool.models import Value
        from ortswandel.municipalities.models import Municipality

        print(f"Database: {db.vendor} ({db.name})")
        _harness.import_register()
        started = time.perf_counter()
        call_command("import_datapool", stdout=io.StringIO(), stderr=io.StringIO())
        seconds = time.perf_counter() - started
        print(f"  data pool: {Value.objects.count():,} values in {seconds:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        ags_all = list(Municipality.objects.filter(population__gt=0).values_list("ags", flat=True))
        rng = random.Random(args.seed)
        sizes: dict[str, list[tuple[int, int]]] = {}
        with override_settings(ROOT_URLCONF=_harness.minimal_urlconf("bench_profile_urls")):
            client = Client(HTTP_ACCEPT_LANGUAGE="de")
            started = time.perf_counter()
            first = client.get(f"/kommunen/{WITTENBERGE}/")
            print(
                f"  first request of the process (cold caches): "
                f"{(time.perf_counter() - started) * 1000:.0f} ms (status {first.status_code})"
            )
            cases = [
                Case(
                    "/kommunen/<random AGS>/",
                    lambda: client.get(f"/kommunen/{rng.choice(ags_all)}/"),
                    TARGET_MS,
                ),
                Case(
                    f"/kommunen/{WITTENBERGE}/",
                    lambda: client.get(f"/kommunen/{WITTENBERGE}/"),
                    TARGET_MS,
                ),
                Case("minimal view", lambda: client.get("/bench-minimal/")),
            ]
            for case in cases:
                for _ in range(args.warmup):
                    case.run()
                case.queries = _harness.count_queries(case.run, samples=3)
                bodies = [case.run().content for _ in range(3)]  # type: ignore[attr-defined]
                sizes[case.name] = [(len(b), len(gzip.compress(b, 6))) for b in bodies]
            _harness.measure(cases, requests=args.requests, warmup=0)
        print()
        _harness.print_table(
            cases,
            width=30,
            extra={
                "HTML KB": lambda c: f"{statistics.mean(s[0] for s in sizes[c.name]) / 1024:.1f}",
                "gzip KB": lambda c: f"{statistics.mean(s[1] for s in sizes[c.name]) / 1024:.1f}",
            },
        )
        _harness.load_notice()


if __name__ == "__main__":
    main()
