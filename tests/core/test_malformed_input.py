"""Defect 5: malformed input from anyone gives a German 4xx, never a 500 — on SQLite and
PostgreSQL alike (the suite runs on both). The URLs are the ones that answered 500 before:
NUL reaching PostgreSQL, digits that pass ``str.isdigit()`` but not ``int()`` (``²``), numbers
beyond ``bigint``, dates beyond what UTC can represent."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SUPERSCRIPT_TWO = "%C2%B2"  # "²": isdigit() is True, int() fails
HUGE = "99999999999999999999"  # beyond bigint

MALFORMED = [
    # NUL in a query string
    "/kommunen/?q=%00",
    "/api/municipalities?q=%00",
    "/api/themes?programme=%00",
    "/api/events?programme=%00",
    "/veranstaltungen/?programm=%00",
    "/projekte/?q=a%00b",
    "/api/search?q=%00",
    "/suche/?q=%00",
    "/api/projects?%00=1",
    "/kommunen/?q=%1B%5B31m",
    # non-ASCII digits
    f"/projekte/?page={SUPERSCRIPT_TWO}",
    f"/ergebnisse/?page={SUPERSCRIPT_TWO}",
    f"/publikationen/?page={SUPERSCRIPT_TWO}",
    f"/aktuelles/?page={SUPERSCRIPT_TWO}",
    f"/api/projects?page={SUPERSCRIPT_TWO}",
    f"/api/results?page={SUPERSCRIPT_TWO}",
    f"/projekte/?year={SUPERSCRIPT_TWO}",
    f"/api/projects?year={SUPERSCRIPT_TWO}",
    f"/projekte/?theme={SUPERSCRIPT_TWO}",
    f"/api/projects?theme={SUPERSCRIPT_TWO}",
    f"/ergebnisse/?theme={SUPERSCRIPT_TWO}",
    f"/api/results?theme={SUPERSCRIPT_TWO}",
    f"/projekte/?from={SUPERSCRIPT_TWO}",
    f"/kommunen/?page={SUPERSCRIPT_TWO}",
    f"/api/municipalities?page={SUPERSCRIPT_TWO}",
    f"/veranstaltungen/?seite={SUPERSCRIPT_TWO}",
    f"/suche/?q=x&page={SUPERSCRIPT_TWO}",
    f"/api/search?q=x&page={SUPERSCRIPT_TWO}",
    f"/api/events/{SUPERSCRIPT_TWO}",
    # numbers beyond bigint, dates beyond UTC
    f"/api/events?offset={HUGE}",
    f"/api/events/{HUGE}",
    f"/api/projects?theme={HUGE}",
    f"/projekte/?page={HUGE}",
    f"/api/projects?page_size={HUGE}",
    "/api/events?from=0001-01-01",
    "/api/events?to=9999-12-31",
]

ENGLISH = re.compile(r"Input should|Field required|String should|Cannot parse|Traceback")


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_query_is_a_german_4xx(url):
    client = Client(raise_request_exception=False)
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)
    if url.startswith("/api/"):
        body = response.json()
        assert set(body) == {"code", "message", "fields"}, body
        assert body["message"] and not ENGLISH.search(response.content.decode()), body
    else:
        html = response.content.decode()
        assert '<html lang="de"' in html and not ENGLISH.search(html)


def test_control_characters_are_named(client):
    response = client.get("/api/themes?programme=%00")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_characters",
        "message": "Unzulässige Steuerzeichen in der Adresse (Parameter „programme“).",
        "fields": {"programme": "Unzulässige Steuerzeichen."},
    }
    # tab and line feed are no control characters in this sense (pasted text)
    assert client.get("/projekte/?q=a%09b%0A").status_code == 200


def test_dates_that_utc_cannot_hold_are_ignored_on_the_event_page(client):
    assert client.get("/veranstaltungen/?von=0001-01-01&bis=9999-12-31").status_code == 200


def test_organiser_attendance_with_non_ascii_digits_is_400(client, programme, programme_editor):
    from django.utils import timezone

    from ortswandel.events.models import Event

    start = timezone.now() + dt.timedelta(days=3)
    event = Event.objects.create(
        programme=programme, title="Werkstatt", slug="werkstatt", format="online",
        starts_at=start, ends_at=start + dt.timedelta(hours=2), status="published",
    )  # fmt: skip
    client.force_login(programme_editor)
    url = f"/veranstaltungen/organisation/{event.slug}/"
    for bad in ["²", HUGE, "-1"]:
        response = client.post(url, {"action": "attendance", "attended": [bad]})
        assert response.status_code == 400, bad
        assert "ist keine gültige Anmeldung" in response.content.decode()
    assert client.post(url, {"action": "attendance", "attended": []}).status_code == 302
