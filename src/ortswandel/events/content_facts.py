"""The events' part in the content import (``import_content``, ``record_type: event``).

The catalogue's importer cannot import events (events sit above it), so events register a
handler (:func:`ortswandel.catalogue.content_import.register_record_handler`). Each sourced
event becomes a published, past event of its programme: dates only (``time_unknown``), on site
at the place the source names, without online registration; its sources are cited. Events the
events demo data already describes in detail (matched by programme and start day, e.g. the
Herbst-Konferenz 2020 series) are left to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ortswandel.catalogue.content_import import ContentImportError, RecordContext
from ortswandel.catalogue.demo import demo_slug
from ortswandel.core.models import PublicationStatus

from .models import Event, EventFormat, EventKind

PROGRAMMES = {"Kommunen innovativ": "kommunen-innovativ"}


def _day(value: Any, *, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ContentImportError(f"{where}: Datum {value!r} ist nicht JJJJ-MM-TT.") from None


def import_event_records(records: list[dict[str, Any]], context: RecordContext) -> None:
    zone = timezone.get_default_timezone()
    for index, record in enumerate(records, start=1):
        where = f"event {index} ({record.get('name')})"
        programme = context.programme(PROGRAMMES.get(record.get("programme") or "", ""))
        if programme is None or not record.get("date_start") or not record.get("name"):
            continue
        first = _day(record["date_start"], where=where)
        last = _day(record.get("date_end") or record["date_start"], where=where)
        # stored in UTC (as read back), so that a second import compares equal
        starts_at = dt.datetime.combine(first, dt.time(0, 0), tzinfo=zone).astimezone(dt.UTC)
        ends_at = dt.datetime.combine(last, dt.time(23, 59), tzinfo=zone).astimezone(dt.UTC)
        described = Event.objects.filter(programme=programme, starts_at__date=first).exclude(
            slug=_slug(record, first)
        )
        if described.exists():  # the events demo data has this event with its agenda
            continue
        online = (record.get("place") or "").strip().lower() == "online"
        event = context.upsert(
            Event,
            key={"slug": _slug(record, first)},
            values={
                "title": record["name"][:300],
                "summary": (record.get("facts_de") or "")[:1000],
                "starts_at": starts_at,
                "ends_at": ends_at,
                "time_unknown": True,
                "format": EventFormat.ONLINE if online else EventFormat.ONSITE,
                "venue_name": "" if online else (record.get("place") or "")[:300],
            },
            create_values={
                "programme": programme,
                "kind": (
                    EventKind.WORKSHOP
                    if "workshop" in record["name"].lower()
                    else EventKind.CONFERENCE
                ),
                "status": PublicationStatus.PUBLISHED,
                "registration_enabled": False,
            },
            where=where,
        )
        context.cite(event, "title", record.get("sources"))


def _slug(record: dict[str, Any], first: dt.date) -> str:
    return f"{demo_slug(record['name'])[:100]}-{first.year}"
