"""DSGVO: automatic anonymisation after N days, statistics survive, export and erasure hooks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ortswandel.accounts.services import user_delete, user_export_data
from ortswandel.core.models import AuditEntry, QueuedMail
from ortswandel.events import selectors, services
from ortswandel.events.models import Event, Registration

from .conftest import person

pytestmark = pytest.mark.django_db


def make_past(make_event, days_ago, **fields):
    return make_event(starts_at=timezone.now() - timedelta(days=days_ago), **fields)


def fill(event, n=3):
    for i in range(n):
        Registration.objects.create(
            event=event,
            status="confirmed" if i else "cancelled",
            name=f"Person {i}",
            email=f"p{i}-{event.pk}@example.org",
            organisation="Gemeinde",
            land_code="12",
            organisation_kind="municipality",
            answers={"1": {"question": "Frage", "answer": "geheim"}},
            consent_text="Einwilligung",
            consented_at=timezone.now(),
            attended=bool(i % 2),
        )


def test_purge_after_default_90_days(make_event):
    old = make_past(make_event, 92)
    recent = make_past(make_event, 30)
    custom = make_past(make_event, 20, retention_days=10)
    for event in (old, recent, custom):
        fill(event)
    QueuedMail.objects.create(
        to="p1@example.org",
        subject="x",
        body="y",
        object_type="events.registration",
        object_id=str(old.registrations.first().pk),
    )
    before = selectors.statistics(Event.objects.filter(pk=old.pk))
    result = services.purge_due()
    assert result == {"events": 2, "registrations": 6}
    for event in (old, custom):
        rows = Registration.objects.filter(event=event)
        assert rows.filter(anonymised_at__isnull=False).count() == 3
        assert set(rows.values_list("email", flat=True)) == {""}
        assert set(rows.values_list("name", flat=True)) == {""}
        assert all(r.answers == {} for r in rows)
    assert not Registration.objects.filter(event=recent, anonymised_at__isnull=False).exists()
    assert QueuedMail.objects.count() == 0
    after = selectors.statistics(Event.objects.filter(pk=old.pk))
    assert after["by_land"] == before["by_land"]
    assert after["per_event"][0].confirmed == before["per_event"][0].confirmed == 2
    assert after["per_event"][0].attended_count == 1
    assert AuditEntry.objects.filter(action="events.event.personal_data_purged").count() == 2
    assert services.purge_due() == {"events": 0, "registrations": 0}  # idempotent


def test_purge_revokes_links(client, make_event):
    event = make_event()
    reg = services.registration_create(event=event, **person(1))
    token = services.make_token(reg, "manage")
    assert client.get(f"/veranstaltungen/anmeldung/{token}/").status_code == 200
    services.event_purge_personal_data(event=event)
    assert client.get(f"/veranstaltungen/anmeldung/{token}/").status_code == 404


def test_purge_command(make_event):
    import io

    fill(make_past(make_event, 100))
    out = io.StringIO()
    call_command("purge_event_personal_data", "--dry-run", stdout=out)
    assert "due:" in out.getvalue()
    assert Registration.objects.filter(anonymised_at__isnull=True).count() == 3
    call_command("purge_event_personal_data", stdout=out)
    assert Registration.objects.filter(anonymised_at__isnull=True).count() == 0


def test_account_export_and_delete_include_registrations(event, registered_user):
    reg = services.registration_create(
        event=event,
        name="Planerin",
        email=registered_user.email,
        consent=True,
        user=registered_user,
    )
    waiting_for = services.registration_create(event=event, **person(2))
    data = user_export_data(user=registered_user)
    assert data["events"][0]["email"] == registered_user.email
    assert data["events"][0]["consent_text"]
    services.registration_create(event=event, **person(3))  # waitlisted
    user_delete(user=registered_user)
    reg.refresh_from_db()
    assert reg.status == "cancelled" and reg.anonymised_at is not None and reg.email == ""
    assert waiting_for.status == "pending"
    promoted = Registration.objects.get(email="person3@example.org")
    assert promoted.status == "pending"  # the freed seat went to the waiting list


def test_an_account_with_someone_elses_email_gets_nothing_of_theirs(event, django_user_model):
    """Sign-up does not verify the address: the account hooks must not match by email."""
    victim = services.registration_create(event=event, **person(1, organisation="Amt Geheim"))
    impostor = django_user_model.objects.create_user(
        username="person1@example.org", email="person1@example.org", password="x"
    )
    data = user_export_data(user=impostor)
    assert "Amt Geheim" not in str(data)
    user_delete(user=impostor)
    victim.refresh_from_db()
    assert victim.status == "pending" and victim.anonymised_at is None


def test_public_pages_never_show_participants(client, event):
    services.registration_create(event=event, **person(1, name="Erika Mustermann"))
    for url in (
        "/veranstaltungen/",
        event.get_absolute_url(),
        "/api/events",
        f"/api/events/{event.pk}",
    ):
        body = client.get(url).content.decode()
        assert "Erika Mustermann" not in body and "person1@example.org" not in body


def test_purge_removes_names_from_the_audit_log(make_event):
    event = make_event()
    reg = services.registration_create(event=event, **person(1, name="Erika Geheim"))
    services.registration_confirm(registration=reg)
    services.registration_cancel(registration=reg)
    entries = AuditEntry.objects.filter(object_type="events.registration", object_id=str(reg.pk))
    assert entries.count() == 3
    assert all("Erika Geheim" in e.object_repr for e in entries)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=100), ends_at=timezone.now() - timedelta(days=99)
    )
    assert services.purge_due() == {"events": 1, "registrations": 1}
    assert entries.count() == 3  # who did what, when: kept
    assert not AuditEntry.objects.filter(object_repr__contains="Erika").exists()
    assert not AuditEntry.objects.filter(payload__icontains="person1@example.org").exists()
