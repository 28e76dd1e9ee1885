"""Jobs of the core app: mail delivery and the mail queue's periodic sweep.

Job functions return a short summary; django-q stores it as the task result (admin: successful
tasks).
"""

from __future__ import annotations

from . import jobs, notifications


def deliver_mail(mail_id: int) -> str:
    """Send one queued mail (queued by :func:`ortswandel.core.notifications.mail_queue`)."""
    return notifications.mail_deliver(mail_id=mail_id).value


@jobs.periodic(name="core.send_queued_mail", every_minutes=1)
def send_queued_mail() -> str:
    """Retry due mails (backoff) and send any whose delivery job was lost."""
    run = notifications.mail_send_due()
    return f"sent={run.sent} failed={run.failed} skipped={run.skipped}"


@jobs.periodic(name="core.purge_sent_mail", daily_at="03:15")
def purge_sent_mail() -> str:
    return f"deleted={notifications.mail_purge_sent()}"
