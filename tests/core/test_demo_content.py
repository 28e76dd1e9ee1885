"""``manage.py load_demo_content``: real facts only, idempotent, demo accounts flagged."""

from __future__ import annotations

import datetime as dt
import importlib.machinery
import sys
import types
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from ortswandel.accounts.models import Profile
from ortswandel.accounts.roles import is_programme_editor, is_site_admin
from ortswandel.catalogue import demo
from ortswandel.catalogue.models import (
    NewsItem,
    Organisation,
    Programme,
    ProgrammeKind,
    Project,
    ProjectPartner,
    ProjectStatus,
    Publication,
    Result,
    ResultKind,
    Theme,
    ThemeKind,
)
from ortswandel.catalogue.predicates import is_editor_or_admin
from ortswandel.core.models import PublicationStatus
from ortswandel.municipalities.models import Municipality

pytestmark = pytest.mark.django_db

KI_CONSORTIA = {
    "Infrastruktur und Daseinsvorsorge": {
        "Fokusland",
        "lebenswert",
        "NoLA",
        "TempALand",
        "JuMoWestküste",
        "KoDa_eG",
        "KuDeQua",
        "KOMOBIL2035",
        "iMona",
        "DeWaK",
    },
    "Innenentwicklung mit neuen Instrumenten": {
        "Bürgerfonds",
        "KIF",
        "Ortsinnentwicklung",
        "KOMET",
        "MOSAIK",
        "AktVis",
        "LebensRäume",
        "Flächenmanagement",
    },
    "Partizipation und Innovation in Reallaboren": {
        "KoSI-LAB",
        "TransformBar",
        "WatNu",
        "Kleinstadt_gestalten",
        "CoProGrün",
        "LAZIKN2030",
        "IN²",
        "MIGOEK",
    },
    "Datenmanagement und Entscheidungstools": {"WEBWiKo", "KomMonitor", "NaKoFi", "IER-SEK"},
}
CORE_MESSAGES = [
    "Daseinsvorsorge sichern",
    "Vielfalt leben",
    "Allianzen bilden",
    "Innen entwickeln",
    "Interkommunal agieren",
    "Experimente wagen",
]


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Demo accounts hash their password on every run; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _municipality(ags: str, name: str) -> Municipality:
    return Municipality.objects.create(
        ags=ags,
        ars=f"{ags[:5]}0000{ags[5:]}",
        name=name,
        land_code=ags[:2],
        land_name="x",
        kreis_code=ags[:5],
        kreis_name="x",
    )


def _load(**options) -> str:
    out = StringIO()
    call_command("load_demo_content", stdout=out, **options)
    return out.getvalue()


def _counts() -> dict[str, int]:
    User = get_user_model()  # noqa: N806
    return {
        "programmes": Programme.objects.count(),
        "themes": Theme.objects.count(),
        "projects": Project.objects.count(),
        "project_themes": Project.themes.through.objects.count(),
        "project_municipalities": Project.municipalities.through.objects.count(),
        "organisations": Organisation.objects.count(),
        "partners": ProjectPartner.objects.count(),
        "results": Result.objects.count(),
        "publications": Publication.objects.count(),
        "news": NewsItem.objects.count(),
        "users": User.objects.count(),
        "profiles": Profile.objects.count(),
        "editors": Programme.editors.through.objects.count(),
    }


@pytest.fixture
def essen_and_zeitz(db):
    return [_municipality("05113000", "Essen"), _municipality("15084590", "Zeitz")]


def test_runs_twice_idempotently(essen_and_zeitz):
    _load()
    first = _counts()
    _load()
    assert _counts() == first
    assert first["programmes"] == 3
    assert first["projects"] == 30 + 2 + 15
    # admin, redaktion; calls: bewerbung and four jury logins; participation: moderation, buergerin
    assert first["users"] == 2 + 5 + 2
    # An edit made between two runs is put back to the verified value, not duplicated.
    Project.objects.filter(slug="kommonitor").update(title="geändert")
    _load()
    assert Project.objects.get(slug="kommonitor").title.startswith("Kommunales Monitoring")
    assert _counts() == first


def test_all_thirty_kommunen_innovativ_consortia_under_their_focus_theme():
    _load()
    programme = Programme.objects.get(slug="kommunen-innovativ")
    assert programme.kind == ProgrammeKind.FEDERAL_FUNDING
    assert (programme.start_year, programme.end_year) == (2016, 2020)
    assert "Bildung und Forschung" in programme.funder
    focus = Theme.objects.filter(programme=programme, kind=ThemeKind.FOCUS_THEME)
    assert {t.name for t in focus} == set(KI_CONSORTIA)
    for theme in focus:
        assert {p.acronym for p in theme.projects.all()} == KI_CONSORTIA[theme.name]
    projects = Project.objects.filter(programme=programme)
    assert projects.count() == 30
    for project in projects:
        focus_themes = [t for t in project.themes.all() if t.kind == ThemeKind.FOCUS_THEME]
        assert len(focus_themes) == 1, project.acronym
        assert project.status == PublicationStatus.PUBLISHED
        assert project.project_status == ProjectStatus.COMPLETED
    slugs = set(projects.values_list("slug", flat=True))
    assert {"in2", "buergerfonds", "koda-eg", "jumowestkueste", "coprogruen"} <= slugs
    assert {"kleinstadt-gestalten", "flaechenmanagement", "kosi-lab"} <= slugs


