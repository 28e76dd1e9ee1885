"""Scheduled publishing of events (issue 9): the periodic job publishes drafts whose date has
come; public() hides a published event until its date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ortswandel.core import jobs
from ortswandel.core.models import AuditEntry, PublicationStatus
from ortswandel.events import tasks
from ortswandel.events.models import Event

pytestmark = pytest.mark.django_db


def test_job_publishes_due_drafts_only(make_event):
    now = timezone.now()
    due = make_event(slug="faellig", status=PublicationStatus.DRAFT)
    later = make_event(slug="spaeter", status=PublicationStatus.DRAFT)
    Event.objects.filter(pk=due.pk).update(publish_at=now - dt.timedelta(minutes=1))
    Event.objects.filter(pk=later.pk).update(publish_at=now + dt.timedelta(days=1))
    assert "events.publish_scheduled" in {job.name for job in jobs.periodic_jobs()}

    assert tasks.publish_scheduled() == "published=1"

    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == PublicationStatus.PUBLISHED and due.publish_at is None
    assert later.status == PublicationStatus.DRAFT
    assert AuditEntry.objects.filter(action="events.event.published", actor=None).count() == 1
    assert tasks.publish_scheduled() == "published=0"


def test_public_hides_a_published_event_until_its_date(event):
    assert Event.objects.public().filter(pk=event.pk).exists()
    Event.objects.filter(pk=event.pk).update(publish_at=timezone.now() + dt.timedelta(hours=1))
    assert not Event.objects.public().filter(pk=event.pk).exists()
