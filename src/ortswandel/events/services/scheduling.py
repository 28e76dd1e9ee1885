"""Scheduled publishing of events and series (see :mod:`ortswandel.core.scheduling`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ortswandel.core import scheduling, versions
from ortswandel.core.changes import notify_content_changed
from ortswandel.events.models import Event, EventSeries


def _changed(objects: list[Any]) -> None:
    versions.bump_on_commit(versions.EVENTS)
    notify_content_changed(objects=objects)


def events_publish_due(*, now: dt.datetime | None = None) -> list[Any]:
    """Publish events and series whose ``publish_at`` has come (job
    ``events.publish_scheduled``)."""
    return scheduling.publish_due(models=(EventSeries, Event), changed=_changed, now=now)
