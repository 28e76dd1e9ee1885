#!/usr/bin/env python
"""Participation benchmark: the idea list and map of a process with 2,000 ideas, 20,000
comments and 50,000 votes.

Sets up its own database (a fresh SQLite file ``var/bench/participation.sqlite3``, or a fresh
``ortswandel_bench_participation`` database on the server of ``DATABASE_URL`` when that is set —
the database named in the URL itself is never touched), creates one process with those
contributions (all ideas placed on the map; 25 voters × 2,000 ideas), then measures in-process
with Django's test Client (routing, middleware, view, templates, database; no HTTP server), in
alternating blocks against a minimal view through the same middleware:

* the process page ``/beteiligung/<slug>/`` — phase timeline, filters, the map with the ideas
  counted per grid square (cached per process version) and the first page of the list — with
  the sort orders, a category filter, a text search, a square and a deep page; once with the
  map's version replaced before every request (the first view after a change);
* an idea page with its comments (10 per idea);
* the public API ``/api/participation/processes/<id>/ideas``.

Reported: p50/p95 per endpoint and the p95 ratio to the minimal view. Target (issue 11): p95 <
100 ms for the idea list and map.

Usage: ``.venv/bin/python bench/bench_participation.py [--requests 300] [--keep]``
"""

from __future__ import annotations

import argparse
import random
import time

import _harness

TARGET_P95_MS = 100.0
N_IDEAS, N_COMMENTS, N_VOTERS = 2_000, 20_000, 25  # 25 voters × 2,000 ideas = 50,000 votes


def generate(rng: random.Random) -> dict[str, object]:
    import datetime as dt

    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from ortswandel.municipalities.models import Municipality
    from ortswandel.participation.models import (
        Category,
        Comment,
        Idea,
        Participant,
        Phase,
        Process,
        Vote,
    )

    now = timezone.now()
    with transaction.atomic():
        municipality = Municipality.objects.create(
            ags="12060052", ars="120600052052", name="Eberswalde, Stadt", land_code="12",
            land_name="Brandenburg", kreis_code="12060",
        )  # fmt: skip
        process = Process.objects.create(
            title="Bench-Prozess", slug="bench", municipality=municipality, is_published=True
        )
        for i, kind in enumerate(("information", "ideas", "voting", "results")):
            Phase.objects.create(
                process=process, kind=kind, name=kind,
                starts_at=now + dt.timedelta(days=30 * (i - 2)),
                ends_at=now + dt.timedelta(days=30 * (i - 1)),
            )  # fmt: skip
        categories = [
            Category.objects.create(process=process, name=f"Kategorie {i}") for i in range(8)
        ]
        unusable = "!"  # an unusable password hash: the bench users never log in
        User.objects.bulk_create(
            User(username=f"bench{i}", password=unusable) for i in range(N_VOTERS)
        )
        users = list(User.objects.filter(username__startswith="bench"))
        Participant.objects.bulk_create(
            Participant(process=process, user=u, display_name=u.username, accepted_code_at=now)
            for u in users
        )
        words = [
            "Bank",
            "Baum",
            "Radweg",
            "Spielplatz",
            "Brunnen",
            "Licht",
            "Markt",
            "Bus",
            "Garten",
            "Treffpunkt",
        ]
        Idea.objects.bulk_create(
            Idea(
                process=process, author=users[i % N_VOTERS], author_name=f"Person {i}",
                title=f"{rng.choice(words)} {rng.choice(words)} {i}",
                text="<p>" + " ".join(rng.choice(words) for _ in range(60)) + "</p>",
                category=categories[i % 8], map_x=rng.random(), map_y=rng.random(),
                location_text=f"Straße {i % 97}",
                support_count=N_VOTERS, comment_count=N_COMMENTS // N_IDEAS,
                created_at=now - dt.timedelta(minutes=i),
            )
            for i in range(N_IDEAS)
        )  # fmt: skip
        ideas = list(Idea.objects.filter(process=process).values_list("pk", flat=True))
        Comment.objects.bulk_create(
            (
                Comment(
                    idea_id=ideas[i % N_IDEAS], author=users[i % N_VOTERS], author_name="P",
                    text=" ".join(rng.choice(words) for _ in range(25)),
                )
                for i in range(N_COMMENTS)
            ),
            batch_size=2000,
        )  # fmt: skip
        Vote.objects.bulk_create(
            (Vote(idea_id=pk, user=u, value=1) for pk in ideas for u in users), batch_size=5000
        )
    return {"process": process, "idea": ideas[0], "categories": categories}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per endpoint")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    with _harness.bench_database("participation", keep=args.keep) as db:
        from django.test import Client
        from django.test.utils import override_settings, setup_test_environment

        from ortswandel.participation.models import Comment, Idea, Vote
        from ortswandel.participation.places import bump_map

        setup_test_environment()
        rng = random.Random(11)
        t0 = time.perf_counter()
        data = generate(rng)
        setup_s = time.perf_counter() - t0
        process = data["process"]
        slug = process.slug  # type: ignore[attr-defined]
        cat = data["categories"][3].pk  # type: ignore[index]
        counts = (Idea.objects.count(), Comment.objects.count(), Vote.objects.count())
        page = f"/beteiligung/{slug}/"
        api = f"/api/participation/processes/{process.pk}/ideas"  # type: ignore[attr-defined]
        endpoints = {
            "minimal view": lambda r: "/bench-minimal/",
            "idea list + map (newest)": lambda r: page,
            "idea list + map (most support)": lambda r: page + "?sortierung=unterstuetzung",
            "idea list + map (most comments, page n)": (
                lambda r: page + f"?sortierung=kommentare&page={r.randint(1, 100)}"
            ),
            "idea list + map (category)": lambda r: page + f"?kategorie={cat}",
            "idea list + map (search)": lambda r: page + "?q=bank",
            "idea list + map (square)": lambda r: page + "?planquadrat=E5",
            "idea list + map (map rebuilt)": lambda r: bump_map(process.pk) or page,  # type: ignore[attr-defined]
            "idea page with comments": lambda r: page + f"ideen/{data['idea']}/",
            "API ideas page": lambda r: api + f"?page={r.randint(1, 40)}",
        }
        urlconf = _harness.minimal_urlconf("bench_participation_urls")
        with override_settings(ROOT_URLCONF=urlconf, ALLOWED_HOSTS=["*"], DEBUG=False):
            client = Client()
            cases = [
                _harness.Case(
                    name,
                    lambda url=url: client.get(url(rng)),
                    None if name == "minimal view" else TARGET_P95_MS,
                )
                for name, url in endpoints.items()
            ]
            sizes: dict[str, int] = {}
            for case in cases:  # warm-up (boundary files, templates)
                for _ in range(3):
                    response = case.run()
                    assert response.status_code == 200, (case.name, response.status_code)  # type: ignore[attr-defined]
                sizes[case.name] = len(response.content)  # type: ignore[attr-defined]
            _harness.measure(cases, requests=args.requests, warmup=0, block=10)
            for case in cases:
                case.queries = _harness.count_queries(case.run, samples=3)
        print(f"participation benchmark ({db.vendor}; setup {setup_s:.1f} s)")
        print(f"  data: {counts[0]:,} ideas, {counts[1]:,} comments, {counts[2]:,} votes")
        _harness.print_table(cases, width=42, extra={"kB": lambda c: f"{sizes[c.name] / 1024:.1f}"})
        worst = max(case.p(95) for case in cases if case.target_ms is not None)
        _harness.report_line("worst p95 (idea list, map, idea page, API)", worst, TARGET_P95_MS)
        _harness.load_notice()


if __name__ == "__main__":
    main()
