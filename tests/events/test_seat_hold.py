"""Unconfirmed registrations: a short default hold, a cap on unconfirmed seats per client and
event (inside the event lock, also under parallel requests), and the organiser's view of them."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ortswandel.events import services
from ortswandel.events.models import Registration, RegistrationStatus


@pytest.fixture(autouse=True)
def _cap(settings):
    """The defaults of settings.py (the events conftest switches the cap off elsewhere)."""
    settings.ORTSWANDEL_EVENTS_UNCONFIRMED_PER_CLIENT = 2
    settings.ORTSWANDEL_RATELIMIT_ENABLED = True


def register(client, event, n, **extra):
    return client.post(
        f"/api/events/{event.pk}/registrations",
        {"name": f"Person {n}", "email": f"p{n}@example.org", "consent": True},
        content_type="application/json",
        **extra,
    )


@pytest.mark.django_db
def test_one_client_within_the_rate_limit_cannot_take_all_seats(client, make_event):
    event = make_event(capacity=25)
    responses = [register(client, event, n) for n in range(25)]  # 25 < the default 30/min
    codes = [r.status_code for r in responses]
    assert codes == [201, 201] + [409] * 23
    refused = responses[2].json()
    assert refused["code"] == "unconfirmed_limit"
    assert "unbestätigt" in refused["message"]
    assert Registration.objects.filter(event=event, status="pending").count() == 2
    # Everybody else still finds seats.
    assert register(client, event, 100, REMOTE_ADDR="203.0.113.7").status_code == 201


@pytest.mark.django_db
def test_confirming_frees_the_client_for_more(client, make_event):
    event = make_event(capacity=10)
    assert [register(client, event, n).status_code for n in range(3)] == [201, 201, 409]
    first = Registration.objects.filter(event=event).order_by("id").first()
    assert first.client_key and "127.0.0.1" not in first.client_key  # a keyed hash
    services.registration_confirm(registration=first)
    first.refresh_from_db()
    assert first.client_key == ""  # not kept once confirmed
    assert register(client, event, 3).status_code == 201


@pytest.mark.django_db
def test_the_cap_is_per_event_and_can_be_switched_off(client, make_event, settings):
    one, two = make_event(capacity=10), make_event(capacity=10)
    assert [register(client, one, n).status_code for n in range(3)] == [201, 201, 409]
    assert register(client, two, 9).status_code == 201
    settings.ORTSWANDEL_EVENTS_UNCONFIRMED_PER_CLIENT = 0
    assert register(client, one, 5).status_code == 201


@pytest.mark.django_db
def test_the_form_shows_the_cap_as_a_message(client, make_event):
    event = make_event(capacity=10)
    for n in range(2):
        register(client, event, n)
    response = client.post(
        event.get_absolute_url(),
        {"name": "Dritte", "email": "dritte@example.org", "consent": "on"},
    )
    assert response.status_code == 409
    assert "schon 2 Anmeldungen unbestätigt" in response.content.decode()


@pytest.mark.django_db
def test_default_hold_is_two_hours(make_event):
    event = make_event(capacity=1)
    registration = services.registration_create(
        event=event, name="Ada", email="ada@example.org", consent=True
    )
    assert services.registrations_release_unconfirmed(now=timezone.now() + timedelta(hours=1)) == 0
    assert (
        services.registrations_release_unconfirmed(
            now=timezone.now() + timedelta(hours=2, minutes=1)
        )
        == 1
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.EXPIRED


@pytest.mark.django_db
def test_organisers_see_unconfirmed_seats_separately(client, make_event, programme_editor):
    event = make_event(capacity=10)
    for n in range(2):
        register(client, event, n)
    services.registration_confirm(registration=Registration.objects.filter(event=event).first())
    client.force_login(programme_editor)
    html = client.get(reverse("events:organiser_dashboard")).content.decode()
    assert "davon unbestätigt" in html
    row = html.split(event.title, 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">2</td><td class="num">1</td>' in row
    assert "2 Stunden" in html
    page = client.get(reverse("events:organiser_event", args=[event.slug])).content.decode()
    assert "davon 1 unbestätigt" in page


# --- the cap under parallel requests (inside the event lock) ----------------------------------


def _post(url: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 (loopback test server)
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_the_cap_holds_under_parallel_requests(live_server, make_event):
    event = make_event(capacity=10)
    url = f"{live_server.url}/api/events/{event.pk}/registrations"
    barrier = threading.Barrier(8)

    def one(i: int) -> tuple[int, dict]:
        barrier.wait()
        return _post(url, {"name": f"P {i}", "email": f"par{i}@example.org", "consent": True})

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(8)))
    assert sorted(status for status, _ in results) == [201, 201] + [409] * 6
    assert {body["code"] for status, body in results if status == 409} == {"unconfirmed_limit"}
    assert Registration.objects.filter(event=event, status="pending").count() == 2


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_cap_would_not_hold(live_server, make_event, monkeypatch):
    """Counter-proof: drop the row lock and hold every request between its count and its insert
    – then all requests of the one client see fewer than 2 unconfirmed seats and get one.
    PostgreSQL only (SQLite serialises writers at ``BEGIN IMMEDIATE``)."""
    from django.db import connection

    from ortswandel.events.models import Event
    from ortswandel.events.services import registration as registration_services

    if connection.vendor != "postgresql":
        pytest.skip("the unlocked race needs concurrent writers (PostgreSQL)")
    n = 4
    event = make_event(capacity=10)
    all_counted = threading.Barrier(n, timeout=20)
    original_count = registration_services.seat_counts

    def count_then_wait(*args):
        counts = original_count(*args)
        all_counted.wait()
        return counts

    monkeypatch.setattr(
        registration_services,
        "lock_events",
        lambda ids: list(Event.objects.filter(pk__in=set(ids)).order_by("pk")),  # no FOR UPDATE
    )
    monkeypatch.setattr(registration_services, "seat_counts", count_then_wait)
    url = f"{live_server.url}/api/events/{event.pk}/registrations"
    barrier = threading.Barrier(n)

    def one(i: int) -> tuple[int, dict]:
        barrier.wait()
        return _post(url, {"name": f"R {i}", "email": f"race{i}@example.org", "consent": True})

    with ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(one, range(n)))
    assert [status for status, _ in results] == [201] * n
    assert Registration.objects.filter(event=event, status="pending").count() == n > 2
