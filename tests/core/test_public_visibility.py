"""One rule for "public": every model with a public face has ``public()`` (and ``is_public`` for a
loaded object, and ``public_q()`` for joins), each tested with a draft, a published row in a
hidden (draft) programme and a published row in a public programme."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ortswandel.catalogue.models import (
    NewsItem,
    Organisation,
    Programme,
    Project,
    ProjectPartner,
    Publication,
    Result,
    Theme,
)
from ortswandel.core.models import PublicationStatus
from ortswandel.events.models import Event, EventSeries

pytestmark = pytest.mark.django_db

PUB, DRAFT = PublicationStatus.PUBLISHED, PublicationStatus.DRAFT


@pytest.fixture
def hidden_programme():
    return Programme.objects.create(
        name="Verborgen", slug="verborgen", kind="federal_funding", status=DRAFT
    )


def _make(model, programme, status, n):
    start = timezone.now() + dt.timedelta(days=10)
    fields = {
        Theme: {"kind": "focus_theme", "name": f"Thema {n}"},
        Project: {"acronym": f"P{n}"},
        Result: {"title": f"Ergebnis {n}", "kind": "tool"},
        Publication: {"title": f"Publikation {n}", "kind": "report"},
        NewsItem: {"title": f"Meldung {n}", "published_on": dt.date(2024, 1, 1)},
        EventSeries: {"title": f"Reihe {n}"},
        Event: {"title": f"Termin {n}", "starts_at": start, "ends_at": start},
    }[model]
    slug = f"{model.__name__.lower()}-{n}"
    return model.objects.create(programme=programme, status=status, slug=slug, **fields)


PROGRAMME_CONTENT = [Theme, Project, Result, Publication, NewsItem, EventSeries, Event]


@pytest.mark.parametrize("model", PROGRAMME_CONTENT, ids=lambda m: m.__name__)
def test_public_is_published_in_a_public_programme(model, programme, hidden_programme):
    draft = _make(model, programme, DRAFT, 1)
    hidden = _make(model, hidden_programme, PUB, 2)
    visible = _make(model, programme, PUB, 3)
    assert list(model.objects.public()) == [visible]
    # the same rule for one loaded object and inside a join
    assert [o.is_public for o in (draft, hidden, visible)] == [False, False, True]
    assert list(model.objects.filter(model.public_q())) == [visible]
    # published() alone is the row's own state and would let the hidden one through
    assert set(model.objects.published()) == {hidden, visible}


def test_programme_public_is_published(programme, hidden_programme):
    assert list(Programme.objects.public()) == [programme]
    assert programme.is_public and not hidden_programme.is_public


def test_project_partners_public_follows_the_project(programme, hidden_programme):
    organisation = Organisation.objects.create(name="Verein", slug="verein", kind="association")
    partners = {
        key: ProjectPartner.objects.create(
            project=_make(Project, prog, status, n), organisation=organisation, role="coordinator"
        )
        for n, (key, prog, status) in enumerate(
            [
                ("draft", programme, DRAFT),
                ("hidden", hidden_programme, PUB),
                ("visible", programme, PUB),
            ]
        )
    }
    assert list(ProjectPartner.objects.public()) == [partners["visible"]]
    # organisations have no draft state: all of them have a public page
    assert list(Organisation.objects.public()) == [organisation]


def test_public_q_reaches_through_relations(programme, hidden_programme):
    """``public_q(prefix)`` is the rule as seen from another model (annotations, subqueries)."""
    visible = _make(Project, programme, PUB, 1)
    _make(Project, hidden_programme, PUB, 2)
    _make(Project, programme, DRAFT, 3)
    through = Project.themes.through
    theme = _make(Theme, programme, PUB, 4)
    hidden_theme = _make(Theme, hidden_programme, PUB, 5)
    visible.themes.set([theme, hidden_theme])
    rows = through.objects.filter(Theme.public_q("theme__")).values_list("theme_id", flat=True)
    assert list(rows) == [theme.pk]
    ids = Programme.objects.filter(Project.public_q("projects__")).values_list("pk", flat=True)
    assert list(ids) == [programme.pk]


def test_pages_and_api_follow_public(client, programme, hidden_programme):
    """Public pages, feeds and the API read through ``public()``: an event or a result published
    in a hidden programme is a 404 everywhere, like a draft."""
    hidden_event = _make(Event, hidden_programme, PUB, 1)
    visible_event = _make(Event, programme, PUB, 2)
    hidden_result = _make(Result, hidden_programme, PUB, 3)
    assert client.get(visible_event.get_absolute_url()).status_code == 200
    assert client.get(hidden_event.get_absolute_url()).status_code == 404
    assert client.get(f"/api/events/{hidden_event.pk}").status_code == 404
    assert client.get(hidden_result.get_absolute_url()).status_code == 404
    listing = client.get("/veranstaltungen/").content.decode()
    assert visible_event.title in listing and hidden_event.title not in listing
