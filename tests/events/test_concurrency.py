"""No overbooking: N parallel registrations for C seats against a running server.

Real HTTP requests from parallel threads hit pytest-django's threaded live server, so the
requests run in separate server threads with their own database connections – on SQLite
(``BEGIN IMMEDIATE``) and PostgreSQL (``SELECT … FOR UPDATE`` on the event row), whichever
``DATABASE_URL`` selects.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from ortswandel.events.models import Registration, RegistrationStatus

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

N_REQUESTS = 30
CAPACITY = 10


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


def _fire(url: str, n: int, email_prefix: str) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(n)

    def one(i: int) -> tuple[int, dict]:
        barrier.wait()  # release all requests at once
        return _post(
            url, {"name": f"Person {i}", "email": f"{email_prefix}{i}@example.org", "consent": True}
        )

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def test_parallel_registrations_never_overbook(live_server, make_event):
    event = make_event(capacity=CAPACITY)
    url = f"{live_server.url}/api/events/{event.pk}/registrations"
    results = _fire(url, N_REQUESTS, "p")

    statuses = [status for status, _body in results]
    assert statuses == [201] * N_REQUESTS, results
    reported = [body["status"] for _status, body in results]
    assert reported.count("pending_confirmation") == CAPACITY
    assert reported.count("waitlisted") == N_REQUESTS - CAPACITY

    rows = Registration.objects.filter(event=event)
    assert rows.filter(status__in=["pending", "confirmed"]).count() == CAPACITY
    assert rows.filter(status=RegistrationStatus.WAITLISTED).count() == N_REQUESTS - CAPACITY
    positions = sorted(
        body["waitlist_position"] for _s, body in results if body["status"] == "waitlisted"
    )
    assert positions == list(range(1, N_REQUESTS - CAPACITY + 1))


def test_parallel_duplicates_register_once(live_server, make_event):
    event = make_event(capacity=CAPACITY)
    url = f"{live_server.url}/api/events/{event.pk}/registrations"
    barrier = threading.Barrier(8)

    def same_person(_i: int) -> tuple[int, dict]:
        barrier.wait()
        return _post(url, {"name": "Eine Person", "email": "same@example.org", "consent": True})

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(same_person, range(8)))
    codes = sorted(status for status, _ in results)
    assert codes == [201] + [409] * 7
    assert {body.get("code") for status, body in results if status == 409} == {"duplicate_email"}
    assert Registration.objects.filter(event=event).count() == 1


def test_parallel_cancellations_fill_exactly(live_server, make_event):
    """Cancelling seats in parallel promotes exactly as many people from the waiting list."""
    from ortswandel.events import services

    event = make_event(capacity=5)
    url = f"{live_server.url}/api/events/{event.pk}/registrations"
    _fire(url, 15, "c")
    holders = list(Registration.objects.filter(event=event, status="pending"))
    assert len(holders) == 5
    tokens = [services.make_token(r, "cancel") for r in holders[:4]]

    def cancel(token: str) -> int:
        page = f"{live_server.url}/veranstaltungen/anmeldung/{token}/abmelden/"
        # The cancel form needs CSRF; use a fresh opener with a cookie jar per thread.
        import http.cookiejar
        import re

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(page, timeout=60).read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = f"csrfmiddlewaretoken={csrf}".encode()
        request = urllib.request.Request(page, data=data, headers={"Referer": page})  # noqa: S310
        return opener.open(request, timeout=60).status

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(cancel, tokens)) == [200] * 4
    rows = Registration.objects.filter(event=event)
    assert rows.filter(status__in=["pending", "confirmed"]).count() == 5
    assert rows.filter(status="cancelled").count() == 4
    assert rows.filter(status="waitlisted").count() == 6
    assert rows.filter(promoted_at__isnull=False).count() == 4


def test_without_the_lock_the_race_exists(live_server, make_event, monkeypatch):
    """Counter-proof (pretix style): drop the row lock and hold every request between its seat
    count and its insert until all have counted – then every request sees free seats and the
    event is overbooked. PostgreSQL only: SQLite serialises writers at ``BEGIN IMMEDIATE``, so
    there the race cannot occur even without ``select_for_update``."""
    from django.db import connection

    from ortswandel.events.models import Event
    from ortswandel.events.services import registration as registration_services

    if connection.vendor != "postgresql":
        pytest.skip("the unlocked race needs concurrent writers (PostgreSQL)")
    n, capacity = 6, 2
    event = make_event(capacity=capacity)
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
    results = _fire(url, n, "race")
    assert [status for status, _ in results] == [201] * n
    taken = Registration.objects.filter(event=event, status__in=["pending", "confirmed"]).count()
    assert taken == n > capacity  # overbooked: the lock is what prevents this
