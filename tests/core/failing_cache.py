"""A cache backend that fails on every operation, like a Redis that is down."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.base import BaseCache


class CacheDown(ConnectionError):
    pass


class FailingCache(BaseCache):
    def __init__(self, location: str = "", params: dict[str, Any] | None = None) -> None:
        super().__init__(params or {})

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise CacheDown("cache backend unreachable")

    add = get = set = touch = delete = clear = get_many = set_many = delete_many = _fail
    has_key = incr = decr = _fail
