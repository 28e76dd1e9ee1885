#!/usr/bin/env python
"""Portal benchmark: server time of search, filter and municipality pages (not a test).

Sets up its own database (a fresh SQLite file ``var/bench/portal.sqlite3``, or a fresh
``ortswandel_bench`` database on the server of ``DATABASE_URL`` when that is set — the database
named in the URL itself is never touched), imports the full municipality register with
``import_municipalities``, generates 2,000 projects with themes, partners and model
municipalities across 3 programmes (seeded random), builds the search index, then measures with
Django's test Client (in-process: URL routing, middleware, views, templates and database, but no
HTTP server or network):

1. search and filter responses: ``/suche/?q=…`` (plain, with kind/programme filters, with
   Kommune-fit), ``/api/search``, ``/projekte/?theme=…&land=…&size=…&sort=…``
2. the municipality page ``/kommunen/<ags>/`` for random AGS
3. a minimal Django view (``HttpResponse("ok")`` through the full middleware stack) as baseline,
   and ``/healthz`` (one ``SELECT 1``)

Endpoints are measured round-robin in blocks (warm-up first) so that drift in machine load
affects all of them alike. Reported: p50/p95 in ms, p95 as a ratio to the minimal view's p95 of
the same run, and database queries per page (maximum over a few sampled requests).
Target: p95 < 50 ms for search/filter pages and the municipality page.

Usage: ``.venv/bin/python bench/bench_portal.py [--requests 200] [--projects 2000] [--keep]``
"""

from __future__ import annotations

import argparse
import random
import time

import _harness
from _harness import Case

TARGET_MS = 50.0

# --------------------------------------------------------------------------- vocabulary
PROGRAMMES = [
    ("Bench: Regionale Daseinsvorsorge", "bench-daseinsvorsorge"),
    ("Bench: Stadt und Land im Strukturwandel", "bench-strukturwandel"),
    ("Bench: Klimagerechte Kommunen", "bench-klima"),
]
THEMES = [
    "Daseinsvorsorge",
    "Mobilität",
    "Digitalisierung",
    "Klimaanpassung",
    "Wohnen und Leerstand",
    "Bildung",
    "Gesundheit und Pflege",
    "Beteiligung",
    "Wirtschaft und Fachkräfte",
    "Flächensparen",
    "Energiewende",
    "Ehrenamt",
]
ADJECTIVES = [
    "digitale",
    "ländliche",
    "kommunale",
    "regionale",
    "nachhaltige",
    "gemeinsame",
    "innovative",
    "lebenswerte",
    "klimagerechte",
    "soziale",
    "integrierte",
    "interkommunale",
    "demografiefeste",
    "resiliente",
]
NOUNS = [
    "Daseinsvorsorge",
    "Mobilität",
    "Kommunen",
    "Dorfentwicklung",
    "Innenentwicklung",
    "Quartiersentwicklung",
    "Nahversorgung",
    "Verwaltung",
    "Beteiligung",
    "Wärmeplanung",
    "Flächenmanagement",
    "Leerstandsmanagement",
    "Gesundheitsversorgung",
    "Pflegeinfrastruktur",
    "Kinderbetreuung",
    "Schulentwicklung",
    "Fachkräftesicherung",
    "Wertschöpfung",
    "Energiegenossenschaft",
    "Hochwasservorsorge",
    "Starkregenvorsorge",
    "Stadtgrün",
    "Bürgerbus",
    "Rufbus",
    "Mitfahrbank",
    "Coworking",
    "Dorfladen",
    "Gemeinschaftshaus",
    "Ehrenamt",
    "Jugendbeteiligung",
    "Zuwanderung",
    "Haushaltsplanung",
    "Infrastrukturkosten",
    "Wasserversorgung",
    "Abwasserentsorgung",
    "Breitbandausbau",
    "Telemedizin",
    "Bildungslandschaft",
    "Wohnungsbau",
    "Baulandentwicklung",
]
VERBS = [
    "entwickelt",
    "erprobt",
    "untersucht",
    "begleitet",
    "verbindet",
    "stärkt",
    "plant",
    "bewertet",
    "vernetzt",
    "gestaltet",
    "unterstützt",
    "analysiert",
]
FILLER = [
    "Landkreis",
    "Gemeinde",
    "Region",
    "Stadt",
    "Verwaltung",
    "Akteure",
    "Bürgerinnen",
    "Bürger",
    "Wissenschaft",
    "Praxis",
    "Modell",
    "Instrument",
    "Leitfaden",
    "Szenario",
    "Prognose",
    "Bevölkerung",
    "Bedarf",
    "Angebot",
    "Kosten",
    "Standort",
    "Netzwerk",
    "Werkstatt",
    "Reallabor",
    "Umsetzung",
    "Verstetigung",
    "Transfer",
    "Ergebnisse",
    "Erfahrungen",
    "Perspektive",
    "Zukunft",
]
ORG_PREFIX = [
    "Hochschule",
    "Universität",
    "Institut für",
    "Zentrum für",
    "Büro für",
    "Verein für",
    "Stiftung",
]
ORG_TOPIC = [
    "Raumplanung",
    "Regionalentwicklung",
    "Stadtforschung",
    "Mobilitätsforschung",
    "Sozialforschung",
    "Landentwicklung",
    "Energieeffizienz",
    "Verwaltungswissenschaft",
    "Umweltplanung",
    "Demografie",
]
QUERIES = [
    "Daseinsvorsorge",
    "Kommune",
    "Mobilität ländlich",
    '"digitale Verwaltung"',
    "Dorfladen",
    "Wärmeplan",
    "Entwicklungen",
    "Ehrenamt Beteiligung",
    "Hochwasser",
    "Kinderbetreuung Gemeinde",
    "Städte",
    "Pflege",
    "Fachkräfte",
    "Bürgerbus Rufbus",
    "nachhaltige Wertschöpfung",
]


