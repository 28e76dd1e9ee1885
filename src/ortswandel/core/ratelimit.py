"""One rate limiter for every app: fixed windows counted in the shared cache.

A :class:`Limit` names a scope (``events.registration``, ``accounts.login.account`` …), the Django
setting that holds its :class:`~ortswandel.core.env.Rate` (validated at start-up) and the German
message shown when it is exceeded (HTTP 429, code ``rate_limited``). Counters live in Django's
default cache, which production requires to be shared by all server processes (Redis,
``CACHE_URL``; see :mod:`ortswandel.core.checks`), so a limit holds across every worker.

**Client address.** ``REMOTE_ADDR`` – unless it is one of ``ORTSWANDEL_TRUSTED_PROXIES``: then the
right-most address in ``X-Forwarded-For`` that is not a trusted proxy (a client cannot forge the
part its own proxy appended). IPv6 clients are counted per /64 network (one connection usually
has a whole /64).

**Cache outage.** When the shared cache cannot be reached the limiter does not fail open and does
not lock everybody out: it counts in a per-process memory cache instead and logs a warning. Limits
then hold per worker (with *n* workers up to *n* times the configured rate) until Redis is back.
This applies to logins too: a Redis hiccup must not lock every editor out, and with per-worker
counting a password guesser still gets only a few attempts per window.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest

from .cache_backends import CacheUnavailable, warn_throttled
from .env import Rate, as_rate
from .errors import RateLimited

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Counts while the shared cache is unreachable (per process; see the module docstring).
_fallback = LocMemCache("ortswandel-ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


# --- the client address ---------------------------------------------------------------------


def _parse_ip(value: str) -> IPAddress | None:
    """An address from ``REMOTE_ADDR`` or one ``X-Forwarded-For`` hop (``[::1]:443`` and
    ``1.2.3.4:80`` are accepted; IPv4-mapped IPv6 becomes IPv4)."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress, proxies: Sequence[IPNetwork]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_ip(request: HttpRequest) -> IPAddress | None:
    """The client's address (see the module docstring); ``None`` if ``REMOTE_ADDR`` is unusable."""
    remote = _parse_ip(str(request.META.get("REMOTE_ADDR") or ""))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    if remote is None:
        return None
    proxies = settings.ORTSWANDEL_TRUSTED_PROXIES
    if not _trusted(remote, proxies):
        if forwarded:
            warn_throttled(
                "untrusted-forwarded-for",
                "X-Forwarded-For from %s ignored: it is not in ORTSWANDEL_TRUSTED_PROXIES. If it "
                "is your reverse proxy, add it there, or every client is counted as the proxy.",
                remote,
                every=3600,
            )
        return remote
    client = remote
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse_ip(hop)
        if address is None:  # a malformed hop: keep the last address a trusted proxy vouched for
            break
        client = address
        if not _trusted(address, proxies):
            break
    return client


def client_address(request: HttpRequest) -> str:
    """The client's address as text (``"unknown"`` when there is none)."""
    address = client_ip(request)
    return str(address) if address is not None else "unknown"


def client_key(request: HttpRequest) -> str:
    """What one client is counted as: its IPv4 address, or its IPv6 /64 network."""
    address = client_ip(request)
    if address is None:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


# --- counting -------------------------------------------------------------------------------


def _digest(key: str) -> str:
    """Cache keys never hold addresses or e-mail addresses in clear, and stay short."""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _window_key(scope: str, key: str, rate: Rate) -> str:
    window = int(time.time() // rate.seconds)
    return f"ortswandel:rl:{scope}:{rate.seconds}:{_digest(key)}:{window}"


def _incr(cache: Any, key: str, timeout: int) -> int:
    """Count one event in ``cache`` (atomic on Redis; add-then-incr elsewhere)."""
    incr_with_expiry = getattr(cache, "incr_with_expiry", None)
    if incr_with_expiry is not None:
        return int(incr_with_expiry(key, timeout))
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def _outage(scope: str, exc: Exception) -> None:
    warn_throttled(
        "ratelimit",
        "Rate limiter: shared cache unreachable (%s); counting per process until it is back "
        "(first scope hit: %s).",
        exc,
        scope,
    )


@dataclass(frozen=True)
class Limit:
    """A named limit: ``scope`` for the counter keys, ``setting`` holding its rate, ``message``
    (German, lazy) for the 429 answer."""

    scope: str
    setting: str
    message: Any

    def rate(self) -> Rate:
        return as_rate(getattr(settings, self.setting), self.setting)

    @staticmethod
    def enabled() -> bool:
        return bool(settings.ORTSWANDEL_RATELIMIT_ENABLED)

    def hit(self, key: str) -> int:
        """Count one event for ``key``; the number counted in the current window."""
        rate = self.rate()
        cache_key = _window_key(self.scope, key, rate)
        timeout = rate.seconds + 5
        try:
            return _incr(caches["default"], cache_key, timeout)
        except CacheUnavailable as exc:
            _outage(self.scope, exc)
            return _incr(_fallback, cache_key, timeout)

    def count(self, key: str) -> int:
        """Events counted for ``key`` in the current window, without counting one."""
        cache_key = _window_key(self.scope, key, self.rate())
        value = caches["default"].get(cache_key)  # a degraded cache answers None
        if value is None:
            value = _fallback.get(cache_key)
        return int(value or 0)

    def exceeded(self, key: str) -> bool:
        """Whether ``key`` has used up the current window (no event counted)."""
        return self.enabled() and self.count(key) >= self.rate().count

    def reset(self, key: str) -> None:
        cache_key = _window_key(self.scope, key, self.rate())
        caches["default"].delete(cache_key)
        _fallback.delete(cache_key)

    def error(self) -> RateLimited:
        """The 429 error; ``%(minutes)s`` in the message is the window in minutes (the longest
        wait, as windows are fixed)."""
        text = str(self.message)
        if "%(minutes)s" in text:
            text = text % {"minutes": max(1, math.ceil(self.rate().seconds / 60))}
        return RateLimited(text, code="rate_limited")

    def check(self, key: str) -> None:
        """Count one event for ``key``; :class:`RateLimited` (429) when over the limit."""
        if self.enabled() and self.hit(key) > self.rate().count:
            raise self.error()

    def check_request(self, request: HttpRequest) -> None:
        """:meth:`check` for the request's client (:func:`client_key`)."""
        self.check(client_key(request))
