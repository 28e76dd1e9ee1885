"""Fixtures for the newsletter tests: programme content (news, event, result), subscriptions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from ortswandel.catalogue.models import NewsItem, Result, ResultKind
from ortswandel.core.models import PublicationStatus
from ortswandel.events.models import Event, EventFormat
from ortswandel.newsletter import services
from ortswandel.newsletter.models import Subscription, SubscriptionStatus, TopicKind

PUBLISHED = PublicationStatus.PUBLISHED


@pytest.fixture(autouse=True)
def _newsletter_settings(settings):
    settings.ORTSWANDEL_RATELIMIT_ENABLED = False
    settings.ORTSWANDEL_BASE_URL = "http://testserver"
    settings.ORTSWANDEL_NEWSLETTER_WEBHOOK_SECRET = "geheim-webhook-123"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def content(programme):
    """One public news item, upcoming event and result of ``programme``."""
    news = NewsItem.objects.create(
        title="Neue Förderrunde",
        slug="neue-foerderrunde",
        programme=programme,
        published_on=timezone.localdate(),
        teaser="Jetzt bewerben.",
        status=PUBLISHED,
    )
    start = timezone.now() + dt.timedelta(days=20)
    event = Event.objects.create(
        programme=programme,
        title="Werkstatt Leerstand",
        slug="werkstatt-leerstand",
        format=EventFormat.ONLINE,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        status=PUBLISHED,
        online_url="https://meet.example.org/x",
    )
    result = Result.objects.create(
        title="Leitfaden Kita-Planung",
        slug="leitfaden-kita",
        kind=ResultKind.values[0],
        programme=programme,
        status=PUBLISHED,
    )
    return {"news": news, "event": event, "result": result}


def subscribe(email: str, programme: Any, *, language: str = "de") -> Subscription:
    """A confirmed programme subscription (as after the double opt-in)."""
    sub = services.subscription_request(
        email=email,
        topic=services.Topic(TopicKind.PROGRAMME, programme=programme),
        language=language,
    )
    assert sub is not None
    Subscription.objects.filter(pk=sub.pk).update(
        status=SubscriptionStatus.CONFIRMED, confirmed_at=timezone.now()
    )
    sub.refresh_from_db()
    return sub


def link_in(body: str, part: str) -> str:
    """The path of the first link in ``body`` containing ``part``."""
    match = re.search(r"http://testserver(/\S*" + re.escape(part) + r"\S*/)", body)
    assert match, body
    return match.group(1)
