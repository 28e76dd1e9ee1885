"""Visitor-facing rough edges (issue 9): the registration outcome where people look, required
questions marked up front, voluntary consent questions, full events in the list, and the
confirmation mail of on-site events."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from ortswandel.events import services
from ortswandel.events.models import Question, QuestionKind, Registration

from .conftest import person

pytestmark = pytest.mark.django_db


def form_data(n=1, **extra):
    data = {"name": f"Person {n}", "email": f"person{n}@example.org", "consent": "on"}
    data.update(extra)
    return data


def test_after_registering_the_outcome_replaces_the_form_and_takes_focus(client, event):
    response = client.post(event.get_absolute_url(), form_data(1))
    assert response.status_code == 302
    location = response["Location"]
    assert location.endswith("#anmeldung-ergebnis") and "?ergebnis=" in location
    html = client.get(location).content.decode()
    box = re.search(r'<div class="outcome-box"[^>]*>', html)
    assert box, html
    assert 'role="status"' in box.group(0) and 'tabindex="-1"' in box.group(0)
    assert "autofocus" in box.group(0)
    assert "Wir haben Ihnen eine E-Mail geschickt" in html
    # No empty form again for the same person (also after a reload) …
    assert 'class="stacked registration-form"' not in html
    assert 'name="email"' not in html
    # … but a way to register someone else.
    assert f'href="{event.get_absolute_url()}#anmeldung"' in html
    # The message is not repeated at the top of the page.
    assert html.count("Wir haben Ihnen eine E-Mail geschickt") == 1


def test_waitlisted_outcome_and_forged_or_foreign_outcome_tokens(client, make_event):
    full = make_event(capacity=1)
    other = make_event()
    services.registration_create(event=full, **person(9))
    location = client.post(full.get_absolute_url(), form_data(1))["Location"]
    html = client.get(location).content.decode()
    assert "Sie stehen auf der Warteliste" in html and 'role="status"' in html
    token = location.split("?ergebnis=")[1].split("#")[0]
    # The same token on another event, or a forged one, shows the normal form.
    for url in (
        f"{other.get_absolute_url()}?ergebnis={token}",
        f"{full.get_absolute_url()}?ergebnis=pending",
        f"{full.get_absolute_url()}?ergebnis={'x' * 2000}",
    ):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "outcome-box" not in page and 'name="email"' in page


def test_required_questions_are_marked_before_the_first_submit(client, event):
    food = event.questions.create(
        kind=QuestionKind.CHOICE, label="Verpflegung", choices="vegan\nmit Fleisch", required=True
    )
    note = event.questions.create(kind=QuestionKind.TEXT, label="Anmerkung")
    html = client.get(event.get_absolute_url()).content.decode()
    select = re.search(rf'<select name="{food.key}"[^>]*>', html).group(0)
    assert " required" in select and 'aria-required="true"' in select
    assert "Verpflegung (Pflichtangabe)" in html
    textarea = re.search(rf'<textarea name="{note.key}"[^>]*>', html).group(0)
    assert "required" not in textarea
    assert "Anmerkung (optional)" in html


def test_consent_questions_are_voluntary_for_participants(client, event):
    photos = event.questions.create(kind=QuestionKind.CONSENT, label="Fotos ok", required=True)
    html = client.get(event.get_absolute_url()).content.decode()
    checkbox = re.search(rf'<input type="checkbox" name="{photos.key}"[^>]*>', html).group(0)
    assert "required" not in checkbox
    assert "Fotos ok (optional)" in html
    # Registering without the photo consent works; the answer is stored as "no".
    assert client.post(event.get_absolute_url(), form_data(1)).status_code == 302
    reg = Registration.objects.get(email="person1@example.org")
    assert reg.answers[str(photos.pk)]["answer"] is False
    # The privacy-notice acknowledgement stays required.
    assert client.post(event.get_absolute_url(), form_data(2, consent="")).status_code == 422


def test_organiser_cannot_make_a_consent_question_required(event):
    question = Question(event=event, kind=QuestionKind.CONSENT, label="Fotos ok", required=True)
    with pytest.raises(ValidationError) as excinfo:
        question.full_clean()
    assert "DSGVO" in str(excinfo.value.message_dict["required"])
    Question(event=event, kind=QuestionKind.CONSENT, label="Fotos ok").full_clean()
    Question(event=event, kind=QuestionKind.TEXT, label="Frage", required=True).full_clean()


def test_full_event_in_the_list_says_waiting_list_or_booked_out(client, make_event):
    waiting = make_event(title="Mit Warteliste", capacity=1)
    booked = make_event(title="Ohne Warteliste", capacity=1, waitlist_enabled=False)
    free = make_event(title="Mit Plätzen", capacity=5)
    for n, item in enumerate((waiting, booked)):
        services.registration_create(event=item, **person(n))
    html = client.get("/veranstaltungen/").content.decode()
    states = dict(
        re.findall(
            r'<h2><a href="[^"]+">([^<]+)</a></h2>.*?<p class="reg-state[^"]*">([^<]+)</p>',
            html,
            flags=re.S,
        )
    )
    assert "0 Plätze frei" not in html
    assert states[waiting.title] == "Ausgebucht – Anmeldung auf die Warteliste möglich"
    assert states[booked.title] == "Ausgebucht"
    assert states[free.title] == "Anmeldung offen – 5 Plätze frei"


def _confirmed_mail(event, mailoutbox, capture):
    with capture(execute=True):
        reg = services.registration_create(event=event, **person(1))
    with capture(execute=True):
        services.registration_confirm(registration=reg)
    return mailoutbox[-1].body


def test_confirmation_mail_mentions_the_access_link_only_for_online_events(
    make_event, mailoutbox, django_capture_on_commit_callbacks
):
    onsite = make_event(format="onsite", online_url="", venue_name="Rathaus")
    body = _confirmed_mail(onsite, mailoutbox, django_capture_on_commit_callbacks)
    assert "Ihre Anmeldung ist bestätigt" in body
    assert "Zugangslink" not in body
    assert "über den Abmeldelink ab" in body
    online = make_event()
    body = _confirmed_mail(online, mailoutbox, django_capture_on_commit_callbacks)
    assert "geheim-123" in body
    assert body.count("Bitte geben Sie den Zugangslink nicht weiter.") == 1


def test_series_outcome_replaces_the_form(client, make_event, programme):
    from ortswandel.events.models import EventSeries

    series = EventSeries.objects.create(
        programme=programme, title="Reihe", slug="reihe", status="published"
    )
    a, b = make_event(series=series), make_event(series=series, capacity=1)
    services.registration_create(event=b, **person(9))
    response = client.post(series.get_absolute_url(), {**form_data(1), "events": [a.pk, b.pk]})
    assert response.status_code == 302
    assert response["Location"].endswith("#anmeldung-ergebnis")
    html = client.get(response["Location"]).content.decode()
    assert 'id="anmeldung-ergebnis" role="status" tabindex="-1" autofocus' in html
    assert "für 2 Veranstaltungen angemeldet (davon 1 auf der Warteliste)" in html
    assert 'name="email"' not in html
    forged = client.get(f"{series.get_absolute_url()}?ergebnis=x").content.decode()
    assert "outcome-box" not in forged and 'name="email"' in forged
