"""iCalendar (RFC 5545) files: one event, a series feed, a programme feed, a personal file.

Public files never contain the online-meeting link or anything about participants; the personal
file (behind the participant's signed link) adds the online link for confirmed participants.
UIDs are stable (``event-<id>@<host>``) so calendar clients update instead of duplicating.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar
from icalendar import Event as VEvent

from ortswandel.core import site

from .models import Event, EventFormat

PRODID = "-//Ortswandel//Veranstaltungen//DE"


def uid_for(event: Event) -> str:
    host = urlsplit(site.base_url()).hostname or "ortswandel"
    return f"event-{event.pk}@{host}"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _vevent(event: Event, *, online_url: str = "") -> VEvent:
    tz = ZoneInfo(settings.TIME_ZONE)
    item = VEvent()
    item.add("uid", uid_for(event))
    item.add("summary", event.title)
    item.add("dtstamp", timezone.now())
    item.add("last-modified", event.updated_at)
    if event.time_unknown:
        start = timezone.localtime(event.starts_at, tz).date()
        end = timezone.localtime(event.ends_at, tz).date() + timedelta(days=1)
        item.add("dtstart", start)
        item.add("dtend", end)
    else:
        item.add("dtstart", timezone.localtime(event.starts_at, tz))
        item.add("dtend", timezone.localtime(event.ends_at, tz))
    description = event.summary or strip_tags(event.description)[:2000]
    page = site.base_url() + event.get_absolute_url()
    lines = [description, "", page] if description else [page]
    if event.schedule_note:  # e.g. "genauer Tag nicht überliefert" for a date-only range
        lines = [f"Termin: {event.schedule_note}", "", *lines]
    if online_url:
        lines += ["", f"Online-Zugang: {online_url}"]
    item.add("description", "\n".join(lines))
    item.add("url", page)
    if event.format == EventFormat.ONLINE:
        item.add("location", "Online")
    else:
        place = ", ".join(
            p for p in [event.venue_name, event.venue_address.replace("\n", ", ")] if p
        )
        item.add(
            "location", place + (" (und online)" if event.format == EventFormat.HYBRID else "")
        )
    item.add("status", "CONFIRMED")
    item.add("class", "PUBLIC")
    return item


def event_calendar(event: Event, *, online_url: str = "") -> bytes:
    cal = _calendar(event.title)
    cal.add_component(_vevent(event, online_url=online_url))
    cal.add_missing_timezones()  # RFC 5545 §3.6.5: a VTIMEZONE for every TZID used
    return cal.to_ical()


def feed(name: str, events: Iterable[Event]) -> bytes:
    cal = _calendar(name)
    for event in events:
        cal.add_component(_vevent(event))
    cal.add_missing_timezones()
    return cal.to_ical()
