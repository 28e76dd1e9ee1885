"""The one mail queue (core.notifications): queueing with the change, retry with backoff, exactly
one delivery with parallel senders, correct counts, sensitive bodies, and a real SMTP outage.

Moved from tests/events/test_mail_queue.py when the queue moved to core. Changed behaviour: the
request no longer sends (no ``SEND_ON_COMMIT``); the worker's job does, and the ``--loop`` mail
worker is replaced by the job worker (tests/core/test_worker.py).
"""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_q.models import OrmQ

from ortswandel.core import notifications
from ortswandel.core.models import QueuedMail
from ortswandel.core.notifications import Delivery
from ortswandel.events import services
from tests.events.conftest import person

from .smtp_servers import closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
    settings.ORTSWANDEL_MAIL_RETRY_SECONDS = 60


def queue(n: int, **extra) -> list[QueuedMail]:
    return [
        notifications.mail_queue(
            to=f"p{i}@example.org", subject=f"Betreff {i}", body="Text", kind="test", **extra
        )
        for i in range(1, n + 1)
    ]


def test_failed_smtp_keeps_mail_then_retry_succeeds(
    event, broken_smtp, settings, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):  # the delivery job runs (inline)
        reg = services.registration_create(event=event, **person(1))
    queued = QueuedMail.objects.get(object_type="events.registration", object_id=reg.pk)
    assert queued.sent_at is None
    assert queued.attempts == 1
    assert "refused" in queued.last_error.lower()
    assert queued.next_attempt_at > timezone.now() + timedelta(seconds=50)
    # not due yet: nothing happens
    assert notifications.mail_send_due() == notifications.QueueRun()
    # second failure doubles the delay
    QueuedMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())
    assert notifications.mail_send_due() == notifications.QueueRun(failed=1)
    queued.refresh_from_db()
    assert queued.attempts == 2
    assert queued.next_attempt_at > timezone.now() + timedelta(seconds=110)
    # the server is back
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    QueuedMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())
    out = io.StringIO()
    call_command("send_queued_mail", stdout=out)
    assert out.getvalue().strip() == "sent=1 failed=0 skipped=0"
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.last_error == ""
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["person1@example.org"]


def test_gives_up_after_max_attempts(event, broken_smtp, settings):
    settings.ORTSWANDEL_MAIL_MAX_ATTEMPTS = 2
    services.registration_create(event=event, **person(1))  # not committed: no job runs
    for _ in range(2):
        QueuedMail.objects.update(next_attempt_at=timezone.now())
        notifications.mail_send_due()
    queued = QueuedMail.objects.get()
    assert queued.failed_at is not None and queued.attempts == 2
    QueuedMail.objects.update(next_attempt_at=timezone.now())
    assert notifications.mail_send_due() == notifications.QueueRun()  # given up: not due
    # The admin's "retry now" makes it due again and queues a delivery job.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.mail_retry(mail_ids=[queued.pk]) == 1
    assert notifications.mail_send_due() == notifications.QueueRun(sent=1)


