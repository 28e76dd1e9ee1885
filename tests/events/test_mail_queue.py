"""The mail queue survives a failing mail server and retries with backoff."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ortswandel.events import mail, services
from ortswandel.events.models import QueuedMail

from .conftest import person

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broken_smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
    settings.ORTSWANDEL_EVENTS_MAIL_RETRY_SECONDS = 60


def test_failed_smtp_keeps_mail_then_retry_succeeds(
    event, broken_smtp, settings, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        reg = services.registration_create(event=event, **person(1))
    queued = QueuedMail.objects.get(registration=reg)
    assert queued.sent_at is None
    assert queued.attempts == 1
    assert "ConnectionRefusedError" in queued.last_error or "refused" in queued.last_error.lower()
    assert queued.next_attempt_at > timezone.now() + timedelta(seconds=50)
    # not due yet: nothing happens
    assert mail.send_due().sent == 0
    # second failure doubles the delay
    QueuedMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())
    assert mail.send_due().failed == 1
    queued.refresh_from_db()
    assert queued.attempts == 2
    assert queued.next_attempt_at > timezone.now() + timedelta(seconds=110)
    # the server is back
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    QueuedMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())
    call_command("send_queued_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.last_error == ""
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["person1@example.org"]


def test_gives_up_after_max_attempts(event, broken_smtp, settings):
    settings.ORTSWANDEL_EVENTS_MAIL_MAX_ATTEMPTS = 2
    settings.ORTSWANDEL_EVENTS_SEND_ON_COMMIT = False  # everything through the command
    services.registration_create(event=event, **person(1))
    for _ in range(2):
        QueuedMail.objects.update(next_attempt_at=timezone.now())
        mail.send_due()
    queued = QueuedMail.objects.get()
    assert queued.failed_at is not None and queued.attempts == 2
    QueuedMail.objects.update(next_attempt_at=timezone.now())
    assert mail.send_due().failed == 0  # given up: no further attempts


def test_rollback_queues_nothing(event, django_capture_on_commit_callbacks, mailoutbox):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.registration_create(event=event, **person(1))
        raise RuntimeError("boom")
    assert QueuedMail.objects.count() == 0 and mailoutbox == []


def test_a_claimed_mail_is_not_sent_twice(event, mailoutbox):
    # The request that queued the mail owns the first attempt; the command keeps off meanwhile.
    services.registration_create(event=event, **person(1))
    queued = QueuedMail.objects.get()
    assert queued.locked_until > timezone.now()
    assert mail.send_due().sent == 0
    assert mail.send_one(queued.pk) is False
    # The request died before sending: once the lock has expired the command takes over, once.
    QueuedMail.objects.filter(pk=queued.pk).update(locked_until=timezone.now())
    assert mail.send_one(queued.pk) is True
    assert mail.send_one(queued.pk) is False
    assert mail.send_due().sent == 0
    assert len(mailoutbox) == 1


def test_mail_bodies_are_plain_text_not_html_escaped(
    make_event, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(title="Kita & Schule")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, **person(1, name="Anna <Müller> & Co"))
    assert "Anna <Müller> & Co" in mailoutbox[0].body
    assert "&amp;" not in mailoutbox[0].body


def test_retry_delay_doubles_up_to_a_cap(settings):
    from ortswandel.events import conf

    settings.ORTSWANDEL_EVENTS_MAIL_RETRY_SECONDS = 60
    settings.ORTSWANDEL_EVENTS_MAIL_MAX_DELAY_SECONDS = 3600
    delays = [conf.mail_retry_delay(n) for n in range(1, 10)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    # The default attempts span more than two days of outage before a mail is given up.
    total = sum(conf.mail_retry_delay(n) for n in range(1, conf.mail_max_attempts()))
    assert total > 2 * 24 * 3600


@pytest.mark.django_db(transaction=True)
def test_real_smtp_outage_then_recovery_loses_nothing(live_server, make_event, settings):
    """Registrations over HTTP while the SMTP port is closed (connection refused): every request
    succeeds, every mail stays queued with its error; once a real SMTP server listens on that
    port, ``send_queued_mail`` delivers each mail exactly once."""
    import json
    import urllib.request

    from .smtp_sink import SMTPSink

    port = closed_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    event = make_event(capacity=3)
    url = f"{live_server.url}/api/events/{event.pk}/registrations"
    for n in range(1, 5):
        request = urllib.request.Request(  # noqa: S310 (loopback test server)
            url,
            data=json.dumps(person(n)).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            assert response.status == 201
    queued = QueuedMail.objects.order_by("id")
    assert queued.count() == 4
    assert all(m.sent_at is None and m.attempts == 1 for m in queued)
    assert all("refused" in m.last_error.lower() for m in queued), [m.last_error for m in queued]

    # Still down: the command records a second failure and loses nothing.
    queued.update(next_attempt_at=timezone.now())
    call_command("send_queued_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert QueuedMail.objects.filter(sent_at=None, attempts=2).count() == 4

    with SMTPSink(port) as sink:
        queued.update(next_attempt_at=timezone.now())
        call_command("send_queued_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("send_queued_mail", stdout=open("/dev/null", "w"))  # nothing twice  # noqa: SIM115
    assert sorted(r for m in sink.messages for r in m.recipients) == [
        f"person{n}@example.org" for n in range(1, 5)
    ]
    assert all("/bestaetigen/" in m.data for m in sink.messages)
    assert QueuedMail.objects.filter(sent_at__isnull=False, last_error="").count() == 4


@pytest.mark.django_db(transaction=True)
def test_worker_loop_sends_what_requests_queued(make_event, settings, mailoutbox):
    """With ORTSWANDEL_EVENTS_SEND_ON_COMMIT=false requests only queue; the worker
    (``send_queued_mail --loop``) sends, one connection per batch."""
    import threading

    settings.ORTSWANDEL_EVENTS_SEND_ON_COMMIT = False
    event = make_event(capacity=2)
    for n in range(1, 4):
        services.registration_create(event=event, **person(n))
    assert QueuedMail.objects.filter(sent_at=None).count() == 3 and mailoutbox == []
    worker = threading.Thread(
        target=call_command,
        args=["send_queued_mail", "--loop", "--interval", "0.05", "--max-seconds", "1"],
        kwargs={"stdout": open("/dev/null", "w")},  # noqa: SIM115
    )
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert sorted(m.to[0] for m in mailoutbox) == [f"person{n}@example.org" for n in range(1, 4)]
    assert QueuedMail.objects.filter(sent_at=None).count() == 0


def test_worker_options_are_checked():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_queued_mail", "--loop", "--interval", "0")
