"""Content of apps that the search app may not import (same layer or above it, ``.importlinter``)
registers itself here, and the search app indexes it like its own.

An app (e.g. events) registers a :class:`SearchableSource` once at start-up
(``AppConfig.ready``) and tells :mod:`ortswandel.core.changes` when its content changes; the
search app's listener then asks the source to turn the changed objects into documents. The
search app never imports the app; the app never imports search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class SearchableDocument:
    """The flat, public text of one object (``None`` from :attr:`SearchableSource.build` when
    the object must not be found)."""

    title: str
    body: str
    url: str
    programme_id: int = 0
    programme_name: str = ""
    date: dt.date | None = None
    theme_ids: tuple[int, ...] = ()
    land_codes: tuple[str, ...] = ()
    size_classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchableSource:
    #: The document kind (``event``); must be one of the search app's ``DocumentKind`` values.
    kind: str
    model: type[models.Model]
    #: Turn one object (loaded by ``queryset``) into its document, or ``None``.
    build: Callable[[Any], SearchableDocument | None]
    #: All objects that may be searchable, with what ``build`` needs prefetched.
    queryset: Callable[[], models.QuerySet[Any]]
    #: The objects of this kind that show something of other objects (e.g. a programme's name);
    #: optional.
    affected_by: Callable[[Iterable[models.Model]], set[int]] | None = None


_sources: dict[str, SearchableSource] = {}


def register_searchable(source: SearchableSource) -> None:
    """Add (or replace) the source of ``source.kind``."""
    _sources[source.kind] = source


def searchable_sources() -> tuple[SearchableSource, ...]:
    return tuple(_sources.values())


def searchable_source(kind: str) -> SearchableSource | None:
    return _sources.get(kind)


__all__ = [
    "SearchableDocument",
    "SearchableSource",
    "register_searchable",
    "searchable_source",
    "searchable_sources",
]
