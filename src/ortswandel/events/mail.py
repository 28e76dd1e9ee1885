"""Event mails, queued through the platform's one mail queue (:mod:`ortswandel.core.notifications`).

This module only knows where the event templates live and that a mail is written in the language
the person registered in; queueing, delivery by the worker, retries and the admin view are core's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from ortswandel.core import notifications
from ortswandel.core.models import QueuedMail

from .models import Registration


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
    registered in (German, the site language, for mails without a registration) and queue it."""
    return notifications.mail_queue_template(
        to=to,
        template=f"events/mail/{template}.txt",
        context=context,
        kind=kind,
        subject=subject,
        subject_params=subject_params,
        language=registration.language if registration is not None else settings.LANGUAGE_CODE,
        regarding=registration,
    )