def test_rollback_queues_neither_mail_nor_job(
    event, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.ORTSWANDEL_JOBS_SYNC = False  # the database broker: the job row is transactional
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.registration_create(event=event, **person(1))
        assert OrmQ.objects.count() == 1  # queued inside the transaction …
        raise RuntimeError("boom")
    assert QueuedMail.objects.count() == 0 and mailoutbox == []
    assert OrmQ.objects.count() == 0  # … and rolled back with it


def test_the_request_only_queues_the_worker_sends(event, settings, mailoutbox):
    settings.ORTSWANDEL_JOBS_SYNC = False
    services.registration_create(event=event, **person(1))
    queued = QueuedMail.objects.get()
    assert mailoutbox == [] and queued.attempts == 0 and queued.locked_until is None
    (job,) = OrmQ.objects.all()
    assert job.func() == notifications.DELIVER_JOB and job.args() == (queued.pk,)
    # What the worker runs for that job:
    from ortswandel.core.tasks import deliver_mail

    assert deliver_mail(*job.args()) == "sent"
    assert deliver_mail(*job.args()) == "skipped"  # a second delivery of the job sends nothing
    assert [m.to for m in mailoutbox] == [["person1@example.org"]]


def test_counts_distinguish_sent_failed_and_claimed_elsewhere(monkeypatch, mailoutbox):
    """A mail held by a parallel run is skipped, not counted as a failure."""
    _, second, _ = queue(3)
    held = notifications._claim(second.pk)  # another sender holds this one
    assert held is not None
    assert notifications.mail_deliver(mail_id=second.pk) is Delivery.SKIPPED
    run = notifications.mail_send_due()
    assert run == notifications.QueueRun(sent=2, failed=0, skipped=0)  # not even listed: locked
    # Listed as due, then claimed by someone else before this run gets to it:
    QueuedMail.objects.filter(pk=second.pk).update(locked_until=None)
    real_claim = notifications._claim

    def racing_claim(mail_id):
        if mail_id == second.pk:
            real_claim(mail_id)  # the parallel run wins
        return real_claim(mail_id)

    monkeypatch.setattr(notifications, "_claim", racing_claim)
    run = notifications.mail_send_due()
    assert run == notifications.QueueRun(sent=0, failed=0, skipped=1)
    assert sorted(m.to[0] for m in mailoutbox) == ["p1@example.org", "p3@example.org"]


def test_mail_bodies_are_plain_text_not_html_escaped(
    make_event, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(title="Kita & Schule")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, **person(1, name="Anna <Müller> & Co"))
    assert "Anna <Müller> & Co" in mailoutbox[0].body
    assert "&amp;" not in mailoutbox[0].body


def test_sensitive_bodies_are_erased_once_sent_and_old_mails_purged(settings, mailoutbox):
    (secret,) = queue(1, sensitive=True)
    (plain,) = queue(1)
    assert notifications.mail_send_due().sent == 2
    secret.refresh_from_db()
    plain.refresh_from_db()
    assert secret.body == "" and plain.body == "Text"
    assert mailoutbox[0].body == "Text"  # what was sent was complete
    QueuedMail.objects.filter(pk=plain.pk).update(sent_at=timezone.now() - timedelta(days=31))
    (unsent,) = queue(1)
    QueuedMail.objects.filter(pk=unsent.pk).update(created_at=timezone.now() - timedelta(days=90))
    assert notifications.mail_purge_sent() == 1
    assert set(QueuedMail.objects.values_list("pk", flat=True)) == {secret.pk, unsent.pk}


def test_retry_delay_doubles_up_to_a_cap(settings):
    settings.ORTSWANDEL_MAIL_RETRY_SECONDS = 60
    settings.ORTSWANDEL_MAIL_MAX_DELAY_SECONDS = 3600
    delays = [notifications.retry_delay(n) for n in range(1, 10)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    # The default attempts span more than two days of outage before a mail is given up.
    total = sum(notifications.retry_delay(n) for n in range(1, notifications.max_attempts()))
    assert total > 2 * 24 * 3600


class _GatedBackend(LocmemBackend):
    """locmem, but the first message waits until the test opens the gate: holds one sender
    inside its SMTP exchange while a second sender runs."""

    gate = threading.Event()
    waiting = threading.Event()

    def send_messages(self, messages):
        if not self.waiting.is_set():
            self.waiting.set()
            assert self.gate.wait(timeout=30), "gate never opened"
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_parallel_senders_deliver_each_mail_exactly_once(settings):
    """Two real senders (threads with their own database connections) run over the same queue.
    Sender A is held inside its first delivery while sender B runs; B must skip the mail A holds
    and send the rest once; A then finds the rest sent and skips them. Counts add up exactly."""
    settings.ORTSWANDEL_JOBS_SYNC = False  # only the two senders send
    settings.EMAIL_BACKEND = "tests.core.test_mail_queue._GatedBackend"
    _GatedBackend.gate.clear()
    _GatedBackend.waiting.clear()
    django_mail.outbox = []
    mails = queue(6)
    runs: dict[str, notifications.QueueRun] = {}

    def sender(name: str) -> None:
        from django.db import connection

        try:
            runs[name] = notifications.mail_send_due()
        finally:
            connection.close()

    a = threading.Thread(target=sender, args=["a"])
    a.start()
    assert _GatedBackend.waiting.wait(timeout=30)  # A holds mail 1 inside the SMTP exchange
    b = threading.Thread(target=sender, args=["b"])
    b.start()
    b.join(timeout=60)
    _GatedBackend.gate.set()
    a.join(timeout=60)
    assert not a.is_alive() and not b.is_alive()
    assert runs["b"] == notifications.QueueRun(sent=5)  # A's mail is locked: not even due for B
    assert runs["a"] == notifications.QueueRun(sent=1, skipped=5)
    recipients = sorted(m.to[0] for m in django_mail.outbox)
    assert recipients == sorted(m.to for m in mails)  # each exactly once
    assert QueuedMail.objects.filter(sent_at__isnull=False, attempts=1).count() == 6


@pytest.mark.django_db(transaction=True)
def test_real_smtp_outage_then_recovery_loses_nothing(live_server, make_event, settings):
    """Registrations over HTTP while the SMTP port is closed (connection refused): every request
    succeeds and only queues; the sender records the failure of every mail (one connection
    attempt per run); once a real SMTP server listens on that port, each mail is delivered
    exactly once."""
    import json
    import urllib.request

    from tests.events.smtp_sink import SMTPSink

    settings.ORTSWANDEL_JOBS_SYNC = False  # as in production: the worker sends, not the request
    settings.ORTSWANDEL_EVENTS_UNCONFIRMED_PER_CLIENT = 0  # four people from one test client
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
    assert queued.count() == 4 and OrmQ.objects.count() == 4
    assert all(m.sent_at is None and m.attempts == 0 for m in queued)

    out = io.StringIO()
    call_command("send_queued_mail", stdout=out)  # still down
    assert out.getvalue().strip() == "sent=0 failed=4 skipped=0"
    errors = list(QueuedMail.objects.values_list("last_error", flat=True))
    assert all("refused" in error.lower() for error in errors), errors

    with SMTPSink(port) as sink:
        queued.update(next_attempt_at=timezone.now())
        call_command("send_queued_mail", stdout=io.StringIO())
        call_command("send_queued_mail", stdout=io.StringIO())  # nothing twice
        from ortswandel.core.tasks import deliver_mail

        assert {deliver_mail(job.args()[0]) for job in OrmQ.objects.all()} == {"skipped"}
    assert sorted(r for m in sink.messages for r in m.recipients) == [
        f"person{n}@example.org" for n in range(1, 5)
    ]
    assert all("/bestaetigen/" in m.data for m in sink.messages)
    assert QueuedMail.objects.filter(sent_at__isnull=False, last_error="").count() == 4


def test_command_options_are_checked():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_queued_mail", "--limit", "0")


def test_account_mails_are_written_in_the_language_of_the_request(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    signup = {
        "email": "new@example.org",
        "kind": "citizen",
        "password": "Kommune-2026-sicher!",
        "privacy": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/en/konto/registrieren/", signup).status_code == 302
    queued = QueuedMail.objects.get(kind="accounts.activation")
    assert queued.language == "en" and queued.sensitive
    assert mailoutbox[0].subject == "Please confirm your e-mail address for Ortswandel"
    assert "Guten Tag" not in mailoutbox[0].body
    assert queued.body == ""  # sent: the activation link is not kept
