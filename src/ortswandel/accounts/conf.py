"""Feature settings of the accounts app (e-mail verification at sign-up), read from Django
settings.

The values are parsed and validated once, at start-up, by ``config/settings.py`` through
:mod:`ortswandel.core.env` (defaults live there); these accessors only name them for the app, so
tests can use ``override_settings``. See docs/operator-guide.md, section 3 (*Accounts*).
"""

from __future__ import annotations

from django.conf import settings


def activation_days() -> int:
    """Days an activation link stays valid."""
    return int(settings.ORTSWANDEL_ACCOUNTS_ACTIVATION_DAYS)


def activation_seconds() -> int:
    return activation_days() * 24 * 3600


def unverified_days() -> int:
    """Days after sign-up until an account whose address was never confirmed is deleted."""
    return int(settings.ORTSWANDEL_ACCOUNTS_UNVERIFIED_DAYS)


def mail_interval_minutes() -> int:
    """Least gap between two activation links or two "already registered" notices (0 = none)."""
    return int(settings.ORTSWANDEL_ACCOUNTS_MAIL_INTERVAL_MINUTES)
