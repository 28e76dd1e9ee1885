"""The events' part in the site search: published events of public programmes become search
documents through :mod:`ortswandel.core.searchables` (the search app sits beside events in the
layer order and may not import it). Changes reach the index through
:func:`ortswandel.core.changes.notify_content_changed`, called by the event admin."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone, translation
from django.utils.html import strip_tags

from ortswandel.catalogue.models import Programme, Theme
from ortswandel.core.models import PublicationStatus
from ortswandel.core.searchables import SearchableDocument, SearchableSource

from .models import Event


def _text(value: str) -> str:
    return " ".join(strip_tags(value or "").split())


def event_document(event: Event) -> SearchableDocument | None:
    if not event.is_public:
        return None
    themes = [t for t in event.themes.all() if t.status == PublicationStatus.PUBLISHED]
    body = " ".join(
        part
        for part in (
            event.summary,
            _text(event.description),
            event.get_kind_display(),
            event.get_format_display(),
            event.venue_name,
            event.venue_address,
            event.organiser,
            " ".join(t.name for t in themes),
        )
        if part
    )
    with translation.override("de"):
        url = event.get_absolute_url()
    return SearchableDocument(
        title=event.title,
        body=body,
        url=url,
        programme_id=event.programme_id,
        programme_name=str(event.programme),
        date=timezone.localtime(event.starts_at).date() if event.starts_at else None,
        theme_ids=tuple(t.pk for t in themes),
    )


def _events() -> models.QuerySet[Any]:
    return Event.objects.select_related("programme").prefetch_related("themes")


def _affected(objects: Iterable[models.Model]) -> set[int]:
    """Events that show a changed programme's name and status or a theme's name."""
    programmes = [o.pk for o in objects if isinstance(o, Programme)]
    themes = [o.pk for o in objects if isinstance(o, Theme)]
    ids: set[int] = set()
    if programmes:
        ids |= set(Event.objects.filter(programme__in=programmes).values_list("pk", flat=True))
    if themes:
        ids |= set(Event.objects.filter(themes__in=themes).values_list("pk", flat=True))
    return ids


SOURCE = SearchableSource(
    kind="event", model=Event, build=event_document, queryset=_events, affected_by=_affected
)
