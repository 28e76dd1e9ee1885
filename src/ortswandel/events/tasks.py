"""Periodic jobs of the events app, run by the worker (``manage.py run_worker``); the management
commands of the same names call the same services by hand."""

from __future__ import annotations

from ortswandel.core import jobs

from . import services


@jobs.periodic(name="events.release_unconfirmed_registrations", every_minutes=10)
def release_unconfirmed_registrations() -> str:
    return f"released={services.registrations_release_unconfirmed()}"


@jobs.periodic(name="events.send_event_reminders", hourly_at=7)
def send_event_reminders() -> str:
    return f"reminders={services.reminders_send_due()} followups={services.followups_send_due()}"


@jobs.periodic(name="events.purge_event_personal_data", daily_at="03:30")
def purge_event_personal_data() -> str:
    result = services.purge_due()
    return f"events={result['events']} registrations={result['registrations']}"


@jobs.periodic(name="events.publish_scheduled", every_minutes=5)
def publish_scheduled() -> str:
    """Scheduled publishing: events and series whose ``publish_at`` has come."""
    return f"published={len(services.events_publish_due())}"
