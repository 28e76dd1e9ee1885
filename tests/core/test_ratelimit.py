"""The core rate limiter: the client address behind trusted proxies, counting shared by all
workers through Redis, and what happens when Redis is down."""

from __future__ import annotations

import ipaddress
import logging
from itertools import cycle

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory

from ortswandel.core import cache_backends, ratelimit
from ortswandel.core.cache_backends import ResilientRedisCache
from ortswandel.core.env import Rate
from ortswandel.core.errors import RateLimited
from ortswandel.core.ratelimit import Limit, client_address, client_key
from tests.redis_support import (  # noqa: F401 (fixtures)
    broken_cache_settings,
    cache_settings,
    closed_redis_url,
    redis_cache_settings,
    redis_url,
)

LIMIT = Limit(scope="test.thing", setting="TEST_RATE", message="Zu viele Versuche.")


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ORTSWANDEL_RATELIMIT_ENABLED = True
    settings.TEST_RATE = Rate(30, 60)
    settings.ORTSWANDEL_TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1/32")]


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


# --- the client address ---------------------------------------------------------------------


def test_untrusted_remote_address_is_the_client_and_its_header_is_ignored(caplog):
    cache_backends._last_warning.clear()
    with caplog.at_level(logging.WARNING, logger="ortswandel.cache"):
        assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    # The operator is told once that a proxy may be missing from ORTSWANDEL_TRUSTED_PROXIES.
    assert "ORTSWANDEL_TRUSTED_PROXIES" in caplog.text
    assert client_address(request("203.0.113.9")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client():
    # The client sent a forged header; the proxy appended the real peer address.
    assert client_address(request("127.0.0.1", "6.6.6.6, 203.0.113.5")) == "203.0.113.5"
    assert client_address(request("127.0.0.1", "203.0.113.5")) == "203.0.113.5"
    # No header: the proxy itself.
    assert client_address(request("127.0.0.1")) == "127.0.0.1"


def test_a_chain_of_trusted_proxies_is_skipped(settings):
    settings.ORTSWANDEL_TRUSTED_PROXIES = [
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("127.0.0.1/32"),
    ]
    assert client_address(request("10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.3")) == "203.0.113.5"
    # Every hop trusted: the left-most is where the request came from.
    assert client_address(request("10.0.0.2", "10.1.1.1, 10.0.0.3")) == "10.1.1.1"


def test_malformed_hops_and_ports_and_brackets():
    assert client_address(request("127.0.0.1", "203.0.113.5, nonsense")) == "127.0.0.1"
    assert client_address(request("127.0.0.1", "203.0.113.5:4711")) == "203.0.113.5"
    assert client_address(request("127.0.0.1", "[2001:db8::1]:443")) == "2001:db8::1"
    assert client_address(request("::ffff:203.0.113.5")) == "203.0.113.5"
    assert client_address(request("")) == "unknown"


def test_ipv6_clients_are_counted_per_64_network():
    one = client_key(request("2001:db8:1:2::1"))
    two = client_key(request("2001:db8:1:2:ffff::9"))
    other = client_key(request("2001:db8:1:3::1"))
    assert one == two == "2001:db8:1:2::/64"
    assert other != one
    assert client_key(request("203.0.113.5")) == "203.0.113.5"


# --- counting ---------------------------------------------------------------------------------


def test_limit_raises_429_with_its_message_after_the_rate(settings):
    settings.TEST_RATE = Rate(3, 60)
    for _ in range(3):
        LIMIT.check("k1")
    with pytest.raises(RateLimited) as info:
        LIMIT.check("k1")
    assert info.value.status == 429
    assert info.value.message == "Zu viele Versuche."
    LIMIT.check("k2")  # another key counts on its own
    assert LIMIT.exceeded("k1")
    LIMIT.reset("k1")
    assert not LIMIT.exceeded("k1")
    settings.ORTSWANDEL_RATELIMIT_ENABLED = False
    for _ in range(10):
        LIMIT.check("k2")


def _serve(monkeypatch, workers: list) -> int:
    """120 hits from one client, each served by the next of ``workers`` (their caches), like
    requests spread over gunicorn workers; returns how many were let through."""
    rotation = cycle(workers)

    class Caches:
        def __getitem__(self, alias):
            return next(rotation)

    monkeypatch.setattr(ratelimit, "caches", Caches())
    passed = 0
    for _ in range(120):
        try:
            LIMIT.check("one-client")
        except RateLimited:
            continue
        passed += 1
    return passed


def test_per_process_caches_let_workers_times_the_rate_through(monkeypatch):
    """The defect: four workers with their own memory cache each count to 30."""
    workers = [LocMemCache(f"worker-{n}", {}) for n in range(4)]
    assert _serve(monkeypatch, workers) == 120


def test_with_redis_four_workers_share_one_counter(monkeypatch, redis_url):  # noqa: F811
    config = cache_settings(redis_url)["default"]
    workers = [
        ResilientRedisCache(redis_url, {"KEY_PREFIX": config["KEY_PREFIX"], "OPTIONS": {}})
        for _ in range(4)
    ]
    assert _serve(monkeypatch, workers) == 30


@pytest.mark.usefixtures("broken_cache_settings")
def test_when_redis_is_down_it_counts_per_process_and_warns(settings, caplog):
    settings.TEST_RATE = Rate(3, 60)
    ratelimit._fallback.clear()
    with caplog.at_level(logging.WARNING, logger="ortswandel.cache"):
        for _ in range(3):
            LIMIT.check("down-client")
        with pytest.raises(RateLimited):
            LIMIT.check("down-client")
    assert LIMIT.count("down-client") == 4
    assert any("Rate limiter: shared cache unreachable" in r.message for r in caplog.records)


@pytest.mark.usefixtures("redis_cache_settings")
def test_redis_counter_is_atomic_and_expires(settings):
    from django.core.cache import caches

    backend = caches["default"]
    assert [backend.incr_with_expiry("k", 60) for _ in range(3)] == [1, 2, 3]
    client = backend._cache.get_client(write=True)
    assert 0 < client.ttl(backend.make_and_validate_key("k")) <= 60
    assert backend.get("k") == 3
