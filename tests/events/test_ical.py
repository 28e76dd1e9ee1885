"""Calendar files, parsed back with the icalendar library."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from ortswandel.events import services
from ortswandel.events.models import EventSeries

from .conftest import person

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def vevents(cal):
    return [c for c in cal.walk() if c.name == "VEVENT"]


def test_event_ics(client, event):
    services.registration_create(event=event, **person(1))
    cal = parse(client.get(f"/veranstaltungen/{event.slug}/kalender.ics"))
    (item,) = vevents(cal)
    start = item.decoded("dtstart")
    assert start.tzinfo is not None
    assert start == event.starts_at.replace(microsecond=0)
    assert str(item["uid"]) == f"event-{event.pk}@testserver"
    raw = cal.to_ical().decode()
    assert "geheim-123" not in raw and "person1@example.org" not in raw
    (zone,) = [c for c in cal.walk() if c.name == "VTIMEZONE"]  # RFC 5545: TZID is defined
    assert str(zone["tzid"]) == "Europe/Berlin" == item["dtstart"].params["TZID"]
    again = parse(client.get(f"/veranstaltungen/{event.slug}/kalender.ics"))
    assert str(vevents(again)[0]["uid"]) == str(item["uid"])  # stable UID


def test_series_and_programme_feeds(client, make_event, programme, other_programme):
    series = EventSeries.objects.create(
        programme=programme, title="Reihe", slug="reihe", status="published"
    )
    for _ in range(3):
        make_event(series=series)
    make_event(series=series, status="draft")
    make_event(programme=other_programme)
    past = make_event(
        starts_at=timezone.now() - timedelta(days=400),
        time_unknown=True,
        schedule_note="genauer Tag nicht überliefert",
    )
    cal = parse(client.get("/veranstaltungen/reihen/reihe/kalender.ics"))
    assert len(vevents(cal)) == 3
    feed = parse(client.get(f"/veranstaltungen/programm/{programme.slug}/kalender.ics"))
    items = vevents(feed)
    assert len(items) == 4  # three of the series + the past one, not the draft or other programme
    dated = next(i for i in items if str(i["uid"]) == f"event-{past.pk}@testserver")
    assert not hasattr(dated.decoded("dtstart"), "tzinfo")  # date only when the time is unknown
    assert "genauer Tag nicht überliefert" in str(dated["description"])
    assert "geheim-123" not in feed.to_ical().decode()


def test_personal_ics_has_online_link_only_when_confirmed(client, event):
    reg = services.registration_create(event=event, **person(1))
    token = services.make_token(reg, "manage")
    url = f"/veranstaltungen/anmeldung/{token}/kalender.ics"
    assert "geheim-123" not in parse(client.get(url)).to_ical().decode()
    services.registration_confirm(registration=reg)
    assert "geheim-123" in parse(client.get(url)).to_ical().decode()


def test_unknown_feed_is_404(client):
    assert client.get("/veranstaltungen/reihen/gibtsnicht/kalender.ics").status_code == 404
    assert client.get("/veranstaltungen/programm/gibtsnicht/kalender.ics").status_code == 404
