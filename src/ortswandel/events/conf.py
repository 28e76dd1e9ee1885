"""Feature settings of the events app, read from Django settings.

The values are parsed and validated once, at start-up, by ``config/settings.py`` through
:mod:`ortswandel.core.env` (defaults live there); these accessors only name them for the app, so
tests can use ``override_settings``. The variables are described in docs/operator-guide.md
(section 13, *Configuration*).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ortswandel.core.ratelimit import Limit

#: Registrations (form and API, successful or not) per client and window
#: (``ORTSWANDEL_RATELIMIT_REGISTRATIONS``).
REGISTRATION_LIMIT = Limit(
    scope="events.registration",
    setting="ORTSWANDEL_RATELIMIT_REGISTRATIONS",
    message=_("Zu viele Anmeldungen von Ihrer Adresse. Bitte versuchen Sie es später erneut."),
)


def registration_close_days() -> int:
    return int(settings.ORTSWANDEL_EVENTS_REGISTRATION_CLOSE_DAYS)


def confirmation_hours() -> int:
    """Hours an unconfirmed (pending) registration holds its seat."""
    return int(settings.ORTSWANDEL_EVENTS_CONFIRMATION_HOURS)


def unconfirmed_per_client() -> int:
    """Unconfirmed seats one client address may hold per event (0 = no cap)."""
    return int(settings.ORTSWANDEL_EVENTS_UNCONFIRMED_PER_CLIENT)


def retention_days() -> int:
    return int(settings.ORTSWANDEL_EVENTS_RETENTION_DAYS)


def reminder_hours() -> int:
    return int(settings.ORTSWANDEL_EVENTS_REMINDER_HOURS)
