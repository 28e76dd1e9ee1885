"""With ``CACHE_URL`` set and Redis unreachable, registration, the event page and the project
directory keep working (served uncached); the limiter keeps counting per process."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from ortswandel.core import cache_backends
from ortswandel.events.models import Registration
from tests.redis_support import (  # noqa: F401 (fixtures)
    broken_cache_settings,
    closed_redis_url,
    redis_cache_settings,
    redis_url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("broken_cache_settings")]

FORM = {
    "name": "Ada Muster",
    "email": "ada@example.org",
    "organisation": "",
    "organisation_kind": "",
    "land_code": "",
    "consent": "on",
}


def test_event_page_and_registration_work_while_redis_is_down(client, event, caplog):
    # Creating the event already hit the dead cache; start with a fresh breaker and log.
    cache_backends._last_warning.clear()
    cache_backends.ResilientRedisCache._down_until.clear()
    with caplog.at_level(logging.WARNING, logger="ortswandel.cache"):
        page = client.get(event.get_absolute_url())
        assert page.status_code == 200
        assert event.title in page.content.decode()
        response = client.post(event.get_absolute_url(), FORM)
    assert response.status_code == 302
    assert Registration.objects.filter(event=event, email="ada@example.org").exists()
    assert "Cache unreachable" in caplog.text
    # The page is still served – uncached – after the registration.
    assert client.get(event.get_absolute_url()).status_code == 200


def test_api_registration_and_rate_limit_while_redis_is_down(client, make_event, settings):
    settings.ORTSWANDEL_RATELIMIT_ENABLED = True
    settings.ORTSWANDEL_RATELIMIT_REGISTRATIONS = "2/m"
    from ortswandel.core import ratelimit

    ratelimit._fallback.clear()
    event = make_event(capacity=None)
    codes = [
        client.post(
            f"/api/events/{event.pk}/registrations",
            {"name": f"P {n}", "email": f"p{n}@example.org", "consent": True},
            content_type="application/json",
        ).status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429]


def test_project_directory_and_event_list_work_while_redis_is_down(client, event):
    assert client.get(reverse("catalogue:project_list")).status_code == 200
    assert client.get(reverse("catalogue:home")).status_code == 200
    assert client.get(reverse("events:event_list")).status_code == 200
