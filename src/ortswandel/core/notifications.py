"""The one mail queue of the platform: every app queues its mail here, the worker sends it.

Services call :func:`mail_queue` or :func:`mail_queue_template` inside their transaction. The
mail row commits with the change it reports, together with a job for the worker
(:func:`ortswandel.core.jobs.enqueue_on_commit`); requests never talk to the mail server. The
worker claims the mail (a conditional UPDATE, so exactly one process sends it), sends it through
Django's ``EMAIL_BACKEND`` (``EMAIL_TIMEOUT`` bounds every SMTP wait) and records the result. A
failure keeps the mail with its error; the periodic ``core.send_queued_mail`` job retries with
doubling delays (``ORTSWANDEL_MAIL_RETRY_SECONDS`` × 2^(attempts−1), at most
``ORTSWANDEL_MAIL_MAX_DELAY_SECONDS``) until ``ORTSWANDEL_MAIL_MAX_ATTEMPTS`` (60: about 2¼
days); a mail given up stays visible in the admin and can be retried there.

Mails are rendered when queued, in the recipient's language (``language``; default: the active
language of the request). Bodies of ``sensitive`` mails (links that grant access, such as a
password reset) are erased once sent; sent mails are deleted after ``ORTSWANDEL_MAIL_KEEP_DAYS``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import jobs
from .models import QueuedMail

logger = logging.getLogger(__name__)

LOCK_SECONDS = 300  # a claim expires after this; longer than any single SMTP exchange
DELIVER_JOB = "ortswandel.core.tasks.deliver_mail"
# Errors about one message; anything else (refused, timeout, disconnect) means the server is
# unusable for the rest of a batch.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def _setting(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    try:
        return default if value is None else int(value)
    except (TypeError, ValueError):
        return default


def max_attempts() -> int:
    return _setting("ORTSWANDEL_MAIL_MAX_ATTEMPTS", 60)


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failed attempt: doubling, capped."""
    first = max(_setting("ORTSWANDEL_MAIL_RETRY_SECONDS", 60), 1)
    cap = max(_setting("ORTSWANDEL_MAIL_MAX_DELAY_SECONDS", 3600), 1)
    return min(first * (2 ** min(max(attempts - 1, 0), 30)), cap)


# --- queueing ----------------------------------------------------------------------------------
def about(obj: Any) -> tuple[str, str]:
    """``(object_type, object_id)`` of a model instance, as the audit log names objects."""
    return obj._meta.label_lower, str(obj.pk)


def clean_headers(headers: dict[str, str] | None) -> dict[str, str]:
    """``headers`` checked for use as extra mail headers: names are ASCII tokens, values single
    lines; raises ``ValueError`` otherwise."""
    cleaned: dict[str, str] = {}
    for name, value in (headers or {}).items():
        text = str(value)
        if not name or not name.isascii() or any(c in name for c in " :\r\n"):
            raise ValueError(f"invalid mail header name {name!r}")
        if "\r" in text or "\n" in text:
            raise ValueError(f"mail header {name!r} must be one line")
        cleaned[str(name)] = text
    return cleaned


def ui_language() -> str:
    """The active UI language (URL prefix, or Accept-Language on the API) as one of
    ``settings.LANGUAGES``: store it with a person's request so that later mails to that person
    are written in it (``mail_queue_template(language=...)``)."""
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def mail_queue(
    *,
    to: str,
    subject: str,
    body: str,
    html_body: str = "",
    kind: str = "",
    language: str = "",
    regarding: Any = None,
    sensitive: bool = False,
    headers: dict[str, str] | None = None,
) -> QueuedMail:
    """Queue a rendered mail inside the caller's transaction; the worker sends it after commit.

    ``headers`` are extra header lines (``List-Unsubscribe`` …); a value containing a line break
    is refused (header injection)."""
    object_type, object_id = about(regarding) if regarding is not None else ("", "")
    extra = clean_headers(headers)
    mail = QueuedMail.objects.create(
        to=to,
        subject=" ".join(subject.split())[:300],
        body=body,
        html_body=html_body,
        headers=extra,
        kind=kind,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        object_type=object_type,
        object_id=object_id,
        sensitive=sensitive,
    )
    jobs.enqueue_on_commit(DELIVER_JOB, mail.pk, group="mail")
    return mail