def sentence(rng: random.Random) -> str:
    words = [
        rng.choice(ADJECTIVES).capitalize(),
        rng.choice(NOUNS),
        rng.choice(VERBS),
        *rng.sample(FILLER, 3),
        "und",
        rng.choice(NOUNS),
        "im",
        rng.choice(FILLER),
    ]
    return " ".join(words) + "."


def paragraph(rng: random.Random, n: int) -> str:
    return "<p>" + " ".join(sentence(rng) for _ in range(n)) + "</p>"


# --------------------------------------------------------------------------- set-up


def generate(rng: random.Random, n_projects: int) -> dict[str, int]:
    """Programmes, themes, organisations, projects (+ partners, municipalities), results,
    publications and news, written in bulk without indexing."""
    import datetime as dt

    from ortswandel.catalogue.models import (
        NewsItem,
        Organisation,
        OrganisationKind,
        PartnerRole,
        Programme,
        ProgrammeKind,
        Project,
        ProjectPartner,
        ProjectStatus,
        Publication,
        PublicationKind,
        Result,
        ResultKind,
        Theme,
        ThemeKind,
    )
    from ortswandel.core.models import PublicationStatus
    from ortswandel.municipalities.models import Municipality

    published = PublicationStatus.PUBLISHED
    municipality_ids = list(
        Municipality.objects.filter(population__gt=0).values_list("id", flat=True)
    )
    if not municipality_ids:
        raise SystemExit("No municipalities imported; check ORTSWANDEL_DATA_DIR.")
    programmes = [
        Programme.objects.create(
            name=name,
            slug=slug,
            kind=ProgrammeKind.FEDERAL_FUNDING,
            status=published,
            summary=sentence(rng),
        )
        for name, slug in PROGRAMMES
    ]
    theme_kinds = list(ThemeKind)
    themes = Theme.objects.bulk_create(
        [
            Theme(
                programme=p,
                kind=theme_kinds[i % len(theme_kinds)],
                name=name,
                slug=f"t{i}",
                status=published,
                position=i,
            )
            for p in programmes
            for i, name in enumerate(THEMES)
        ]
    )
    themes_by_programme = {p.pk: [t for t in themes if t.programme_id == p.pk] for p in programmes}
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{rng.choice(ORG_PREFIX)} {rng.choice(ORG_TOPIC)} {i}",
                slug=f"org-{i}",
                kind=rng.choice(list(OrganisationKind)),
            )
            for i in range(400)
        ]
    )
    statuses = list(ProjectStatus)
    projects = []
    for i in range(n_projects):
        start = dt.date(rng.randint(2014, 2024), rng.randint(1, 12), 1)
        projects.append(
            Project(
                programme=programmes[i % 3],
                acronym=f"{rng.choice(NOUNS)[:5].upper()}{i}",
                slug=f"projekt-{i}",
                title=f"{rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} "
                f"in {rng.choice(FILLER)} und {rng.choice(FILLER)}",
                summary=paragraph(rng, rng.randint(4, 9)),
                start_date=start,
                end_date=start + dt.timedelta(days=365 * rng.randint(2, 5)),
                project_status=rng.choice(statuses),
                status=published if rng.random() > 0.03 else PublicationStatus.DRAFT,
            )
        )
    projects = Project.objects.bulk_create(projects)
    theme_links, place_links, partners = [], [], []
    for project in projects:
        theme_links.extend(
            Project.themes.through(project_id=project.pk, theme_id=theme.pk)
            for theme in rng.sample(themes_by_programme[project.programme_id], rng.randint(1, 3))
        )
        place_links.extend(
            Project.municipalities.through(project_id=project.pk, municipality_id=mid)
            for mid in rng.sample(municipality_ids, rng.randint(1, 3))
        )
        for j, org in enumerate(rng.sample(orgs, rng.randint(2, 5))):
            role = PartnerRole.COORDINATOR if j == 0 else rng.choice(list(PartnerRole)[1:])
            partners.append(ProjectPartner(project=project, organisation=org, role=role))
    Project.themes.through.objects.bulk_create(theme_links, batch_size=2000)
    Project.municipalities.through.objects.bulk_create(place_links, batch_size=2000)
    ProjectPartner.objects.bulk_create(partners, batch_size=2000)

    def linked(model, kinds, n, prefix):  # results and publications
        objs = model.objects.bulk_create(
            [
                model(
                    title=f"{rng.choice(['Leitfaden', 'Handbuch', 'Studie', 'Werkzeug'])}: "
                    f"{rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)}",
                    slug=f"{prefix}-{i}",
                    kind=rng.choice(kinds),
                    programme=programmes[i % 3],
                    summary=paragraph(rng, rng.randint(2, 6)),
                    year=rng.randint(2016, 2025),
                    status=published,
                )
                for i in range(n)
            ]
        )
        model.projects.through.objects.bulk_create(
            [
                model.projects.through(**{f"{model._meta.model_name}_id": o.pk, "project_id": p.pk})
                for o in objs
                for p in rng.sample(
                    [p for p in projects if p.programme_id == o.programme_id], rng.randint(1, 3)
                )
            ]
        )
        model.themes.through.objects.bulk_create(
            [
                model.themes.through(**{f"{model._meta.model_name}_id": o.pk, "theme_id": t.pk})
                for o in objs
                for t in rng.sample(themes_by_programme[o.programme_id], 2)
            ]
        )
        return objs

    results = linked(Result, list(ResultKind), n_projects // 5, "ergebnis")
    publications = linked(Publication, list(PublicationKind), n_projects // 7, "publikation")
    news = NewsItem.objects.bulk_create(
        [
            NewsItem(
                title=f"{rng.choice(NOUNS)}: {rng.choice(ADJECTIVES)} {rng.choice(FILLER)}",
                slug=f"meldung-{i}",
                programme=programmes[i % 3],
                published_on=dt.date(2025, 1, 1) - dt.timedelta(days=i),
                teaser=sentence(rng),
                body=paragraph(rng, rng.randint(3, 8)),
                status=published,
            )
            for i in range(n_projects // 7)
        ]
    )
    return {
        "projects": len(projects),
        "results": len(results),
        "publications": len(publications),
        "news": len(news),
        "organisations": len(orgs),
        "themes": len(themes),
    }


# --------------------------------------------------------------------------- measurement


def endpoints(client, rng: random.Random) -> list[Case]:  # type: ignore[no-untyped-def]
    """The measured cases: baselines, search/filter pages and the municipality page, each a
    GET with a fresh random URL."""
    from ortswandel.catalogue.models import Programme, Theme
    from ortswandel.municipalities.models import LAND_NAMES, Municipality, SizeClass

    ags_all = list(Municipality.objects.values_list("ags", flat=True))
    ags_fit = (
        list(Municipality.objects.filter(projects__isnull=False).values_list("ags", flat=True))
        or ags_all
    )
    programme_slugs = list(Programme.objects.values_list("slug", flat=True))
    theme_ids = list(Theme.objects.values_list("id", flat=True))
    lands = list(LAND_NAMES)
    sizes = [s.value for s in SizeClass if s != SizeClass.UNINHABITED]
    kinds = ["project", "result", "publication", "news"]
    sorts = ["acronym", "-start", "title", "-end"]

    def q(r: random.Random) -> str:
        from urllib.parse import quote

        return quote(r.choice(QUERIES))

    def get(name: str, make_url, target_ms: float | None = TARGET_MS) -> Case:  # type: ignore[no-untyped-def]
        return Case(name, lambda: client.get(make_url(rng)), target_ms)

    return [
        get("minimal view", lambda r: "/bench-minimal/", None),
        get("/healthz", lambda r: "/healthz", None),
        get("/suche/?q=", lambda r: f"/suche/?q={q(r)}"),
        get(
            "/suche/ +kind+programme+page",
            lambda r: (
                f"/suche/?q={q(r)}&kind={r.choice(kinds)}"
                f"&programme={r.choice(programme_slugs)}&page={r.choice([1, 1, 2])}"
            ),
        ),
        get("/suche/ +ags (Kommune-fit)", lambda r: f"/suche/?q={q(r)}&ags={r.choice(ags_fit)}"),
        get("/api/search?q=", lambda r: f"/api/search?q={q(r)}"),
        get(
            "/projekte/ theme+land+size+sort",
            lambda r: (
                f"/projekte/?theme={r.choice(theme_ids)}&land={r.choice(lands)}"
                f"&size={r.choice(sizes)}&sort={r.choice(sorts)}"
            ),
        ),
        get(
            "/projekte/ land+sort",
            lambda r: f"/projekte/?land={r.choice(lands)}&sort={r.choice(sorts)}",
        ),
        get("/kommunen/<ags>/", lambda r: f"/kommunen/{r.choice(ags_all)}/"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per endpoint")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20260)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    with _harness.bench_database("portal", keep=args.keep, server_name="ortswandel_bench") as db:
        from django.db import connection
        from django.test import Client
        from django.test.utils import override_settings

        from ortswandel.search.services import search_index_rebuild

        print(f"Database: {db.vendor} ({db.name})")
        _harness.import_register()
        rng = random.Random(args.seed)
        started = time.perf_counter()
        counts = generate(rng, args.projects)
        print(
            "  generated: "
            + ", ".join(f"{n} {k}" for k, n in counts.items())
            + f" in {time.perf_counter() - started:.1f} s"
        )
        started = time.perf_counter()
        indexed = search_index_rebuild()
        print(
            f"  search index: {sum(indexed.values())} documents "
            f"({', '.join(f'{k} {n}' for k, n in indexed.items())}) built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        # Planner statistics, as autovacuum (PostgreSQL) or PRAGMA optimize would provide them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        with override_settings(ROOT_URLCONF=_harness.minimal_urlconf("bench_portal_urls")):
            client = Client(HTTP_ACCEPT_LANGUAGE="de")
            cases = endpoints(client, rng)
            for case in cases:  # warm-up: template loading, URL resolver, query plans, caches
                for _ in range(args.warmup):
                    case.run()
                case.queries = _harness.count_queries(case.run, samples=5)
            _harness.measure(cases, requests=args.requests, warmup=0)
        print()
        _harness.print_table(cases)
        _harness.load_notice()


if __name__ == "__main__":
    main()
