"""Scheduled commands (reminders, follow-ups, release) and the idempotent demo loader."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ortswandel.catalogue.models import Programme, Theme, ThemeKind
from ortswandel.core.models import QueuedMail
from ortswandel.events import demo, services
from ortswandel.events.models import Event, EventSeries, Registration

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
    assert Registration.objects.get(pk=reminder.object_id).event == soon
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
    assert all(e.format == "online" and not e.is_demo for e in events)
    # The documented dates: opening Wed 28.10. 9:30–12:30, then weekly 10:00–12:30 until 08.12.
    when = [
        timezone.localtime(e.starts_at).strftime("%d.%m.%Y %H:%M") if not e.time_unknown else None
        for e in events
    ]
    assert when == [
        "28.10.2020 09:30",
        "04.11.2020 10:00",
        "11.11.2020 10:00",
        None,  # „Innen entwickeln!“: day not documented, only the week
        "24.11.2020 10:00",
        "01.12.2020 10:00",
        "08.12.2020 10:00",
    ]
    assert [e.title.split(" – ")[0] for e in events[1:]] == [
        "Experimente wagen!",
        "Daseinsvorsorge sichern!",
        "Innen entwickeln!",
        "Allianzen bilden!",
        "Vielfalt leben!",
        "Interkommunal agieren!",
    ]
    undated = events[3]
    assert undated.schedule_note and "nicht überliefert" in undated.schedule_note
    assert timezone.localtime(undated.starts_at).date().isoformat() == "2020-11-16"
    assert timezone.localtime(undated.ends_at).date().isoformat() == "2020-11-20"
    assert timezone.localtime(events[0].ends_at).strftime("%H:%M") == "12:30"
    # Registration until one week before (the opening: until 21 October).
    assert timezone.localtime(events[0].effective_closes_at).date().isoformat() == "2020-10-21"
    assert all(e.registration_closes_at is None for e in events[1:])
    # Agendas with times and speakers where the programme pages give them.
    daseinsvorsorge = events[2].agenda_items.all()
    assert [a.starts_at.strftime("%H:%M") for a in daseinsvorsorge] == [
        "09:50", "10:00", "10:15", "11:15", "11:30",
    ]  # fmt: skip
    assert daseinsvorsorge.last().ends_at.strftime("%H:%M") == "12:30"
    assert "Prof. Dr. Peter Dehne" in " ".join(a.speakers for a in daseinsvorsorge)
    assert "Harald Welzer" in events[0].agenda_items.first().speakers
    assert all(e.materials.exists() for e in events)
    assert all(e.themes.count() == 1 for e in events[1:])
    assert events[0].themes.count() == 6
    upcoming = Event.objects.filter(is_demo=True)
    assert upcoming.count() == 3
    assert all("(Demo)" in e.title and e.registration_is_open() for e in upcoming)
    assert all(e.series is None or e.series.is_demo for e in upcoming)
    # a new user can register at once
    demo_event = upcoming.get(slug="demo-netzwerktreffen-daseinsvorsorge")
    response = client.post(
        f"/api/events/{demo_event.pk}/registrations",
        {"name": "Neu", "email": "neu@example.org", "consent": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.get(series.get_absolute_url()).status_code == 200
    for event in events:
        page = client.get(event.get_absolute_url())
        assert page.status_code == 200
        assert "Demo-Daten" not in page.content.decode()
    assert Registration.objects.filter(event__series=series).count() == 0


def test_demo_links_presenting_projects(kommunen_innovativ):
    from ortswandel.catalogue.models import Project

    for acronym in ("KIF", "TempALand", "MOSAIK"):
        Project.objects.create(
            programme=kommunen_innovativ,
            acronym=acronym,
            slug=acronym.lower(),
            title=acronym,
            status="published",
        )
    demo.load()
    experiments = Event.objects.get(slug="herbst-konferenz-2020-experimente-wagen")
    assert sorted(p.acronym for p in experiments.projects.all()) == ["KIF", "TempALand"]
    assert [p.acronym for p in Event.objects.get(
        slug="herbst-konferenz-2020-vielfalt-leben"
    ).projects.all()] == ["MOSAIK"]  # fmt: skip


def test_demo_without_programme_is_skipped(db):
    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue()
    assert not Event.objects.exists()
