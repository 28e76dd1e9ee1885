"""The import of collected public facts (``import_content``): idempotent, all-or-nothing,
municipalities matched by name and Land only when unique, sources shown beside the facts, and
the back-office list of missing information."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from ortswandel.catalogue.content_import import (
    ContentImportError,
    import_content,
    parse_partial_date,
)
from ortswandel.catalogue.models import (
    Citation,
    DatePrecision,
    Organisation,
    PartnerRole,
    Programme,
    ProgrammeKind,
    Project,
    Result,
    ResultKind,
    Theme,
    ThemeKind,
)
from ortswandel.catalogue.templatetags.catalogue_tags import localized, period
from ortswandel.core.models import AuditEntry, PublicationStatus
from ortswandel.events.models import Event
from ortswandel.municipalities.models import LAND_NAMES, Municipality
from tests.permissions_matrix import (
    DENIED,
    LOGIN,
    OK,
    PROGRAMME_ROLES,
    Matrix,
    check_response,
    login_as,
)

PUB = PublicationStatus.PUBLISHED
SRC = "https://kommunen-innovativ.de/beispiel"
REAL_FACTS = Path(__file__).resolve().parents[3] / "shared" / "content" / "facts.json"


def _municipality(ags: str, name: str) -> Municipality:
    return Municipality.objects.create(
        ags=ags,
        ars=f"{ags[:5]}0000{ags[5:]}",
        name=name,
        land_code=ags[:2],
        land_name=LAND_NAMES[ags[:2]],
        kreis_code=ags[:5],
        kreis_name="x",
    )


def _facts() -> list[dict]:
    return [
        {
            "record_type": "programme",
            "id": "kommunen-innovativ",
            "name": "Kommunen innovativ",
            "funder": "BMBF",
            "facts": [{"fact": "Im August 2014 ins Leben gerufen.", "source": SRC + "/start"}],
        },
        {
            "record_type": "ki_project",
            "acronym": "KomMonitor",
            "title_de": "Kommunales Monitoring zur Raumentwicklung",
            "title_source": SRC + "/titel",
            "focus_theme": "Datenmanagement und Entscheidungstools",
            "focus_theme_source": SRC,
            "period": {"start": "2017-03", "end": "2021-03-31", "source": [SRC + "/laufzeit"]},
            "lead_partner": {
                "name": "Hochschule Bochum",
                "type": "university",
                "role": "Koordination",
                "source": SRC,
            },
            "partners": [
                {"name": "Hochschule Bochum", "type": "university", "role": "x", "source": SRC},
                {"name": "Stadt Essen (Essen)", "type": "municipality", "role": "x", "source": SRC},
                {"name": "InWIS, Bochum", "type": "research institute", "role": "x", "source": SRC},
            ],
            "municipalities": [
                {
                    "name": "Essen",
                    "land": "Nordrhein-Westfalen",
                    "source": SRC,
                    "land_stated_in_source": False,
                },
                {
                    "name": "Verbandsgemeinde Rockenhausen / Nordpfälzer Land",
                    "land": "Rheinland-Pfalz",
                    "source": SRC,
                    "land_stated_in_source": True,
                },
                {
                    "name": "Altenfeld",
                    "land": "Thüringen",
                    "source": SRC,
                    "land_stated_in_source": True,
                },
            ],
            "website": "https://kommonitor.de/",
            "summary_de": "Ein Monitoring <für> Städte.",
            "sources": [SRC + "/projekt"],
        },
        {
            "record_type": "ki_result",
            "project": "KomMonitor",
            "name": "KomMonitor (Software)",
            "kind": "tool",
            "description": "Open-Source-Werkzeug.",
            "url": "https://kommonitor.de/",
            "source": SRC + "/ergebnis",
        },
        {
            "record_type": "ki_result",
            "project": "KomMonitor",
            "name": "Leitfaden Monitoring",
            "kind": "guideline",
            "source": SRC + "/leitfaden",
        },
        {
            "record_type": "event",
            "programme": "Kommunen innovativ",
            "name": "1. Fachkonferenz",
            "date_start": "2017-09-19",
            "date_end": "2017-09-20",
            "place": "Hamburg-Wilhelmsburg",
            "facts_de": "Erstes Treffen aller Vorhaben.",
            "sources": [SRC + "/konferenz"],
        },
        {"record_type": "note", "topic": "x", "text_de": "y", "sources": [SRC]},
    ]


@pytest.fixture
def ki(db):
    programme = Programme.objects.create(
        name="Kommunen innovativ",
        slug="kommunen-innovativ",
        kind=ProgrammeKind.FEDERAL_FUNDING,
        status=PUB,
    )
    Theme.objects.create(
        programme=programme,
        kind=ThemeKind.FOCUS_THEME,
        name="Datenmanagement und Entscheidungstools",
        slug="datenmanagement",
        status=PUB,
    )
    Organisation.objects.create(
        name="Hochschule Bochum", slug="hochschule-bochum", kind="university"
    )
    _municipality("05113000", "Essen, Stadt")
    _municipality("16070004", "Großbreitenbach, Stadt")
    return programme


def _write(tmp_path: Path, records) -> Path:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def _snapshot() -> dict[str, object]:
    return {
        "projects": list(Project.objects.values().order_by("pk")),
        "results": list(Result.objects.values().order_by("pk")),
        "organisations": list(Organisation.objects.values().order_by("pk")),
        "citations": list(Citation.objects.values().order_by("pk")),
        "partners": list(Project.partners.through.objects.values().order_by("pk")),
        "places": list(Project.municipalities.through.objects.values().order_by("pk")),
        "events": list(Event.objects.values().order_by("pk")),
        "audit": AuditEntry.objects.count(),
    }


def test_import_fills_facts_with_their_sources(ki, tmp_path):
    report = import_content(path=_write(tmp_path, _facts()))
    project = Project.objects.get(acronym="KomMonitor")
    assert project.status == PUB
    assert project.title == "Kommunales Monitoring zur Raumentwicklung"
    assert project.summary == "<p>Ein Monitoring &lt;für&gt; Städte.</p>"  # text, not markup
    assert (project.start_date, project.start_precision) == (dt.date(2017, 3, 1), "month")
    assert (project.end_date, project.end_precision) == (dt.date(2021, 3, 31), "day")
    assert period(project) == "03/2017 – 03/2021"
    assert [t.name for t in project.themes.all()] == ["Datenmanagement und Entscheidungstools"]
    # Partners deduplicated by name (place in brackets or after a comma ignored); the lead
    # partner is the coordinator once, not a second time as a partner.
    roles = {(p.organisation.name, p.role) for p in project.partnerships.all()}
    assert roles == {
        ("Hochschule Bochum", PartnerRole.COORDINATOR),
        ("Stadt Essen (Essen)", PartnerRole.MUNICIPAL_PARTNER),
        ("InWIS, Bochum", PartnerRole.RESEARCH_PARTNER),
    }
    assert Organisation.objects.filter(name="Hochschule Bochum").count() == 1
    # Only the unique match is linked; the rest is reported, not guessed.
    assert [m.ags for m in project.municipalities.all()] == ["05113000"]
    unresolved = {(u.name, u.reason.split(" ")[0]) for u in report.unresolved}
    assert unresolved == {
        ("Verbandsgemeinde Rockenhausen / Nordpfälzer Land", "keine"),
        ("Altenfeld", "nicht"),
    }
    assert report.inferred_land == [
        "KomMonitor: Essen → 05113000 (Nordrhein-Westfalen, Land nicht in der Quelle)"
    ]
    assert report.skipped == {"note": 1}
    # Events are imported by the events app (registered handler), past and dated only.
    event = Event.objects.get(title="1. Fachkonferenz")
    assert event.time_unknown and not event.registration_enabled
    assert event.venue_name == "Hamburg-Wilhelmsburg"
    assert timezone.localtime(event.starts_at).date() == dt.date(2017, 9, 19)
    assert Citation.objects.of(event).get().url == SRC + "/konferenz"
    # Every filled field names its source.
    cited = {c.field: c.url for c in Citation.objects.of(project)}
    assert cited["title"] == SRC + "/titel"
    assert cited["period"] == SRC + "/laufzeit"
    assert cited["summary"] == SRC + "/projekt"
    results = {r.title: r for r in Result.objects.all()}
    assert results["KomMonitor (Software)"].kind == ResultKind.TOOL
    assert results["Leitfaden Monitoring"].kind == ResultKind.GUIDELINE
    assert results["Leitfaden Monitoring"].summary == ""  # no description in the source: empty
    assert list(results["KomMonitor (Software)"].projects.all()) == [project]
    assert Citation.objects.of(results["Leitfaden Monitoring"]).get().url == SRC + "/leitfaden"
    programme = Programme.objects.get(slug="kommunen-innovativ")
    assert programme.funder == "BMBF"
    statement = Citation.objects.of(programme).get(field="facts")
    assert statement.statement == "Im August 2014 ins Leben gerufen."


def test_a_second_run_changes_nothing(ki, tmp_path):
    path = _write(tmp_path, _facts())
    import_content(path=path)
    before = _snapshot()
    report = import_content(path=path)
    assert report.changed == 0
    assert _snapshot() == before


def test_facts_take_over_the_hand_written_result_they_describe(ki, tmp_path):
    project = Project.objects.create(
        programme=ki, acronym="KomMonitor", slug="kommonitor", status=PUB
    )
    handmade = Result.objects.create(
        programme=ki,
        title="KomMonitor – Software",
        slug="kommonitor-software",
        kind=ResultKind.TOOL,
        url="https://kommonitor.de/",
        status=PUB,
    )
    handmade.projects.add(project)
    import_content(path=_write(tmp_path, _facts()))
    import_content(path=_write(tmp_path, _facts()))
    assert Result.objects.count() == 2
    handmade.refresh_from_db()
    assert handmade.title == "KomMonitor (Software)"  # facts win where they have a source


def test_a_broken_file_loads_nothing_and_says_why(ki, tmp_path):
    path = tmp_path / "facts.json"
    path.write_text('[{"record_type": "ki_project", ', encoding="utf-8")
    with pytest.raises(ContentImportError, match="kein gültiges JSON"):
        import_content(path=path)
    # A bad record late in the file rolls back everything before it.
    records = _facts()
    records[1]["period"]["end"] = "2021-13"
    with pytest.raises(ContentImportError, match=r"period\.end"):
        import_content(path=_write(tmp_path, records))
    assert not Project.objects.exists()
    assert not Result.objects.exists()
    assert not Citation.objects.exists()
    assert Organisation.objects.count() == 1
    err = StringIO()
    with pytest.raises(CommandError, match="Nichts importiert") as raised:
        call_command("import_content", path=tmp_path / "missing.json", stderr=err)
    assert raised.value.returncode == 2


def test_unknown_record_types_are_refused(ki, tmp_path):
    with pytest.raises(ContentImportError, match="record_type"):
        import_content(path=_write(tmp_path, [{"record_type": "rumour"}]))


def test_command_lists_unresolved_places(ki, tmp_path, settings):
    _write(tmp_path, _facts())
    settings.ORTSWANDEL_CONTENT_DIR = tmp_path
    out = StringIO()
    call_command("import_content", stdout=out)
    text = out.getvalue()
    assert "Nicht zugeordnete Orte (2" in text
    assert "Verbandsgemeinde Rockenhausen / Nordpfälzer Land" in text
    assert "Land nicht in der Quelle" in text


def test_partial_dates_keep_their_precision():
    assert parse_partial_date("2016", where="x") == (dt.date(2016, 1, 1), DatePrecision.YEAR)
    assert parse_partial_date("2016-06", where="x") == (dt.date(2016, 6, 1), DatePrecision.MONTH)
    assert parse_partial_date(None, where="x") is None
    with pytest.raises(ContentImportError):
        parse_partial_date("Ende 2019", where="x")


def test_project_page_shows_the_source_beside_the_fact(ki, tmp_path, client):
    import_content(path=_write(tmp_path, _facts()))
    html = client.get("/projekte/kommonitor/").content.decode()
    assert 'Quelle: <a href="https://kommunen-innovativ.de/beispiel/titel"' in html
    assert 'href="https://kommunen-innovativ.de/beispiel/laufzeit"' in html
    result = Result.objects.get(title="Leitfaden Monitoring")
    html = client.get(result.get_absolute_url()).content.decode()
    assert 'Quelle: <a href="https://kommunen-innovativ.de/beispiel/leitfaden"' in html
    html = client.get(Event.objects.get().get_absolute_url()).content.decode()
    assert 'Quelle: <a href="https://kommunen-innovativ.de/beispiel/konferenz"' in html
    html = client.get("/programme/kommunen-innovativ/").content.decode()
    assert "Im August 2014 ins Leben gerufen." in html
    assert 'href="https://kommunen-innovativ.de/beispiel/start"' in html


def test_english_site_falls_back_to_german_marked(ki):
    project = Project(programme=ki, acronym="X", slug="x", title="Ortskerne stärken")
    with translation.override("de"):
        assert str(localized(project, "title")) == "Ortskerne stärken"
    with translation.override("en"):
        html = str(localized(project, "title"))
        assert '<span lang="de">Ortskerne stärken</span>' in html
        assert "(German only)" in html
        project.title_en = "Strengthening town centres"
        assert str(localized(project, "title")) == "Strengthening town centres"


MISSING = Matrix(
    roles=PROGRAMME_ROLES,
    rows={"programme": (LOGIN, DENIED, OK, DENIED, OK)},
)


@MISSING.parametrize("row")
def test_missing_information_permissions(client, request, programme, row, role, expected):  # noqa: PLR0917
    Project.objects.create(programme=programme, acronym="LÜCKE", slug="luecke", status=PUB)
    login_as(client, request, role)
    url = reverse("catalogue:missing_information", kwargs={"slug": programme.slug})
    response = client.get(url)
    check_response(response, expected, role=role, what=row, secrets=["LÜCKE"])


def test_missing_information_counts_gaps(client, site_admin, ki, tmp_path):
    import_content(path=_write(tmp_path, _facts()))
    Project.objects.create(programme=ki, acronym="LEER", slug="leer", status=PUB)
    client.force_login(site_admin)
    response = client.get(reverse("catalogue:missing_information", kwargs={"slug": ki.slug}))
    html = response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "2 Projekte" in html
    # LEER lacks everything, KomMonitor nothing: one project with and one without each fact.
    assert html.count("<td>1</td><td>1</td>") == 7
    assert "Volltitel, Zusammenfassung" in html
    assert "Altenfeld" in html  # the unresolved place from the last import


@pytest.mark.skipif(not REAL_FACTS.exists(), reason="../shared/content/facts.json not present")
def test_the_collected_facts_file_reads_cleanly():
    from ortswandel.catalogue.content_import import read_facts

    records = read_facts(REAL_FACTS)
    assert len(records) == 155
    assert sum(1 for r in records if r["record_type"] == "ki_result") == 93
    assert {r["kind"] for r in records if r["record_type"] == "ki_result"} <= set(ResultKind)


def test_reloading_the_demo_keeps_the_sourced_facts(db, tmp_path, settings):
    """The hand-written demo data and the facts: the facts win where they cite a source, also
    when ``load_demo_content`` runs again after the import (one source of truth per field)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo_content", stdout=StringIO())
    records = [r for r in _facts() if r["record_type"] in ("ki_project", "ki_result")]
    records[0]["title_de"] = "Titel laut Quelle"
    path = _write(tmp_path, records)
    import_content(path=path)
    call_command("load_demo_content", stdout=StringIO())
    project = Project.objects.get(slug="kommonitor")
    assert project.title == "Titel laut Quelle"
    assert project.start_date == dt.date(2017, 3, 1)
    assert import_content(path=path).changed == 0
