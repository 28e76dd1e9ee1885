"""Feature settings of the events app.

Each value is read from Django settings first (``getattr(settings, NAME, default)``) and falls
back to an environment variable of the same name, so operators can configure everything through
the environment and tests can use ``override_settings``.

``ORTSWANDEL_RATELIMIT_ENABLED``            global switch (in settings.py), default on
``ORTSWANDEL_RATELIMIT_REGISTRATIONS``      registrations per client address, e.g. ``30/m``,
                                            ``200/h``; default ``30/m``
``ORTSWANDEL_EVENTS_REGISTRATION_CLOSE_DAYS``  default close of registration, days before start (7)
``ORTSWANDEL_EVENTS_CONFIRMATION_HOURS``    hours an unconfirmed registration holds its seat (48)
``ORTSWANDEL_EVENTS_RETENTION_DAYS``        days after the event end until personal data is
                                            anonymised (90; per-event override)
``ORTSWANDEL_EVENTS_REMINDER_HOURS``        hours before the start a reminder is sent (24;
                                            per-event override, 0 = none)
``ORTSWANDEL_EVENTS_MAIL_MAX_ATTEMPTS``     attempts before a queued mail is given up (60: with
                                            the defaults about 2¼ days of retries)
``ORTSWANDEL_EVENTS_MAIL_RETRY_SECONDS``    first retry delay; doubles per attempt (60)
``ORTSWANDEL_EVENTS_MAIL_MAX_DELAY_SECONDS``  longest delay between two attempts (3600)
``ORTSWANDEL_EVENTS_SEND_ON_COMMIT``        try to send right after the transaction commits (on)
``ORTSWANDEL_EVENTS_BASE_URL``              absolute URL prefix for links in mails sent by
                                            commands, e.g. ``https://ortswandel.example``
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from django.conf import settings


def _raw(name: str, default: object) -> object:
    value = getattr(settings, name, None)
    if value is not None:
        return value
    env = os.environ.get(name)
    if env is not None and env.strip() != "":
        return env.strip()
    return default


def _int(name: str, default: int) -> int:
    try:
        return int(_raw(name, default))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def _bool(name: str, default: bool) -> bool:
    value = _raw(name, default)
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def ratelimit_enabled() -> bool:
    return _bool("ORTSWANDEL_RATELIMIT_ENABLED", True)


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(value: str) -> Rate:
    """``"30/m"`` → 30 per 60 s; ``"100/5m"`` → 100 per 300 s. Raises ``ValueError``."""
    match = _RATE_RE.match(value or "")
    if not match:
        raise ValueError(f"rate must look like '30/m' or '100/5m'; got {value!r}")
    count, multiplier, unit = match.groups()
    return Rate(int(count), int(multiplier or 1) * _UNIT_SECONDS[unit])


def registration_rate() -> Rate:
    return parse_rate(str(_raw("ORTSWANDEL_RATELIMIT_REGISTRATIONS", "30/m")))


def registration_close_days() -> int:
    return _int("ORTSWANDEL_EVENTS_REGISTRATION_CLOSE_DAYS", 7)


def confirmation_hours() -> int:
    return _int("ORTSWANDEL_EVENTS_CONFIRMATION_HOURS", 48)


def retention_days() -> int:
    return _int("ORTSWANDEL_EVENTS_RETENTION_DAYS", 90)


def reminder_hours() -> int:
    return _int("ORTSWANDEL_EVENTS_REMINDER_HOURS", 24)


def mail_max_attempts() -> int:
    return _int("ORTSWANDEL_EVENTS_MAIL_MAX_ATTEMPTS", 60)


def mail_retry_seconds() -> int:
    return _int("ORTSWANDEL_EVENTS_MAIL_RETRY_SECONDS", 60)


def mail_max_delay_seconds() -> int:
    return _int("ORTSWANDEL_EVENTS_MAIL_MAX_DELAY_SECONDS", 3600)


def mail_retry_delay(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failed attempt: doubling, capped."""
    first, cap = max(mail_retry_seconds(), 1), max(mail_max_delay_seconds(), 1)
    # 2**n overflows nothing in Python, but keep the exponent small anyway.
    return min(first * (2 ** min(max(attempts - 1, 0), 30)), cap)


def send_on_commit() -> bool:
    return _bool("ORTSWANDEL_EVENTS_SEND_ON_COMMIT", True)


def base_url() -> str:
    return str(_raw("ORTSWANDEL_EVENTS_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