def test_six_core_messages_in_order():
    _load()
    messages = Theme.objects.filter(
        programme__slug="kommunen-innovativ", kind=ThemeKind.CORE_MESSAGE
    ).order_by("position")
    assert [t.name for t in messages] == CORE_MESSAGES
    assert all(t.status == PublicationStatus.PUBLISHED for t in messages)


def test_traum_initiative_fields_of_action_and_workshop_areas():
    _load()
    programme = Programme.objects.get(slug="handlungskompetenz-der-kommunen-staerken")
    assert programme.kind == ProgrammeKind.TRANSFER_INITIATIVE
    assert "T!Raum" in programme.funder
    assert programme.start_year is None  # not verified
    fields = Theme.objects.filter(programme=programme, kind=ThemeKind.FIELD_OF_ACTION)
    assert [t.name for t in fields.order_by("position")] == [
        "Kommunale Strategieentwicklung und Wirtschaftsförderung",
        "Ressourcenmanagement und Klimaanpassung",
        "Partizipative Stadtentwicklung",
    ]
    areas = Theme.objects.filter(programme=programme, kind=ThemeKind.WORKSHOP_AREA)
    assert {t.name for t in areas} == {"Transfer durch KoKreation", "Transfer über Köpfe"}
    kokreation = Project.objects.get(slug="hks-kokreation")
    assert kokreation.start_date == dt.date(2023, 10, 1)
    assert kokreation.end_date is None
    assert kokreation.project_status == ""  # running or not: not verified


def test_meine_stadt_der_zukunft_programme():
    _load()
    programme = Programme.objects.get(slug="meine-stadt-der-zukunft")
    assert programme.kind == ProgrammeKind.STATE_INITIATIVE
    assert programme.status == PublicationStatus.PUBLISHED
    assert "Brandenburg" in programme.funder
    projects = Project.objects.filter(programme=programme)
    assert projects.count() == 15  # eight in round 1, seven in round 2 (MIL, 27.11.2025)
    assert projects.filter(slug__endswith="-2023").count() == 7
    assert set(Theme.objects.filter(programme=programme).values_list("name", flat=True)) == {
        "Klimawandel",
        "Digitalisierung",
        "Gemeinwohl",
    }
    assert projects.get(slug="msdz-brandenburg-an-der-havel-2023").title == (
        "Let´s play Klimaanpassung"
    )


def test_no_invented_fields():
    _load()
    # The data file lists every consortium; "enriched" ones carry facts beyond the acronym and
    # the focus theme.
    data = {p["acronym"]: p for p in demo.programme_data("kommunen-innovativ")["projects"]}
    assert set(data) == {a for acronyms in KI_CONSORTIA.values() for a in acronyms}
    enriched = {
        a for a, p in data.items() if set(p) - {"acronym", "themes"} or len(p["themes"]) > 1
    }
    assert {"KomMonitor", "KIF", "LebensRäume", "KoSI-LAB", "Kleinstadt_gestalten"} <= enriched
    ki = Project.objects.filter(programme__slug="kommunen-innovativ")
    for project in ki:
        # No consortium has a verified exact start date (only years or months are stated).
        assert project.start_date is None, project.acronym
        assert project.funding_amount is None
        assert project.funding_reference == ""
        details = data[project.acronym]
        # Every field that the verified details do not set stays empty.
        assert project.title == details.get("title", ""), project.acronym
        assert project.website == details.get("website", ""), project.acronym
        if "summary" not in details:
            assert project.summary == "", project.acronym
        if "end_date" not in details:
            assert project.end_date is None, project.acronym
        assert project.partnerships.count() == len(details.get("partners", ()))
        if "municipalities" not in details:
            assert not project.municipalities.exists(), project.acronym
        if len(details["themes"]) == 1:  # no core message assigned
            assert [t.kind for t in project.themes.all()] == [ThemeKind.FOCUS_THEME]
    assert ki.filter(title="").count() == 30 - 9
    kommonitor = Project.objects.get(slug="kommonitor")
    assert kommonitor.end_date == dt.date(2021, 3, 31)
    assert kommonitor.partnerships.count() == 5
    assert kommonitor.partnerships.get(role="coordinator").organisation.name == (
        "Hochschule Bochum"
    )
    assert ki.exclude(slug="kommonitor").filter(end_date__isnull=False).count() == 0
    for project in Project.objects.filter(programme__slug="meine-stadt-der-zukunft"):
        assert project.start_date is None and project.end_date is None
        assert project.funding_amount is None
    dstgb = Publication.objects.get(slug="dstgb-dokumentation-kommunen-innovativ")
    assert dstgb.year is None
    assert "Städte- und Gemeindebund" in dstgb.publisher
    # Cited as "Berlin 2020" and as "Berlin 2021" by the programme itself: left empty.
    assert Publication.objects.get(slug="kommunen-innovativ-loesungen-ergebnisband").year is None
    tool = Result.objects.get(slug="kommonitor-software")
    assert tool.kind == ResultKind.TOOL
    assert list(tool.projects.all()) == [kommonitor]
    assert set(Result.objects.values_list("slug", flat=True)) == {
        "kommonitor-software",
        "kommunaler-innenentwicklungsfonds",
        "kleinprojektefonds-weisswasser",
    }
    assert all(r.url and r.status == PublicationStatus.PUBLISHED for r in Result.objects.all())


