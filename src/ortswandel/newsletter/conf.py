"""Feature settings of the newsletter app (validated in ``config/settings.py``; described in
docs/operator-guide.md)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ortswandel.core import site
from ortswandel.core.ratelimit import Limit

#: Sign-ups (form, successful or not) per client and window (``ORTSWANDEL_RATELIMIT_NEWSLETTER``).
SIGNUP_LIMIT = Limit(
    scope="newsletter.signup",
    setting="ORTSWANDEL_RATELIMIT_NEWSLETTER",
    message=_(
        "Zu viele Anmeldungen von Ihrer Adresse. Bitte versuchen Sie es in %(minutes)s Minuten "
        "erneut."
    ),
)


def unconfirmed_days() -> int:
    """Days a confirmation link is valid; unconfirmed subscriptions are deleted after them."""
    return int(getattr(settings, "ORTSWANDEL_NEWSLETTER_UNCONFIRMED_DAYS", 7))


def retention_days() -> int:
    """Days an unsubscribed address is kept (then deleted; bounces stay only hashed)."""
    return int(getattr(settings, "ORTSWANDEL_NEWSLETTER_RETENTION_DAYS", 30))


def batch_size() -> int:
    return max(int(getattr(settings, "ORTSWANDEL_NEWSLETTER_BATCH_SIZE", 200)), 1)


def webhook_secret() -> str:
    return str(getattr(settings, "ORTSWANDEL_NEWSLETTER_WEBHOOK_SECRET", "") or "")


def base_url() -> str:
    return site.base_url()


def unsubscribe_mailto() -> str:
    """The address of the ``mailto:`` alternative in ``List-Unsubscribe``."""
    configured = str(getattr(settings, "ORTSWANDEL_NEWSLETTER_UNSUBSCRIBE_MAILTO", "") or "")
    if configured:
        return configured
    from email.utils import parseaddr

    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@ortswandel.invalid"
    return "unsubscribe@" + sender.rsplit("@", 1)[-1]


def resend_interval_minutes() -> int:
    """A pending address gets the confirmation mail again at most this often."""
    return int(getattr(settings, "ORTSWANDEL_NEWSLETTER_RESEND_MINUTES", 10))
