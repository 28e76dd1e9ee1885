"""Fixtures for tests against a real Redis (127.0.0.1:6379, started on every machine of the
project and in CI) and against a Redis URL whose port is closed (a cache outage).

Import the fixtures into a test module: ``from tests.redis_support import redis_cache_settings``.
Keys get a prefix of their own per test, and nothing is flushed: other test runs may share the
server.
"""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

import pytest

REDIS_URL = "redis://127.0.0.1:6379/13"


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cache_settings(location: str, *, prefix: str | None = None) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "ortswandel.core.cache_backends.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix or f"test-{uuid.uuid4().hex[:12]}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_url() -> str:
    """The real Redis; skipped where none runs (never in CI, which must have it)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis must run at {REDIS_URL} in CI: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
def closed_redis_url() -> str:
    return f"redis://127.0.0.1:{_closed_port()}/0"


@pytest.fixture
def redis_cache_settings(settings, redis_url):
    """CACHES pointing at the real Redis (a prefix of its own for this test)."""
    settings.CACHES = cache_settings(redis_url)
    return settings.CACHES


@pytest.fixture
def broken_cache_settings(settings, closed_redis_url):
    """CACHES pointing at a Redis URL whose port is closed: every cache call fails."""
    settings.CACHES = cache_settings(closed_redis_url)
    return settings.CACHES