def test_core_messages_only_where_the_programme_assigns_them():
    _load()
    by_project = {
        p.acronym: {t.slug for t in p.themes.filter(kind=ThemeKind.CORE_MESSAGE)}
        for p in Project.objects.filter(programme__slug="kommunen-innovativ")
    }
    assert by_project["KoSI-LAB"] == {
        "daseinsvorsorge-sichern",
        "allianzen-bilden",
        "experimente-wagen",
    }
    assert by_project["LebensRäume"] == {"innen-entwickeln", "interkommunal-agieren"}
    assert by_project["KomMonitor"] == {"daseinsvorsorge-sichern"}
    assert sum(1 for slugs in by_project.values() if slugs) == 3


def test_model_municipalities_link_by_ags_and_missing_ones_are_skipped(essen_and_zeitz):
    essen, zeitz = essen_and_zeitz
    output = _load()
    assert list(Project.objects.get(slug="kommonitor").municipalities.all()) == [essen]
    assert list(Project.objects.get(slug="hks-kokreation").municipalities.all()) == [zeitz]
    assert Organisation.objects.get(slug="stadt-essen").municipality == essen
    assert Project.objects.get(slug="msdz-potsdam-2023").municipalities.count() == 0
    assert "12054000" in output  # Potsdam reported as missing, not an error


def test_demo_slug_transliterates_german_and_superscripts():
    assert demo.demo_slug("IN²") == "in2"
    assert demo.demo_slug("Bürgerfonds") == "buergerfonds"
    assert demo.demo_slug("KoDa_eG") == "koda-eg"
    assert demo.demo_slug("Transfer über Köpfe") == "transfer-ueber-koepfe"


def test_demo_accounts_are_flagged_and_scoped(settings):
    settings.ORTSWANDEL_DEMO_PASSWORD = "Eigenes-Demo-Passwort-1"
    output = _load()
    User = get_user_model()  # noqa: N806
    admin = User.objects.get(username="admin")
    editor = User.objects.get(username="redaktion")
    for user in (admin, editor):
        assert user.profile.is_demo
        assert "(Demo)" in user.get_full_name()
        assert user.check_password("Eigenes-Demo-Passwort-1")
    assert is_site_admin(admin)
    assert not is_site_admin(editor)
    assert is_programme_editor(editor)
    ki = Programme.objects.get(slug="kommunen-innovativ")
    msdz = Programme.objects.get(slug="meine-stadt-der-zukunft")
    assert is_editor_or_admin.test(editor, ki)
    assert not is_editor_or_admin.test(editor, msdz)
    assert editor.has_perm("catalogue.change_project")
    assert "/konto/anmelden/" in output
    assert "Eigenes-Demo-Passwort-1" in output


def test_default_password_is_documented_and_used(settings):
    settings.ORTSWANDEL_DEMO_PASSWORD = ""
    output = _load()
    from ortswandel.core.management.commands.load_demo_content import DEFAULT_DEMO_PASSWORD

    assert get_user_model().objects.get(username="admin").check_password(DEFAULT_DEMO_PASSWORD)
    assert "ORTSWANDEL_DEMO_PASSWORD" in output


def test_production_requires_an_explicit_demo_password(settings):
    settings.ORTSWANDEL_DEMO_PASSWORD = ""
    with override_settings(PRODUCTION=True), pytest.raises(CommandError):
        _load()
    assert not get_user_model().objects.exists()
    with override_settings(PRODUCTION=True):
        _load(no_accounts=True)
    assert Programme.objects.count() == 3
    assert not get_user_model().objects.exists()


def test_events_demo_module_runs_after_the_catalogue(monkeypatch):
    seen: list[int] = []

    def fake_load(*, stdout=None):
        seen.append(Programme.objects.count())
        return {}

    module = types.ModuleType("ortswandel.events.demo")
    module.__spec__ = importlib.machinery.ModuleSpec("ortswandel.events.demo", None)
    module.load = fake_load  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ortswandel.events.demo", module)
    _load(no_accounts=True)
    assert seen == [3]


def test_demo_news_are_dated_and_published():
    _load()
    news = NewsItem.objects.get(slug="msdz-abschlusskonferenz-2025")
    assert news.published_on == dt.date(2025, 11, 27)
    assert news.status == PublicationStatus.PUBLISHED
    assert "mil.brandenburg.de" in news.body
