"""A Redis cache that degrades instead of failing when Redis is unreachable.

``CACHE_URL=redis://…`` selects :class:`ResilientRedisCache` (``config/settings.py``). Every page
that uses the cache (fragment caches, content versions, rate limits) keeps working while Redis is
down: reads miss, writes are dropped, and a warning is logged (at most once a minute per process
and kind). After a failure the backend does not try Redis again for :attr:`RETRY_SECONDS`, so a
Redis host that does not answer costs one socket timeout (``ORTSWANDEL_CACHE_TIMEOUT``) per
worker and retry period, not one per cache call.

What is lost during an outage: cache-version bumps written while Redis was down; the entries
they should have invalidated live until their own timeout. ``/healthz`` reports the outage
(``"cache": {"status": "down"}``, overall ``"degraded"``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("ortswandel.cache")

T = TypeVar("T")

_last_warning: dict[str, float] = {}
_warning_lock = threading.Lock()


def warn_throttled(kind: str, message: str, *args: object, every: float = 60.0) -> None:
    """``logger.warning`` at most once per ``every`` seconds and ``kind`` in this process, so that
    an outage is reported without flooding the log with one line per request."""
    now = time.monotonic()
    with _warning_lock:
        if now - _last_warning.get(kind, -every - 1) < every:
            return
        _last_warning[kind] = now
    logger.warning(message, *args)


class CacheUnavailable(Exception):
    """The shared cache could not be reached (raised only by the explicit, non-degrading calls:
    :meth:`ResilientRedisCache.incr_with_expiry` and :meth:`ResilientRedisCache.probe`)."""


def _redis_errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import RedisError

    return (RedisError, OSError)


def _arg(args: tuple[Any, ...], index: int) -> Any:
    return args[index] if len(args) > index else None


def _degrading(
    name: str, fallback: Callable[[tuple[Any, ...], dict[str, Any]], Any]
) -> Callable[..., Any]:
    """``RedisCache.<name>``, or ``fallback(args, kwargs)`` when Redis cannot be reached."""

    def method(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
        call = getattr(super(ResilientRedisCache, self), name)
        return self._guard(name, fallback(args, kwargs), lambda: call(*args, **kwargs))

    method.__name__ = method.__qualname__ = name
    return method


class ResilientRedisCache(RedisCache):
    """Django's Redis cache; connection problems make it behave like an empty cache."""

    #: Seconds to skip Redis after a failed call (per process and location).
    RETRY_SECONDS: ClassVar[float] = 5.0
    _down_until: ClassVar[dict[str, float]] = {}

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._location = server
        self._errors = _redis_errors()

    # --- the circuit breaker ---------------------------------------------------------------
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until.get(self._location, 0.0)

    def _failed(self, operation: str, exc: BaseException) -> None:
        self._down_until[self._location] = time.monotonic() + self.RETRY_SECONDS
        warn_throttled(
            "cache",
            "Cache unreachable (%s during %s): serving without cache, retrying in %ss.",
            type(exc).__name__,
            operation,
            self.RETRY_SECONDS,
        )

    def _guard(self, operation: str, fallback: T, call: Callable[[], T]) -> T:
        if self.is_down():
            return fallback
        try:
            return call()
        except self._errors as exc:
            self._failed(operation, exc)
            return fallback

    # --- the degrading cache API (the value each call gives while Redis is down) -------------
    get = _degrading("get", lambda args, kwargs: kwargs.get("default", _arg(args, 1)))
    add = _degrading("add", lambda args, kwargs: False)
    set = _degrading("set", lambda args, kwargs: None)
    touch = _degrading("touch", lambda args, kwargs: False)
    delete = _degrading("delete", lambda args, kwargs: False)
    get_many = _degrading("get_many", lambda args, kwargs: {})
    has_key = _degrading("has_key", lambda args, kwargs: False)
    set_many = _degrading("set_many", lambda args, kwargs: list(kwargs.get("data", _arg(args, 0))))
    delete_many = _degrading("delete_many", lambda args, kwargs: None)
    clear = _degrading("clear", lambda args, kwargs: None)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """As Django's: ``ValueError`` for a missing key – and while Redis is unreachable."""
        if self.is_down():
            raise ValueError(f"Key {key!r} not found (cache unreachable)")
        try:
            return super().incr(key, delta, version)
        except self._errors as exc:
            self._failed("incr", exc)
            raise ValueError(f"Key {key!r} not found (cache unreachable)") from exc

    # --- explicit calls for the rate limiter and the health check ------------------------------
    def incr_with_expiry(self, key: str, timeout: int) -> int:
        """Atomically count one event under ``key`` (created with ``timeout`` seconds to live if
        missing) and return the new count. Raises :class:`CacheUnavailable` instead of
        degrading: the caller decides what an outage means."""
        if self.is_down():
            raise CacheUnavailable("cache marked down")
        try:
            redis_key = self.make_and_validate_key(key)
            client = self._cache.get_client(redis_key, write=True)
            pipe = client.pipeline(transaction=False)
            pipe.set(redis_key, 0, ex=max(int(timeout), 1), nx=True)
            pipe.incr(redis_key)
            _created, count = pipe.execute()
        except self._errors as exc:
            self._failed("incr", exc)
            raise CacheUnavailable(str(exc)) from exc
        return int(count)

    def probe(self) -> None:
        """PING Redis now (ignoring the breaker); close the breaker when it answers. Raises
        :class:`CacheUnavailable`."""
        try:
            self._cache.get_client(write=True).ping()
        except self._errors as exc:
            self._failed("probe", exc)
            raise CacheUnavailable(f"{type(exc).__name__}: {exc}") from exc
        self._down_until.pop(self._location, None)
