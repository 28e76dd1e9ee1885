"""A small durable mail queue: a failing mail server loses nothing.

Services call :func:`enqueue` inside their transaction; the row commits with the change, and an
attempt to send follows right after the commit (``transaction.on_commit``). Whatever fails stays in
the queue with ``last_error`` and is retried by ``manage.py send_queued_mail`` with exponential
backoff (``ORTSWANDEL_EVENTS_MAIL_RETRY_SECONDS`` × 2^(attempts−1), at most
``ORTSWANDEL_EVENTS_MAIL_MAX_DELAY_SECONDS``) until ``ORTSWANDEL_EVENTS_MAIL_MAX_ATTEMPTS`` is
reached (defaults: 60 attempts over about 2¼ days); a mail given up stays in the queue for a
manual retry. Mail goes through Django's configured ``EMAIL_BACKEND`` (file/console in the demo,
SMTP in production).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import conf
from .models import QueuedMail, Registration

logger = logging.getLogger(__name__)

LOCK_SECONDS = 300


def enqueue(
    *,
    to: str,
    subject: str,
    body: str,
    html_body: str = "",
    kind: str = "",
    registration: Registration | None = None,
) -> QueuedMail:
    """Store a mail in the queue (inside the caller's transaction) and try it after commit."""
    send_now = conf.send_on_commit()
    mail = QueuedMail.objects.create(
        to=to,
        subject=subject[:300],
        body=body,
        html_body=html_body,
        kind=kind,
        registration=registration,
        # The request that queued the mail owns the first attempt (no separate claim needed);
        # if it dies before sending, the lock expires and send_queued_mail takes over.
        locked_until=timezone.now() + timedelta(seconds=LOCK_SECONDS) if send_now else None,
    )
    if send_now:
        transaction.on_commit(lambda: _send_quietly(mail))
    return mail


def enqueue_template(
    *,
    to: str,
    subject: Any,
    template: str,
    context: dict[str, Any],
    kind: str,
    subject_params: dict[str, Any] | None = None,
    registration: Registration | None = None,
) -> QueuedMail:
    """Render ``events/mail/<template>.txt`` and the (lazy) subject in the language the person
    registered in (the site language, German, for mails without a registration) and enqueue
    the mail."""
    language = registration.language if registration is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(f"events/mail/{template}.txt", context)
        text = str(subject)
        if subject_params:
            text = text % subject_params
    return enqueue(to=to, subject=text, body=body, kind=kind, registration=registration)


def _send_quietly(mail: QueuedMail) -> None:
    try:
        _deliver(mail)
    except Exception:  # the queue keeps the mail; never break the request that queued it
        logger.exception("sending queued mail %s failed unexpectedly", mail.pk)


def _claim(mail_id: int, now) -> bool:
    claimable = Q(
        pk=mail_id, sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now
    ) & (Q(locked_until__isnull=True) | Q(locked_until__lt=now))
    return bool(
        QueuedMail.objects.filter(claimable).update(
            locked_until=now + timedelta(seconds=LOCK_SECONDS)
        )
    )


def send_one(mail_id: int, *, connection: Any = None) -> bool:
    """Claim (a conditional UPDATE, so only one process sends it) and send one queued mail.

    Returns ``True`` if it was sent now.
    """
    now = timezone.now()
    if not _claim(mail_id, now):
        return False
    return _deliver(QueuedMail.objects.get(pk=mail_id), connection=connection)


def _deliver(mail: QueuedMail, *, connection: Any = None) -> bool:
    """Send a mail the caller has claimed; record success or the error and the next attempt."""
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        connection=connection,
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # any backend error: keep the mail, back off
        attempts = mail.attempts + 1
        delay = conf.mail_retry_delay(attempts)
        gave_up = attempts >= conf.mail_max_attempts()
        QueuedMail.objects.filter(pk=mail.pk).update(
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            locked_until=None,
            failed_at=timezone.now() if gave_up else None,
        )
        logger.warning("mail %s to queue retry %s: %s", mail.pk, attempts, exc)
        return False
    QueuedMail.objects.filter(pk=mail.pk).update(
        attempts=mail.attempts + 1, sent_at=timezone.now(), locked_until=None, last_error=""
    )
    return True


@dataclass
class QueueRun:
    sent: int = 0
    failed: int = 0


def send_due(*, limit: int = 500) -> QueueRun:
    """Send every mail that is due (used by ``manage.py send_queued_mail``)."""
    now = timezone.now()
    ids = list(
        QueuedMail.objects.filter(
            sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now
        )
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    run = QueueRun()
    if not ids:
        return run
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # server down: count every due mail as one failed attempt
        logger.warning("mail server unreachable: %s", exc)
    for mail_id in ids:
        if send_one(mail_id, connection=connection):
            run.sent += 1
        else:
            run.failed += 1
    with contextlib.suppress(Exception):  # closing a broken connection must not hide counts
        connection.close()
    return run