def mail_queue_template(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    kind: str,
    subject: Any = None,
    subject_params: dict[str, Any] | None = None,
    subject_template: str = "",
    language: str | None = None,
    regarding: Any = None,
    sensitive: bool = False,
    headers: dict[str, str] | None = None,
) -> QueuedMail:
    """Render ``template`` (plain text) and the subject in ``language`` and queue the mail.

    The subject is either a (lazy) translatable string with ``%(name)s`` placeholders filled
    from ``subject_params``, or a one-line ``subject_template``.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        body = str(render_to_string(template, context))
        if subject_template:
            text = str(render_to_string(subject_template, context))
        else:
            text = str(subject)
            if subject_params:
                text = text % subject_params
    return mail_queue(
        to=to,
        subject=text,
        body=body,
        kind=kind,
        language=language,
        regarding=regarding,
        sensitive=sensitive,
        headers=headers,
    )


def mail_delete_regarding(*, object_type: str, object_ids: Iterable[Any]) -> int:
    """Delete every queued or sent mail about these objects (erasure of personal data)."""
    ids = [str(pk) for pk in object_ids]
    if not ids:
        return 0
    deleted, _ = QueuedMail.objects.filter(object_type=object_type, object_id__in=ids).delete()
    return deleted


# --- delivery ----------------------------------------------------------------------------------
class Delivery(enum.Enum):
    SENT = "sent"
    FAILED = "failed"  # tried and failed; retried later (or given up)
    SKIPPED = "skipped"  # not ours: sent, given up, not due, or claimed by a parallel run


@dataclass
class QueueRun:
    sent: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, outcome: Delivery) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)


def _due(now: dt.datetime) -> Q:
    return Q(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now) & (
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    )


def _claim(mail_id: int) -> QueuedMail | None:
    """Take the mail for this process (one conditional UPDATE: of parallel claimers exactly one
    wins); ``None`` if it is not due or another process holds it."""
    now = timezone.now()
    claimed = QueuedMail.objects.filter(_due(now), pk=mail_id).update(
        locked_until=now + dt.timedelta(seconds=LOCK_SECONDS)
    )
    if not claimed:
        return None
    return QueuedMail.objects.filter(pk=mail_id).first()  # None if erased meanwhile


def _record_failure(mail: QueuedMail, exc: BaseException) -> None:
    attempts = mail.attempts + 1
    now = timezone.now()
    QueuedMail.objects.filter(pk=mail.pk).update(
        attempts=attempts,
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
        next_attempt_at=now + dt.timedelta(seconds=retry_delay(attempts)),
        locked_until=None,
        failed_at=now if attempts >= max_attempts() else None,
    )
    logger.warning("mail %s: attempt %s failed: %s", mail.pk, attempts, exc)


def _send_claimed(mail: QueuedMail, connection: Any = None) -> BaseException | None:
    """Send a mail this process has claimed and record the outcome; returns the error if any."""
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        connection=connection,
        headers=dict(mail.headers or {}),
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # any backend error: keep the mail, back off
        _record_failure(mail, exc)
        return exc
    done: dict[str, Any] = {
        "attempts": mail.attempts + 1,
        "sent_at": timezone.now(),
        "locked_until": None,
        "last_error": "",
    }
    if mail.sensitive:
        done.update(body="", html_body="")
    QueuedMail.objects.filter(pk=mail.pk).update(**done)
    return None


def mail_deliver(*, mail_id: int, connection: Any = None) -> Delivery:
    """Claim and send one mail (the worker's job for each queued mail)."""
    mail = _claim(mail_id)
    if mail is None:
        return Delivery.SKIPPED
    return Delivery.SENT if _send_claimed(mail, connection) is None else Delivery.FAILED


def mail_send_due(*, limit: int = 500) -> QueueRun:
    """Send every due mail over one connection; mails a parallel run holds count as skipped.

    When the server is unusable (refused, timeout, disconnect), the remaining due mails of the
    batch are recorded as failed attempts without talking to it again, so one hanging server
    costs one ``EMAIL_TIMEOUT`` per run, not one per mail.
    """
    ids = list(
        QueuedMail.objects.filter(_due(timezone.now()))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    run = QueueRun()
    if not ids:
        return run
    connection = get_connection()
    broken: BaseException | None = None
    try:
        connection.open()
    except Exception as exc:
        broken = exc
        logger.warning("mail server unusable: %s", exc)
    for mail_id in ids:
        mail = _claim(mail_id)
        if mail is None:
            run.add(Delivery.SKIPPED)
            continue
        if broken is not None:
            _record_failure(mail, broken)
            run.add(Delivery.FAILED)
            continue
        error = _send_claimed(mail, connection)
        run.add(Delivery.SENT if error is None else Delivery.FAILED)
        if error is not None and not isinstance(error, MESSAGE_ERRORS):
            broken = error
    with contextlib.suppress(Exception):  # closing a broken connection must not hide counts
        connection.close()
    return run


def mail_retry(*, mail_ids: Iterable[int]) -> int:
    """Make unsent mails due now (also given-up ones) and queue a delivery job for each."""
    ids = list(
        QueuedMail.objects.filter(pk__in=list(mail_ids), sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    QueuedMail.objects.filter(pk__in=ids).update(
        next_attempt_at=timezone.now(), failed_at=None, locked_until=None
    )
    for mail_id in ids:
        jobs.enqueue_on_commit(DELIVER_JOB, mail_id, group="mail")
    return len(ids)


def mail_purge_sent(*, older_than_days: int | None = None) -> int:
    """Delete mails sent more than ``ORTSWANDEL_MAIL_KEEP_DAYS`` (30) days ago."""
    days = _setting("ORTSWANDEL_MAIL_KEEP_DAYS", 30) if older_than_days is None else older_than_days
    cutoff = timezone.now() - dt.timedelta(days=max(days, 0))
    deleted, _ = QueuedMail.objects.filter(sent_at__lt=cutoff).delete()
    return deleted
