"""Fixtures for the events tests: events in various registration states, a second editor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIServer
from django.utils import timezone

from ortswandel.core.models import PublicationStatus
from ortswandel.events.models import Event, EventFormat

# The live server's listen backlog is 10 by default; the concurrency tests open 30 connections at
# the same instant, which overflows it (connection resets). A real deployment sits behind
# gunicorn/nginx with a backlog in the thousands. Conftests are imported before any live server
# starts, so this applies to the session's live server.
WSGIServer.request_queue_size = 128


@pytest.fixture(autouse=True)
def _no_ratelimit(settings):
    """Rate limiting and the cap on unconfirmed seats per client are tested explicitly;
    everywhere else they are off (the test client always has the same address)."""
    settings.ORTSWANDEL_RATELIMIT_ENABLED = False
    settings.ORTSWANDEL_EVENTS_UNCONFIRMED_PER_CLIENT = 0
    settings.ORTSWANDEL_BASE_URL = "http://testserver"
    # Fast hashing: many tests create users for the role matrix.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_event(programme):
    counter = {"n": 0}

    def make(**fields: Any) -> Event:
        counter["n"] += 1
        start = fields.pop("starts_at", timezone.now() + timedelta(days=30))
        defaults: dict[str, Any] = {
            "programme": programme,
            "title": f"Werkstatt {counter['n']}",
            "slug": f"werkstatt-{counter['n']}",
            "format": EventFormat.ONLINE,
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "status": PublicationStatus.PUBLISHED,
            "online_url": "https://meet.example.org/geheim-123",
            "capacity": 10,
        }
        defaults.update(fields)
        return Event.objects.create(**defaults)

    return make


@pytest.fixture
def event(make_event):
    return make_event(capacity=2)


def person(n: int = 1, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": f"Person {n}",
        "email": f"person{n}@example.org",
        "consent": True,
    }
    data.update(extra)
    return data
