"""Scheduled commands (reminders, follow-ups, release) and the idempotent demo loader."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ortswandel.catalogue.models import Programme, Theme, ThemeKind
from ortswandel.events import demo, services
from ortswandel.events.models import Event, EventSeries, QueuedMail, Registration

from .conftest import person

pytestmark = pytest.mark.django_db


def test_reminders_once_and_only_for_confirmed(make_event, settings):
    settings.ORTSWANDEL_EVENTS_REGISTRATION_CLOSE_DAYS = 0
    soon = make_event(starts_at=timezone.now() + timedelta(hours=20))
    later = make_event(starts_at=timezone.now() + timedelta(days=5))
    none = make_event(starts_at=timezone.now() + timedelta(hours=10), reminder_hours=0)
    for ev in (soon, later, none):
        confirmed = services.registration_create(event=ev, **person(1))
        services.registration_confirm(registration=confirmed)
        services.registration_create(event=ev, **person(2))  # pending: no reminder
    out = io.StringIO()
    call_command("send_event_reminders", "--no-followups", stdout=out)
    assert "reminders=1" in out.getvalue()
    reminder = QueuedMail.objects.get(kind="reminder")
    assert reminder.registration.event == soon
    assert "geheim-123" in reminder.body
    call_command("send_event_reminders", stdout=out)
    assert QueuedMail.objects.filter(kind="reminder").count() == 1


def test_followups_after_event(make_event):
    past = make_event(starts_at=timezone.now() - timedelta(days=1))
    Registration.objects.create(
        event=past,
        status="confirmed",
        name="A",
        email="a@example.org",
        consent_text="x",
        consented_at=timezone.now(),
    )
    assert services.followups_send_due() == 0
    past.materials.create(kind="recording", title="Aufzeichnung", url="https://example.org/v")
    assert services.followups_send_due() == 1
    assert services.followups_send_due() == 0
    assert "https://example.org/v" in QueuedMail.objects.get(kind="followup").body


def test_release_command(event, settings):
    settings.ORTSWANDEL_EVENTS_CONFIRMATION_HOURS = 1
    reg = services.registration_create(event=event, **person(1))
    Registration.objects.filter(pk=reg.pk).update(
        seat_held_since=timezone.now() - timedelta(hours=2)
    )
    out = io.StringIO()
    call_command("release_unconfirmed_registrations", stdout=out)
    assert "released=1" in out.getvalue()


@pytest.fixture
def kommunen_innovativ(db):
    programme = Programme.objects.create(
        name="Kommunen innovativ",
        slug="kommunen-innovativ",
        kind="federal_funding",
        status="published",
    )
    for i, name in enumerate(
        [
            "Daseinsvorsorge sichern",
            "Vielfalt leben",
            "Allianzen bilden",
            "Innen entwickeln",
            "Interkommunal agieren",
            "Experimente wagen",
        ]
    ):
        Theme.objects.create(
            programme=programme,
            kind=ThemeKind.CORE_MESSAGE,
            name=name,
            slug=f"k{i}",
            position=i,
            status="published",
        )
    return programme


def test_demo_loads_idempotently(kommunen_innovativ, client):
    out = io.StringIO()
    demo.load(stdout=out)
    demo.load()
    series = EventSeries.objects.get(slug="herbst-konferenz-2020")
    events = list(series.events.order_by("starts_at"))
    assert len(events) == 7  # opening + one per core message
    assert timezone.localtime(events[0].starts_at).strftime("%d.%m.%Y %H:%M") == "28.10.2020 09:30"
    assert timezone.localtime(events[-1].starts_at).date().isoformat() == "2020-12-08"
    assert all(e.time_unknown and e.schedule_note for e in events[1:])
    assert all(e.materials.exists() for e in events)
    assert all(e.themes.count() == 1 for e in events[1:])
    upcoming = Event.objects.filter(is_demo=True)
    assert upcoming.count() == 3
    assert all("(Demo)" in e.title and e.registration_is_open() for e in upcoming)
    # a new user can register at once
    demo_event = upcoming.get(slug="demo-netzwerktreffen-daseinsvorsorge")
    response = client.post(
        f"/api/events/{demo_event.pk}/registrations",
        {"name": "Neu", "email": "neu@example.org", "consent": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.get(series.get_absolute_url()).status_code == 200
    assert client.get(events[0].get_absolute_url()).status_code == 200


def test_demo_without_programme_is_skipped(db):
    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue()
    assert not Event.objects.exists()
