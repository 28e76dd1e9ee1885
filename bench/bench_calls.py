#!/usr/bin/env python
"""Calls benchmark (issue 10): automatic jury assignment and the jury meeting's ranking view.

1. Assignment: :func:`ortswandel.calls.assignment.plan_assignment` for 200 applications,
   15 jurors, 3 reviews each, with ~5 % random conflicts (pure Python, no database); best and
   median of ``--repeat`` runs; also the load spread (max − min reviews per juror).
   Target: < 1 s.
2. Ranking view: a fresh bench database (SQLite file ``var/bench/calls.sqlite3``, or
   ``ortswandel_bench_calls`` on the server of ``DATABASE_URL``) with one call, 200 submitted
   applications, 10 jurors who each scored every application on 5 weighted criteria
   (10,000 scores); ``GET /ausschreibungen/<slug>/sitzung/`` as the chair, in-process through
   Django's test client (routing, middleware, view, aggregation with the leave-one-out
   sensitivity, templates, database), ``--requests`` times after a warm-up; p50/p95 and the
   p95 ratio to the target. Target: p95 < 100 ms.

   Three cases: *warm* (the table is cached), *cold* (every view right after a score change
   through ``review_save``, which invalidates the cached table) and a *meeting mix* (one score
   change, then three views). ``--gc default`` measures without the garbage-collector settings
   the WSGI entry applies at start-up (:mod:`ortswandel.config.runtime`).

Usage: ``.venv/bin/python bench/bench_calls.py [--requests 60] [--keep] [--gc wsgi|default]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import _harness

TARGET_ASSIGN_S = 1.0
TARGET_P95_MS = 100.0


def bench_assignment(repeat: int) -> None:
    from ortswandel.calls.assignment import plan_assignment

    rng = random.Random(10)
    apps, jurors = list(range(200)), list(range(15))
    conflicts = {(rng.randrange(15), rng.randrange(200)) for _ in range(150)}
    times = []
    plan = None
    for _ in range(repeat):
        start = time.perf_counter()
        plan = plan_assignment(applications=apps, jurors=jurors, k=3, conflicts=conflicts)
        times.append(time.perf_counter() - start)
    assert plan is not None
    loads = list(plan.load.values())
    best, median = min(times), statistics.median(times)
    print(
        f"assignment 200 apps × 15 jurors × 3 reviews, {len(conflicts)} conflicts: "
        f"{len(plan.pairs)} pairs, short {len(plan.short)}, load {min(loads)}–{max(loads)}"
    )
    print(f"  best {best * 1000:.2f} ms")
    _harness.report_line("  median", median * 1000, TARGET_ASSIGN_S * 1000)


def populate(n_apps: int = 200, n_jurors: int = 10):
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth.models import User
    from django.utils import timezone

    from ortswandel.calls.models import (
        Application,
        ApplicationStatus,
        Call,
        CallPhase,
        JuryMember,
        Review,
        Score,
    )
    from ortswandel.calls.services import criteria_add_defaults
    from ortswandel.catalogue.models import Programme, ProgrammeKind
    from ortswandel.municipalities.models import Municipality

    rng = random.Random(3)
    programme = Programme.objects.create(
        name="Bench", slug="bench", kind=ProgrammeKind.STATE_INITIATIVE, status="published"
    )
    now = timezone.now()
    call = Call.objects.create(
        programme=programme,
        title="Bench-Aufruf",
        slug="bench-aufruf",
        status="published",
        phase=CallPhase.MEETING,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
        max_grant=Decimal(100000),
        grant_years=[2024, 2025],
    )
    criteria = criteria_add_defaults(call=call)
    munis = Municipality.objects.bulk_create(
        Municipality(
            ags=f"12{i:06d}",
            ars=f"12{i:03d}0000{i % 1000:03d}",
            name=f"Gemeinde {i}",
            land_code="12",
            land_name="Brandenburg",
            kreis_code=f"12{i % 1000:03d}",
        )
        for i in range(n_apps)
    )
    applicant = User.objects.create_user("bench-applicant", "a@example.org", "x")
    apps = Application.objects.bulk_create(
        Application(
            call=call,
            municipality=m,
            applicant=applicant,
            title=f"Vorhaben {i}",
            status=ApplicationStatus.SUBMITTED,
            submitted_at=now,
        )
        for i, m in enumerate(munis)
    )
    chair_user = User.objects.create_user("bench-chair", "chair@example.org", "x")
    members = []
    for j in range(n_jurors):
        user = (
            chair_user
            if j == 0
            else User.objects.create_user(f"juror{j}", f"j{j}@example.org", "x")
        )
        members.append(
            JuryMember.objects.create(
                call=call, email=user.email, user=user, is_chair=j == 0, accepted_at=now
            )
        )
    reviews = Review.objects.bulk_create(
        Review(juror=m, application=a, submitted_at=now) for a in apps for m in members
    )
    Score.objects.bulk_create(
        Score(review=r, criterion=c, value=rng.randint(0, 5)) for r in reviews for c in criteria
    )
    return call, chair_user


def _full_collections() -> tuple[list[float], object]:
    """Durations (ms) of generation-2 collections from now on, and the callback to remove."""
    import gc

    pauses: list[float] = []
    started: list[float] = []

    def callback(phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            pauses.append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(callback)
    return pauses, callback


def bench_ranking_cases(client, call, chair, url: str, requests: int) -> None:
    """Cold (every view after a score change) and the meeting mix (a change, three views)."""
    import gc

    pauses, callback = _full_collections()
    from ortswandel.calls.models import Application
    from ortswandel.calls.services import review_save

    apps = list(Application.objects.filter(call=call).order_by("pk")[:requests])
    criterion = call.criteria.order_by("pk").first()
    changes: list[float] = []
    cases: dict[str, list[float]] = {"cold": [], "mix": []}
    cpu: dict[str, list[float]] = {"cold": [], "mix": []}
    for i in range(requests):
        for case, views in (("cold", 1), ("mix", 3)):
            start = time.perf_counter()
            review_save(
                application=apps[i % len(apps)],
                acting_user=chair,
                values={criterion.pk: (i + views) % (call.scale_max + 1)},
            )
            changes.append((time.perf_counter() - start) * 1000)
            for _ in range(views):
                start, start_cpu = time.perf_counter(), time.thread_time()
                response = client.get(url)
                cases[case].append((time.perf_counter() - start) * 1000)
                cpu[case].append((time.thread_time() - start_cpu) * 1000)
                assert response.status_code == 200
    for case, label in (
        ("cold", "cold (each view right after a score change)"),
        ("mix", "meeting mix (a score change, then 3 views)"),
    ):
        times = cases[case]
        p95 = _harness.percentile(times, 95)
        cpu_p95 = _harness.percentile(cpu[case], 95)
        print(
            f"  {label}: {len(times)} views, p50 {statistics.median(times):.1f} ms, "
            f"p95 {p95:.1f} ms (ratio {p95 / TARGET_P95_MS:.2f}), max {max(times):.1f} ms; "
            f"CPU p50 {statistics.median(cpu[case]):.1f} ms, p95 {cpu_p95:.1f} ms"
        )
    print(f"  score change (review_save): p50 {statistics.median(changes):.1f} ms")
    gc.callbacks.remove(callback)
    print(
        f"  full (generation-2) garbage collections during cold and mix: {len(pauses)}, "
        f"longest {max(pauses, default=0):.1f} ms; {len(gc.get_objects())} objects tracked, "
        f"{gc.get_freeze_count()} frozen"
    )


def bench_ranking(requests: int, keep: bool, gc_mode: str = "wsgi") -> None:
    with _harness.bench_database("calls", keep=keep):
        if gc_mode == "wsgi":
            from ortswandel.config.runtime import tune_gc

            tune_gc()  # what the WSGI entry does after start-up
        call, chair = populate()
        from django.test import Client

        client = Client()
        client.force_login(chair)
        url = f"/ausschreibungen/{call.slug}/sitzung/"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        ranking = _harness.Case("ranking view", lambda: client.get(url), TARGET_P95_MS)
        _harness.measure([ranking], requests=requests, warmup=2)
        print(
            f"ranking view 200 applications × 10 jurors (10,000 scores), {requests} requests, "
            f"{len(response.content) / 1024:.0f} KiB HTML, garbage collector: {gc_mode}:"
        )
        print(f"  warm (cached table): p50 {ranking.p(50):.1f} ms")
        _harness.report_line("  warm p95", ranking.p(95), TARGET_P95_MS)
        print(
            f"  CPU time of this thread per request: p50 {ranking.cpu_p(50):.1f} ms, "
            f"p95 {ranking.cpu_p(95):.1f} ms (wall time includes waiting for a shared CPU; "
            f"{_harness.load_line()})"
        )
        bench_ranking_cases(client, call, chair, url, requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--gc", choices=["wsgi", "default"], default="wsgi")
    args = parser.parse_args()
    bench_assignment(args.repeat)
    bench_ranking(args.requests, args.keep, args.gc)


if __name__ == "__main__":
    main()
