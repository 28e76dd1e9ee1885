"""Registration life cycle: seats, waiting list, double opt-in, cancellation, expiry, questions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ortswandel.core.errors import Conflict, Unprocessable
from ortswandel.core.models import AuditEntry, QueuedMail
from ortswandel.events import services
from ortswandel.events.models import QuestionKind, Registration, RegistrationStatus

from .conftest import person

pytestmark = pytest.mark.django_db


def register(event, n, **extra):
    return services.registration_create(event=event, **person(n, **extra))


def test_seats_then_waitlist(event, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = register(event, 1)
        second = register(event, 2)
        third = register(event, 3)
    assert [first.status, second.status, third.status] == ["pending", "pending", "waitlisted"]
    assert services.waitlist_position(third) == 1
    assert services.seats_taken(event) == 2
    # one confirmation request each, stored and sent through the queue
    assert len(mailoutbox) == 3
    assert QueuedMail.objects.filter(sent_at__isnull=False).count() == 3
    assert "bestätigen" in mailoutbox[0].body
    assert "meet.example.org" not in mailoutbox[0].body  # no online link before confirmation
    assert first.consent_text == event.effective_consent_text
    assert AuditEntry.objects.filter(action="events.registration.waitlisted").count() == 1


def test_duplicate_email_rejected_case_insensitive(event):
    register(event, 1)
    with pytest.raises(Conflict) as excinfo:
        services.registration_create(event=event, **person(1, email="PERSON1@example.org"))
    assert excinfo.value.code == "duplicate_email"


def test_reregister_after_cancel_is_allowed(event):
    first = register(event, 1)
    services.registration_cancel(registration=first)
    again = register(event, 1)
    assert again.status == RegistrationStatus.PENDING


def test_consent_required(event):
    with pytest.raises(Unprocessable) as excinfo:
        register(event, 1, consent=False)
    assert excinfo.value.code == "consent_required"
    assert "consent" in excinfo.value.fields


def test_invalid_data_names_fields(event):
    with pytest.raises(Unprocessable) as excinfo:
        services.registration_create(
            event=event, name=" ", email="kein-mail", consent=True, land_code="99"
        )
    assert excinfo.value.code == "invalid_input"
    assert set(excinfo.value.fields) == {"name", "email", "land_code"}


def test_registration_closes_seven_days_before_by_default(make_event):
    soon = make_event(starts_at=timezone.now() + timedelta(days=6))
    assert soon.registration_is_open() is False
    with pytest.raises(Conflict) as excinfo:
        register(soon, 1)
    assert excinfo.value.code == "registration_closed"
    later = make_event(starts_at=timezone.now() + timedelta(days=8))
    assert later.registration_is_open() is True


def test_registration_window_per_event(make_event):
    now = timezone.now()
    not_yet = make_event(registration_opens_at=now + timedelta(days=1))
    assert not not_yet.registration_is_open()
    custom = make_event(
        starts_at=now + timedelta(days=3), registration_closes_at=now + timedelta(days=2)
    )
    assert custom.registration_is_open()
    draft = make_event(status="draft")
    assert not draft.registration_is_open()


def test_full_without_waitlist(make_event):
    event = make_event(capacity=1, waitlist_enabled=False)
    register(event, 1)
    with pytest.raises(Conflict) as excinfo:
        register(event, 2)
    assert excinfo.value.code == "event_full"


def test_confirm_then_online_link_in_mail(event, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        reg = register(event, 1)
        changed = services.registration_confirm(registration=reg)
        again = services.registration_confirm(registration=reg)
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.CONFIRMED
    assert reg.email_verified_at is not None
    assert [r.pk for r in changed] == [reg.pk]
    assert again == []  # idempotent, no second mail
    assert len(mailoutbox) == 2
    assert "https://meet.example.org/geheim-123" in mailoutbox[1].body


def test_cancel_promotes_unverified_to_pending(
    event, django_capture_on_commit_callbacks, mailoutbox
):
    a, _b = register(event, 1), register(event, 2)
    waiting = register(event, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=a)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.PENDING
    assert waiting.promoted_at is not None
    assert services.seats_taken(event) == 2
    promoted_mail = [m for m in mailoutbox if m.to == ["person3@example.org"]]
    assert promoted_mail and "Platz ist frei" in promoted_mail[0].subject


def test_cancel_promotes_verified_directly_to_confirmed(
    event, django_capture_on_commit_callbacks, mailoutbox
):
    a = register(event, 1)
    register(event, 2)
    waiting = register(event, 3)
    services.registration_confirm(registration=waiting)  # verifies the email while waiting
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITLISTED
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=a)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    body = next(m.body for m in mailoutbox if m.to == ["person3@example.org"])
    assert "meet.example.org/geheim-123" in body


def test_waitlist_cancel_frees_no_seat(event):
    register(event, 1)
    register(event, 2)
    w1, w2 = register(event, 3), register(event, 4)
    services.registration_cancel(registration=w1)
    w2.refresh_from_db()
    assert w2.status == RegistrationStatus.WAITLISTED
    assert services.waitlist_position(w2) == 1


def test_unconfirmed_seats_are_released(event, settings):
    settings.ORTSWANDEL_EVENTS_CONFIRMATION_HOURS = 24
    stale = register(event, 1)
    fresh = register(event, 2)
    waiting = register(event, 3)
    later = timezone.now() + timedelta(hours=25)
    type(stale).objects.filter(pk=fresh.pk).update(seat_held_since=later - timedelta(hours=1))
    assert services.registrations_release_unconfirmed(now=later) == 1
    stale.refresh_from_db()
    waiting.refresh_from_db()
    assert stale.status == RegistrationStatus.EXPIRED
    assert waiting.status == RegistrationStatus.PENDING
    # the expired person can still confirm: no seat free now, so the waiting list
    services.registration_confirm(registration=stale)
    stale.refresh_from_db()
    assert stale.status == RegistrationStatus.WAITLISTED


def test_full_event_releases_stale_seat_for_waitlist_first(event, settings):
    settings.ORTSWANDEL_EVENTS_CONFIRMATION_HOURS = 1
    a = register(event, 1)
    register(event, 2)
    waiting = register(event, 3)
    type(a).objects.filter(pk=a.pk).update(seat_held_since=timezone.now() - timedelta(hours=2))
    newcomer = register(event, 4)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.PENDING  # the waiting person got the seat
    assert newcomer.status == RegistrationStatus.WAITLISTED


def test_custom_questions(event):
    choice = event.questions.create(
        kind=QuestionKind.CHOICE, label="Essen", choices="vegan\nvegetarisch", required=True
    )
    # A consent question is voluntary even if flagged required (GDPR Art. 7(4)).
    consent = event.questions.create(kind=QuestionKind.CONSENT, label="Fotos ok", required=True)
    text = event.questions.create(kind=QuestionKind.TEXT, label="Frage")
    with pytest.raises(Unprocessable) as excinfo:
        register(event, 1, answers={choice.key: "Fleisch"})
    assert set(excinfo.value.fields) == {f"answers.{choice.key}"}
    with pytest.raises(Unprocessable) as excinfo:
        register(event, 1, answers={"q999999": "x", choice.key: "vegan", consent.key: True})
    assert "answers.q999999" in excinfo.value.fields
    reg = register(
        event, 1, answers={choice.key: "vegan", str(consent.pk): True, text.key: " Hallo "}
    )
    assert reg.answers[str(choice.pk)] == {"question": "Essen", "answer": "vegan"}
    assert reg.answers[str(consent.pk)]["answer"] is True
    assert reg.answers[str(text.pk)]["answer"] == "Hallo"


def test_series_registration_in_one_step_all_or_nothing(
    make_event, django_capture_on_commit_callbacks, mailoutbox
):
    a, b = make_event(capacity=1), make_event(capacity=5)
    closed = make_event(starts_at=timezone.now() + timedelta(days=2))
    services.registration_create(event=a, **person(9))
    with django_capture_on_commit_callbacks(execute=True):
        regs = services.registration_create_many(events=[b, a], **person(1))
    assert [(r.event_id, r.status) for r in regs] == [(a.pk, "waitlisted"), (b.pk, "pending")]
    assert len({r.batch for r in regs}) == 1
    assert len(mailoutbox) == 1 and "2 Veranstaltungen" in mailoutbox[0].subject
    confirmed = services.registration_confirm(registration=regs[1])
    assert {r.pk for r in confirmed} == {r.pk for r in regs}
    with pytest.raises(Conflict):
        services.registration_create_many(events=[b, closed], **person(2))
    assert not b.registrations.filter(email="person2@example.org").exists()


def test_batch_mails_carry_one_cancel_link_per_event(
    client, make_event, django_capture_on_commit_callbacks, mailoutbox
):
    import re

    a, b = make_event(), make_event()
    with django_capture_on_commit_callbacks(execute=True):
        regs = services.registration_create_many(events=[a, b], **person(1))
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_confirm(registration=regs[0])
    assert [m.subject.split(" ")[0] for m in mailoutbox] == ["Bitte", "Anmeldung"]
    for message in mailoutbox:  # the request and the confirmation
        links = re.findall(
            r"http://testserver(/veranstaltungen/anmeldung/\S+/abmelden/)", message.body
        )
        assert len(links) == 2, message.body
        targets = {services.resolve_token(link.split("/")[3], "cancel").pk for link in links}
        assert targets == {r.pk for r in regs}
    # Following the second link cancels exactly that event.
    second = re.findall(
        r"http://testserver(/veranstaltungen/anmeldung/\S+/abmelden/)", mailoutbox[-1].body
    )
    link = next(
        x for x in second if services.resolve_token(x.split("/")[3], "cancel").pk == regs[1].pk
    )
    assert client.post(link).status_code == 302
    statuses = {r.pk: r.status for r in Registration.objects.filter(pk__in=[r.pk for r in regs])}
    assert statuses == {regs[0].pk: "confirmed", regs[1].pk: "cancelled"}


def test_registration_window_must_make_sense(make_event):
    from django.core.exceptions import ValidationError

    event = make_event(starts_at=timezone.now() + timedelta(days=30))
    event.registration_opens_at = event.starts_at - timedelta(days=3)  # after the default close
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "registration_opens_at" in error.value.message_dict
    event.registration_closes_at = event.starts_at - timedelta(days=1)
    event.full_clean()  # now it opens before it closes
