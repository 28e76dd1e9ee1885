"""Per-client-address rate limiting for registrations (fixed window in Django's cache).

Configured by ``ORTSWANDEL_RATELIMIT_REGISTRATIONS`` (e.g. ``30/m``) and switched off entirely
with ``ORTSWANDEL_RATELIMIT_ENABLED=false``. The default cache is per process (LocMemCache); with
several server processes set ``CACHE_URL=redis://…`` so that they share one counter.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ortswandel.core.errors import RateLimited

from . import conf


def client_address(request: HttpRequest) -> str:
    """The client's address. ``REMOTE_ADDR`` only: a reverse proxy must set it (trusted)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def check_registration_rate(request: HttpRequest) -> None:
    """Count one registration attempt for the client; raise :class:`RateLimited` (429) if over."""
    if not conf.ratelimit_enabled():
        return
    rate = conf.registration_rate()
    window = int(time.time() // rate.seconds)
    key = f"ortswandel:rl:events.registration:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=rate.seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=rate.seconds + 5)
            count = 1
    if count > rate.count:
        raise RateLimited(
            _("Zu viele Anmeldungen von Ihrer Adresse. Bitte versuchen Sie es später erneut."),
            code="rate_limited",
        )
