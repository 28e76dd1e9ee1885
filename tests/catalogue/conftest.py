"""Catalogue fixtures: two published programmes with themes, projects, partners, municipalities,
results, publications and news — plus drafts that must never show up publicly."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

import pytest

from ortswandel.catalogue.models import (
    NewsItem,
    Organisation,
    OrganisationKind,
    PartnerRole,
    Programme,
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
from ortswandel.municipalities.models import LAND_NAMES, Municipality, SizeClass

PUB = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT


def make_municipality(ags: str, name: str, population: int) -> Municipality:
    return Municipality.objects.create(
        ags=ags,
        ars=ags[:5] + "0000" + ags[5:],
        name=name,
        land_code=ags[:2],
        land_name=LAND_NAMES[ags[:2]],
        kreis_code=ags[:5],
        kreis_name=f"Kreis {ags[:5]}",
        population=population,
        size_class=SizeClass.for_population(population),
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users are created in many tests; a fast hasher keeps the suite quick (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Facet counts are cached; every test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class Catalogue:
    programme: Programme
    other_programme: Programme
    draft_programme: Programme
    theme_a: Theme
    theme_b: Theme
    theme_other: Theme
    theme_draft: Theme
    alpha: Project
    beta: Project
    gamma: Project
    delta: Project
    draft_project: Project
    hidden_project: Project  # published, but in the draft programme
    coordinator: Organisation
    town: Organisation
    small: Municipality
    medium: Municipality
    city: Municipality
    result: Result
    result_other: Result
    draft_result: Result
    publication: Publication
    draft_publication: Publication
    news: NewsItem
    news_old: NewsItem
    draft_news: NewsItem


def _indexing_paused():
    """The search app indexes on every save; these fixtures do not need the index."""
    try:
        from ortswandel.search.services import search_indexing_paused
    except ImportError:  # search app not present
        return contextlib.nullcontext()
    return search_indexing_paused()


@pytest.fixture
def catalogue(programme, other_programme) -> Catalogue:
    with _indexing_paused():
        return _build_catalogue(programme, other_programme)


def _build_catalogue(programme, other_programme) -> Catalogue:
    programme.funder = "Bundesministerium für Bildung und Forschung (BMBF)"
    programme.summary = "Kommunen erproben neue Wege."
    programme.start_year, programme.end_year = 2016, 2024
    programme.save()
    draft_programme = Programme.objects.create(
        name="Geheimes Programm", slug="geheim", kind="federal_funding", status=DRAFT
    )
    theme_a = Theme.objects.create(
        programme=programme,
        kind=ThemeKind.FOCUS_THEME,
        name="Daseinsvorsorge",
        slug="daseinsvorsorge",
        status=PUB,
    )
    theme_b = Theme.objects.create(
        programme=programme,
        kind=ThemeKind.CORE_MESSAGE,
        name="Flächen sparen",
        slug="flaechen-sparen",
        status=PUB,
    )
    theme_other = Theme.objects.create(
        programme=other_programme,
        kind=ThemeKind.FIELD_OF_ACTION,
        name="Wohnen",
        slug="wohnen",
        status=PUB,
    )
    theme_draft = Theme.objects.create(
        programme=programme,
        kind=ThemeKind.FOCUS_THEME,
        name="Entwurfsthema",
        slug="entwurfsthema",
        status=DRAFT,
    )
    small = make_municipality("12054000", "Kleinort", 3_000)
    medium = make_municipality("03101000", "Mittelstadt", 40_000)
    city = make_municipality("09162000", "Großstadt", 1_500_000)

    def project(
        acronym, prog, start, end, *, status=PUB, project_status=ProjectStatus.RUNNING, **kw
    ):
        return Project.objects.create(
            programme=prog,
            acronym=acronym,
            slug=acronym.lower(),
            title=f"Titel {acronym}",
            start_date=start,
            end_date=end,
            status=status,
            project_status=project_status,
            **kw,
        )

    alpha = project(
        "ALPHA",
        programme,
        dt.date(2016, 6, 1),
        dt.date(2019, 5, 31),
        project_status=ProjectStatus.COMPLETED,
        funding_amount=1234567,
        funding_reference="033L123A",
        summary="<p>Ein <strong>Projekt</strong></p>",
    )
    beta = project("BETA", programme, dt.date(2018, 1, 1), dt.date(2021, 12, 31))
    gamma = project("GAMMA", other_programme, dt.date(2020, 1, 1), dt.date(2023, 6, 30))
    delta = project(
        "DELTA", programme, dt.date(2022, 1, 1), None, project_status=ProjectStatus.PLANNED
    )
    draft_project = project("ENTWURF", programme, dt.date(2018, 1, 1), None, status=DRAFT)
    hidden_project = project("VERSTECKT", draft_programme, dt.date(2018, 1, 1), None)
    alpha.themes.set([theme_a, theme_b, theme_draft])
    beta.themes.set([theme_a])
    gamma.themes.set([theme_other])
    draft_project.themes.set([theme_a])
    alpha.municipalities.set([small, medium])
    beta.municipalities.set([city])
    gamma.municipalities.set([small])
    draft_project.municipalities.set([small])
    coordinator = Organisation.objects.create(
        name="Institut für Raumforschung",
        slug="ifr",
        kind=OrganisationKind.RESEARCH_INSTITUTE,
        municipality=city,
        website="https://ifr.example.org",
    )
    town = Organisation.objects.create(
        name="Gemeinde Kleinort",
        slug="gemeinde-kleinort",
        kind=OrganisationKind.MUNICIPALITY,
        municipality=small,
    )
    ProjectPartner.objects.create(
        project=alpha, organisation=town, role=PartnerRole.MUNICIPAL_PARTNER
    )
    ProjectPartner.objects.create(
        project=alpha, organisation=coordinator, role=PartnerRole.COORDINATOR
    )
    ProjectPartner.objects.create(
        project=draft_project, organisation=coordinator, role=PartnerRole.COORDINATOR
    )
    result = Result.objects.create(
        title="Leitfaden Daseinsvorsorge",
        slug="leitfaden-daseinsvorsorge",
        kind=ResultKind.GUIDELINE,
        programme=programme,
        status=PUB,
        year=2019,
        target_group="Kommunalverwaltung",
        url="https://example.org/leitfaden",
        is_featured=True,
    )
    result.themes.set([theme_a])
    result.projects.set([alpha])
    result_other = Result.objects.create(
        title="Wohnraumrechner",
        slug="wohnraumrechner",
        kind=ResultKind.TOOL,
        programme=other_programme,
        status=PUB,
        year=2022,
        target_group="Politik",
    )
    result_other.themes.set([theme_other])
    draft_result = Result.objects.create(
        title="Unfertiges Instrument",
        slug="unfertig",
        kind=ResultKind.INSTRUMENT,
        programme=programme,
        status=DRAFT,
    )
    publication = Publication.objects.create(
        title="Abschlussbericht",
        slug="abschlussbericht",
        kind=PublicationKind.REPORT,
        programme=programme,
        status=PUB,
        year=2020,
        authors="A. Autorin",
    )
    publication.projects.set([alpha])
    draft_publication = Publication.objects.create(
        title="Entwurfsbericht",
        slug="entwurfsbericht",
        kind=PublicationKind.REPORT,
        programme=programme,
        status=DRAFT,
    )
    news = NewsItem.objects.create(
        title="Konferenz in Berlin",
        slug="konferenz",
        programme=programme,
        status=PUB,
        published_on=dt.date(2024, 5, 2),
        teaser="Die Abschlusskonferenz & mehr.",
    )
    news_old = NewsItem.objects.create(
        title="Start der Projekte",
        slug="start",
        programme=other_programme,
        status=PUB,
        published_on=dt.date(2020, 1, 15),
        body="<p>Los geht's</p>",
    )
    draft_news = NewsItem.objects.create(
        title="Noch geheim",
        slug="noch-geheim",
        programme=programme,
        status=DRAFT,
        published_on=dt.date(2024, 6, 1),
    )
    return Catalogue(
        programme=programme,
        other_programme=other_programme,
        draft_programme=draft_programme,
        theme_a=theme_a,
        theme_b=theme_b,
        theme_other=theme_other,
        theme_draft=theme_draft,
        alpha=alpha,
        beta=beta,
        gamma=gamma,
        delta=delta,
        draft_project=draft_project,
        hidden_project=hidden_project,
        coordinator=coordinator,
        town=town,
        small=small,
        medium=medium,
        city=city,
        result=result,
        result_other=result_other,
        draft_result=draft_result,
        publication=publication,
        draft_publication=draft_publication,
        news=news,
        news_old=news_old,
        draft_news=draft_news,
    )
