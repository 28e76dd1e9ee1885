"""Fixtures for the search tests: municipalities, themes and a factory for published content.

The factories write rows directly and then index them explicitly, as a service does on commit
(:func:`ortswandel.search.services.search_index_update`); a test that changes relations
afterwards calls ``reindex(*objects)``. How the services and the admin keep the index current
is tested in ``test_indexing.py``."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from ortswandel.catalogue.models import (
    NewsItem,
    Project,
    Publication,
    PublicationKind,
    Result,
    ResultKind,
    Theme,
    ThemeKind,
)
from ortswandel.core.models import PublicationStatus
from ortswandel.municipalities.models import Municipality
from ortswandel.search.services import search_index_update

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT
_counter = itertools.count(1)


def _municipality(ags: str, name: str, land: str, population: int) -> Municipality:
    from ortswandel.municipalities.models import LAND_NAMES

    return Municipality.objects.create(
        ags=ags,
        ars=f"{ags[:5]}0000{ags[5:]}",
        name=name,
        land_code=ags[:2],
        land_name=LAND_NAMES[ags[:2]],
        kreis_code=ags[:5],
        kreis_name="Testkreis",
        population=population,
    )


@pytest.fixture
def cottbus(db) -> Municipality:
    return _municipality("12052000", "Cottbus/Chóśebuz, Stadt", "12", 98_000)


@pytest.fixture
def small_brandenburg(db) -> Municipality:
    return _municipality("12060005", "Ahrensfelde", "12", 3_000)


@pytest.fixture
def small_bavaria(db) -> Municipality:
    return _municipality("09162000", "Dorf in Bayern", "09", 2_500)


@pytest.fixture
def big_bavaria(db) -> Municipality:
    return _municipality("09564000", "Großstadt in Bayern", "09", 500_000)


@pytest.fixture
def theme(programme) -> Theme:
    return Theme.objects.create(
        programme=programme,
        kind=ThemeKind.FOCUS_THEME,
        name="Daseinsvorsorge",
        slug="daseinsvorsorge",
        status=PUBLISHED,
    )


@pytest.fixture
def make_project(programme):
    def make(acronym: str = "", title: str = "", summary: str = "", **kwargs: Any) -> Project:
        n = next(_counter)
        kwargs.setdefault("status", PUBLISHED)
        kwargs.setdefault("programme", programme)
        project = Project.objects.create(
            acronym=acronym or f"PRJ{n}",
            slug=f"projekt-{n}",
            title=title,
            summary=summary,
            **kwargs,
        )
        search_index_update(objects=[project])
        return project

    return make


@pytest.fixture
def make_result(programme):
    def make(title: str, summary: str = "", **kwargs: Any) -> Result:
        n = next(_counter)
        kwargs.setdefault("status", PUBLISHED)
        kwargs.setdefault("programme", programme)
        kwargs.setdefault("kind", ResultKind.GUIDELINE)
        result = Result.objects.create(title=title, slug=f"ergebnis-{n}", summary=summary, **kwargs)
        search_index_update(objects=[result])
        return result

    return make


@pytest.fixture
def make_publication(programme):
    def make(title: str, summary: str = "", **kwargs: Any) -> Publication:
        n = next(_counter)
        kwargs.setdefault("status", PUBLISHED)
        kwargs.setdefault("programme", programme)
        kwargs.setdefault("kind", PublicationKind.REPORT)
        publication = Publication.objects.create(
            title=title, slug=f"publikation-{n}", summary=summary, **kwargs
        )
        search_index_update(objects=[publication])
        return publication

    return make


@pytest.fixture
def make_news(programme):
    def make(title: str, body: str = "", **kwargs: Any) -> NewsItem:
        import datetime as dt

        n = next(_counter)
        kwargs.setdefault("status", PUBLISHED)
        kwargs.setdefault("programme", programme)
        kwargs.setdefault("published_on", dt.date(2025, 3, 1))
        news = NewsItem.objects.create(title=title, slug=f"meldung-{n}", body=body, **kwargs)
        search_index_update(objects=[news])
        return news

    return make


@pytest.fixture
def reindex():
    """Index objects whose relations a test changed after creating them."""

    def run(*objects: Any) -> None:
        search_index_update(objects=objects)

    return run
