"""Feature settings of the accounts app (e-mail verification at sign-up).

Each value is read from Django settings first (``getattr(settings, NAME, default)``) and falls
back to an environment variable of the same name, as in :mod:`ortswandel.events.conf`, so
operators configure everything through the environment and tests can use ``override_settings``.

``ORTSWANDEL_ACCOUNTS_ACTIVATION_DAYS``       days an activation link stays valid (3)
``ORTSWANDEL_ACCOUNTS_UNVERIFIED_DAYS``       days after sign-up until an account whose address
                                              was never confirmed is deleted (7)
``ORTSWANDEL_ACCOUNTS_MAIL_INTERVAL_MINUTES`` least gap between two activation links or two
                                              "address already registered" notices to the same
                                              account (10)
"""

from __future__ import annotations

import os

from django.conf import settings


def _int(name: str, default: int, *, minimum: int = 0) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "").strip() or default
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(number, minimum)


def activation_days() -> int:
    return _int("ORTSWANDEL_ACCOUNTS_ACTIVATION_DAYS", 3)


def activation_seconds() -> int:
    return activation_days() * 24 * 3600


def unverified_days() -> int:
    return _int("ORTSWANDEL_ACCOUNTS_UNVERIFIED_DAYS", 7, minimum=1)


def mail_interval_minutes() -> int:
    return _int("ORTSWANDEL_ACCOUNTS_MAIL_INTERVAL_MINUTES", 10)
