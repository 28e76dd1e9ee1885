"""``/healthz`` reports each dependency: 503 when the database is down, ``degraded`` when the
cache is, ``ok`` with a real Redis; more checks plug in through ``health.register``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ortswandel.core import health
from tests.redis_support import (  # noqa: F401 (fixtures)
    _closed_port,
    broken_cache_settings,
    closed_redis_url,
    redis_cache_settings,
    redis_url,
)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_all_up_with_the_development_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"] == {"status": "ok", "shared": False}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.usefixtures("redis_cache_settings")
def test_all_up_with_a_real_redis(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["cache"]["shared"] is True


@pytest.mark.usefixtures("broken_cache_settings")
def test_cache_down_is_degraded_not_down(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["status"] == "down"
    assert "Connection" in body["checks"]["cache"]["detail"]
    assert body["checks"]["database"]["status"] == "ok"


def test_database_down_is_503():
    """A real unreachable PostgreSQL (a closed port on 127.0.0.1), in a fresh process."""
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code); print(r.content.decode())"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ortswandel.config.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{_closed_port()}/ortswandel",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split("\n", 1)
    assert status == "503"
    report = json.loads(body)
    assert report["status"] == "down"
    assert report["checks"]["database"] == {"status": "down", "detail": "OperationalError"}


def test_registered_checks_join_the_report(client, monkeypatch):
    monkeypatch.setattr(health, "_checks", dict(health._checks))
    health.register("jobs", lambda: health.Result("down", "last heartbeat 10 min ago"))
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["jobs"] == {"status": "down", "detail": "last heartbeat 10 min ago"}

    def broken() -> health.Result:
        raise RuntimeError("boom")

    health.register("jobs", broken, critical=True)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["jobs"] == {"status": "down", "detail": "RuntimeError"}
