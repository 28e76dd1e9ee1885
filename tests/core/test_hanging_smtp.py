"""Defect 4: a mail server that accepts connections but never answers must not stall the site.

Requests only queue mail; the worker talks to SMTP, bounded by ``EMAIL_TIMEOUT``. Proved with a
real hanging socket on 127.0.0.1: it counts connections, so "no request talked to SMTP" is
checked exactly, and every request must also finish well within one ``EMAIL_TIMEOUT``.
"""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from django.urls import reverse

from ortswandel.core import notifications
from ortswandel.core.models import QueuedMail
from tests.events.conftest import person

from .smtp_servers import HangingSMTP

EMAIL_TIMEOUT = 4  # seconds; a request that waited for SMTP would take at least this long

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hanging_smtp(settings):
    with HangingSMTP() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_TIMEOUT = EMAIL_TIMEOUT
        settings.ORTSWANDEL_JOBS_SYNC = False  # as in production: the worker sends
        settings.ORTSWANDEL_RATELIMIT_ENABLED = False
        yield server


def timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


def test_requests_never_wait_for_a_hanging_mail_server(
    live_server, make_event, client, registered_user, hanging_smtp
):
    event = make_event(capacity=5)

    def register(n: int) -> int:
        request = urllib.request.Request(  # noqa: S310 (loopback test server)
            f"{live_server.url}/api/events/{event.pk}/registrations",
            data=json.dumps(person(n)).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status

    def healthz() -> int:
        with urllib.request.urlopen(f"{live_server.url}/healthz", timeout=60) as response:  # noqa: S310
            return response.status

    durations = []
    for n in (1, 2):
        status, seconds = timed(lambda n=n: register(n))
        assert status == 201
        durations.append(seconds)
    status, seconds = timed(healthz)
    assert status == 200
    durations.append(seconds)
    signup = {
        "email": "neu@example.org",
        "kind": "citizen",
        "password": "Kommune-2026-sicher!",
        "privacy": "on",
    }
    response, seconds = timed(lambda: client.post(reverse("accounts:signup"), signup))
    assert response.status_code == 302
    durations.append(seconds)
    response, seconds = timed(
        lambda: client.post(reverse("accounts:password_reset"), {"email": registered_user.email})
    )
    assert response.status_code == 302
    durations.append(seconds)

    assert hanging_smtp.accepted == 0  # no request opened a connection to the mail server
    assert max(durations) < EMAIL_TIMEOUT / 2, durations
    kinds = sorted(QueuedMail.objects.filter(sent_at=None).values_list("kind", flat=True))
    assert kinds == [
        "accounts.activation",
        "accounts.password_reset",
        "confirm_request",
        "confirm_request",
    ]


def test_the_worker_gives_a_hanging_server_one_timeout_per_run(hanging_smtp):
    for n in range(3):
        notifications.mail_queue(to=f"p{n}@example.org", subject="Test", body="Text")
    run, seconds = timed(notifications.mail_send_due)
    assert run == notifications.QueueRun(failed=3)
    assert hanging_smtp.accepted == 1  # one connection for the batch, not one per mail
    assert seconds < 3 * EMAIL_TIMEOUT  # bounded by EMAIL_TIMEOUT, not hanging for ever
    errors = set(QueuedMail.objects.values_list("last_error", flat=True))
    assert len(errors) == 1 and "timed out" in errors.pop().lower()
    assert not QueuedMail.objects.filter(attempts=0).exists()
