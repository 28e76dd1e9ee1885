"""The health report behind ``GET /healthz``: one entry per dependency.

``{"status": "ok" | "degraded" | "down", "checks": {"database": {"status": "ok"}, "cache": …}}``
with HTTP 503 when a *critical* dependency is down (the database: nothing works without it) and
200 otherwise; a non-critical one that is down (the cache – pages are served uncached, rate limits
count per process) makes the overall status ``degraded``.

**Hook for more dependencies.** An app registers a check in its ``AppConfig.ready()``::

    from ortswandel.core import health

    health.register("jobs", my_check)   # my_check() -> health.Result

e.g. the job worker's heartbeat: ``Result("down", "last heartbeat 10 min ago")`` when the worker
stopped. A check that raises counts as ``down`` (its exception is reported, not re-raised).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import caches
from django.db import DatabaseError, connection

from .cache_backends import CacheUnavailable

logger = logging.getLogger("ortswandel.health")

OK, DEGRADED, DOWN = "ok", "degraded", "down"


@dataclass(frozen=True)
class Result:
    status: str  # OK or DOWN (a check may also say DEGRADED)
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status, **self.extra}
        if self.detail:
            data["detail"] = self.detail
        return data


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[], Result]
    critical: bool


_checks: dict[str, Check] = {}


def register(name: str, run: Callable[[], Result], *, critical: bool = False) -> None:
    """Add (or replace) the check ``name``; ``critical``: its failure means 503."""
    _checks[name] = Check(name, run, critical)


def database() -> Result:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return Result(DOWN, type(exc).__name__)
    return Result(OK, extra={"ms": round((time.perf_counter() - started) * 1000, 1)})


def cache() -> Result:
    backend = caches["default"]
    probe = getattr(backend, "probe", None)
    if probe is None:  # the per-process memory cache of development
        return Result(OK, extra={"shared": False})
    started = time.perf_counter()
    try:
        probe()
    except CacheUnavailable as exc:
        return Result(DOWN, str(exc)[:200], extra={"shared": True})
    return Result(
        OK, extra={"shared": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    )


register("database", database, critical=True)
register("cache", cache)


def report() -> tuple[int, dict[str, Any]]:
    """HTTP status and body of the health report (runs every registered check)."""
    results: dict[str, dict[str, Any]] = {}
    status, http_status = OK, 200
    for check in list(_checks.values()):
        try:
            result = check.run()
        except Exception as exc:  # a broken check must not break the report
            logger.exception("health check %s failed", check.name)
            result = Result(DOWN, type(exc).__name__)
        results[check.name] = result.as_dict()
        if result.status == OK:
            continue
        if check.critical and result.status == DOWN:
            status, http_status = DOWN, 503
        elif status == OK:
            status = DEGRADED
    return http_status, {"status": status, "checks": results}
