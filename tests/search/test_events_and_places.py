"""Search finds events and municipalities (indexed through ``core.changes`` and
``core.searchables``: the search app imports neither events nor their services), and everyday
words such as "Kita", "Pflege" and "Leerstand" find real content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from ortswandel.core.changes import notify_content_changed
from ortswandel.core.models import PublicationStatus
from ortswandel.core.searchables import searchable_source
from ortswandel.events.models import Event, EventFormat
from ortswandel.search.models import SearchDocument
from ortswandel.search.selectors import search
from ortswandel.search.services import search_index_rebuild


def _event(programme, **fields) -> Event:
    start = timezone.now() + dt.timedelta(days=20)
    values = {
        "programme": programme,
        "title": "Werkstatt Leerstandsmanagement",
        "slug": "werkstatt-leerstand",
        "format": EventFormat.ONSITE,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "summary": "Wie Kommunen leerstehende Ladenlokale wieder nutzen.",
        "venue_name": "Rathaus Cottbus",
        "status": PublicationStatus.PUBLISHED,
        "capacity": 10,
    }
    values.update(fields)
    return Event.objects.create(**values)


def _notify(django_capture_on_commit_callbacks, *objects, deleting=False):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify_content_changed(objects=list(objects), deleting=deleting)


def test_events_register_themselves_with_search():
    source = searchable_source("event")
    assert source is not None and source.model is Event


def test_published_events_are_found_and_drafts_are_not(
    db, programme, django_capture_on_commit_callbacks
):
    event = _event(programme)
    draft = _event(programme, title="Geheime Werkstatt", slug="geheim", status="draft")
    _notify(django_capture_on_commit_callbacks, event, draft)
    page = search(query="Leerstand")
    assert [(h.kind, h.title) for h in page.hits] == [("event", event.title)]
    assert page.hits[0].url == event.get_absolute_url()
    assert search(query="Geheime").total == 0
    # Unpublishing reaches the index the same way.
    Event.objects.filter(pk=event.pk).update(status="draft")
    event.refresh_from_db()
    _notify(django_capture_on_commit_callbacks, event)
    assert search(query="Leerstand").total == 0


def test_municipalities_are_found_by_name(db, cottbus, django_capture_on_commit_callbacks):
    _notify(django_capture_on_commit_callbacks, cottbus)
    page = search(query="Cottbus")
    assert page.kind_counts["municipality"] == 1
    hit = page.hits[0]
    assert hit.kind == "municipality"
    assert hit.url == cottbus.get_absolute_url()


def test_rebuild_includes_events_and_municipalities(db, programme, cottbus):
    _event(programme)
    counts = search_index_rebuild()
    assert counts["event"] == 1
    assert counts["municipality"] >= 1
    assert SearchDocument.objects.filter(kind="municipality", object_id=cottbus.pk).exists()


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Kita", "Betreuung in Kitas und Schulen im ländlichen Raum."),
        ("Pflege", "Neue Formen der Pflege älterer Menschen im Dorf."),
        ("Leerstand", "Ein Kataster erfasst den Leerstand in den Ortskernen."),
    ],
)
def test_everyday_words_find_content(make_project, query, text):
    make_project(acronym="DORF", title="Dorfleben", summary=f"<p>{text}</p>")
    make_project(acronym="ANDERS", title="Verkehr", summary="<p>Busse und Bahnen.</p>")
    page = search(query=query)
    assert [h.title for h in page.hits] == ["DORF: Dorfleben"]
