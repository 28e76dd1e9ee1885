"""Public JSON API: fields, error codes, rate limiting, no personal data and no online links."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ortswandel.events import services
from ortswandel.events.models import Registration

from .conftest import person

pytestmark = pytest.mark.django_db


def post(client, event_id, payload):
    return client.post(
        f"/api/events/{event_id}/registrations", payload, content_type="application/json"
    )


def test_list_has_documented_fields(client, event, make_event):
    make_event(status="draft", slug="geheim")
    services.registration_create(event=event, **person(1))
    response = client.get("/api/events")
    assert response.status_code == 200
    data = response.json()
    assert [item["id"] for item in data] == [event.pk]
    item = data[0]
    for key in ("id", "title", "start", "end", "format", "registration_open", "capacity"):
        assert key in item
    assert item["seats_left"] == 1
    assert item["capacity"] == 2
    assert item["registration_open"] is True
    assert item["format"] == "online"


def test_list_filters(client, make_event, other_programme):
    past = make_event(starts_at=timezone.now() - timedelta(days=3))
    future = make_event(format="onsite", online_url="")
    other = make_event(programme=other_programme)
    ids = lambda r: {item["id"] for item in r.json()}  # noqa: E731
    assert ids(client.get("/api/events?when=past")) == {past.pk}
    assert ids(client.get("/api/events?format=onsite")) == {future.pk}
    assert ids(client.get("/api/events?programme=anderes-programm")) == {other.pk}
    assert client.get("/api/events?limit=0").status_code == 422


def test_detail_and_no_online_link_anywhere(client, event):
    services.registration_create(event=event, **person(1, organisation="Gemeinde X"))
    detail = client.get(f"/api/events/{event.pk}")
    assert detail.status_code == 200
    assert detail.json()["consent_text"]
    for url in ("/api/events", f"/api/events/{event.pk}", "/api/openapi.json"):
        body = client.get(url).content.decode()
        assert "geheim-123" not in body
        assert "person1@example.org" not in body and "Gemeinde X" not in body


def test_unknown_and_draft_events_are_404(client, make_event):
    draft = make_event(status="draft")
    for url in (f"/api/events/{draft.pk}", "/api/events/999999"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert post(client, draft.pk, person(1)).status_code == 404


def test_register_201_pending_then_waitlisted(client, event, mailoutbox):
    r1 = post(client, event.pk, person(1))
    assert r1.status_code == 201
    assert r1.json()["status"] == "pending_confirmation"
    post(client, event.pk, person(2))
    r3 = post(client, event.pk, person(3))
    assert r3.status_code == 201
    assert r3.json() | {"message": ""} == {
        "status": "waitlisted",
        "event_id": event.pk,
        "waitlist_position": 1,
        "message": "",
    }


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (person(1, consent=False), 422, "consent_required"),
        ({"name": "A", "email": "a@example.org"}, 422, "consent_required"),
        (person(1, email="nope"), 422, "invalid_input"),
        ({"email": "a@example.org", "consent": True}, 422, "invalid_input"),
        (person(1, answers={"q1": "x"}), 422, "invalid_input"),
        (person(1, name="x" * 500), 422, "invalid_input"),
    ],
)
def test_register_errors(client, event, payload, status, code):
    response = post(client, event.pk, payload)
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]


def test_duplicate_and_closed(client, event, make_event):
    post(client, event.pk, person(1))
    dup = post(client, event.pk, person(1, email="Person1@Example.org"))
    assert dup.status_code == 409
    assert dup.json()["code"] == "duplicate_email"
    assert "email" in dup.json()["fields"]
    closed = make_event(starts_at=timezone.now() + timedelta(days=2))
    response = post(client, closed.pk, person(1))
    assert response.status_code == 409
    assert response.json()["code"] == "registration_closed"


def test_malformed_json_is_4xx(client, event):
    response = client.post(
        f"/api/events/{event.pk}/registrations", "{nope", content_type="application/json"
    )
    assert 400 <= response.status_code < 500


def test_rate_limit_per_client_address(client, make_event, settings):
    settings.ORTSWANDEL_RATELIMIT_ENABLED = True
    settings.ORTSWANDEL_RATELIMIT_REGISTRATIONS = "3/m"
    from django.core.cache import cache

    cache.clear()
    event = make_event(capacity=None)
    codes = [post(client, event.pk, person(i)).status_code for i in range(4)]
    assert codes == [201, 201, 201, 429]
    limited = post(client, event.pk, person(9))
    assert limited.json()["code"] == "rate_limited"
    other_client = client.post(
        f"/api/events/{event.pk}/registrations",
        person(10),
        content_type="application/json",
        REMOTE_ADDR="10.0.0.2",
    )
    assert other_client.status_code == 201
    settings.ORTSWANDEL_RATELIMIT_ENABLED = False
    assert post(client, event.pk, person(11)).status_code == 201


def test_openapi_documents_event_paths(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/events" in schema["paths"]
    assert "/api/events/{event_id}/registrations" in schema["paths"]
    responses = schema["paths"]["/api/events/{event_id}/registrations"]["post"]["responses"]
    assert {"201", "409", "422", "429"} <= set(responses)


# --- nasty input: always a 4xx with a code and a German message, never a 500 ----------------

ENGLISH = re.compile(r"Input should|Field required|String should|Cannot parse|valid (string|dict)")


def raw_post(client, event_id, body, content_type="application/json"):
    return client.post(f"/api/events/{event_id}/registrations", body, content_type=content_type)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code", "field"),
    [
        ("{nope", "application/json", 400, "invalid_json", None),
        ('{"name": "A",}', "application/json", 400, "invalid_json", None),
        # a body not declared as JSON (what a cross-site form can send): 415, never parsed
        ("name=A&email=a@example.org", "application/x-www-form-urlencoded", 415,
         "unsupported_media_type", None),
        ('{"name": "A", "email": "a@example.org", "consent": true}', "text/plain", 415,
         "unsupported_media_type", None),
        ("", "application/json", 422, "invalid_input", "request"),
        ("[1, 2]", "application/json", 422, "invalid_input", "name"),
        ('"text"', "application/json", 422, "invalid_input", "name"),
        ('{"name": 5, "email": "a@example.org", "consent": true}', "application/json", 422,
         "invalid_input", "name"),
        ('{"name": ["A"], "email": "a@example.org", "consent": true}', "application/json", 422,
         "invalid_input", "name"),
        ('{"name": "A", "email": "a@example.org", "consent": "yes"}', "application/json", 422,
         "invalid_input", "consent"),
        ('{"name": "A", "email": "a@example.org", "consent": 1}', "application/json", 422,
         "invalid_input", "consent"),
        ('{"name": "A", "email": "a@example.org", "consent": true, "answers": [1]}',
         "application/json", 422, "invalid_input", "answers"),
        ('{"name": "A", "email": 7, "consent": true}', "application/json", 422, "invalid_input",
         "email"),
        ('{"name": "A\\u0000B", "email": "a@example.org", "consent": true}', "application/json",
         422, "invalid_input", "name"),
        ('{"name": "A", "email": "a@example.org", "organisation": "x\\u001b[31m", '
         '"consent": true}', "application/json", 422, "invalid_input", "organisation"),
        ('{"name": "A", "email": "a\\u0000@example.org", "consent": true}', "application/json",
         422, "invalid_input", "email"),
    ],
)  # fmt: skip
def test_nasty_bodies_give_german_4xx(client, event, body, content_type, status, code, field):  # noqa: PLR0917
    response = raw_post(client, event.pk, body, content_type)
    assert response.status_code == status, response.content
    data = response.json()
    assert data["code"] == code
    assert data["message"] and not ENGLISH.search(json.dumps(data, ensure_ascii=False)), data
    if field:
        assert field in data["fields"], data
        assert data["fields"][field]
    assert not Registration.objects.exists()


def test_huge_strings_are_refused_not_stored(client, event):
    for key in ("name", "email", "organisation"):
        payload = person(1) | {key: "x" * 100_000}
        response = post(client, event.pk, payload)
        assert response.status_code == 422, key
        assert response.json()["fields"][key].startswith("Höchstens")
    flood = person(1) | {"answers": {f"k{i}": "x" for i in range(5000)}}
    response = post(client, event.pk, flood)
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["answers"]  # one message, not 5,000
    assert not Registration.objects.exists()


def test_answers_must_have_the_right_type(client, event):
    from ortswandel.events.models import Question, QuestionKind

    text = Question.objects.create(event=event, kind=QuestionKind.TEXT, label="Frage")
    tick = Question.objects.create(
        event=event, kind=QuestionKind.CONSENT, label="Fotos", required=True
    )
    wrong = post(client, event.pk, person(1, answers={text.key: {"a": 1}, tick.key: [True]}))
    assert wrong.status_code == 422
    assert set(wrong.json()["fields"]) == {f"answers.{text.key}", f"answers.{tick.key}"}
    ok = post(client, event.pk, person(1, answers={text.key: "Zeile 1\nZeile 2", tick.key: True}))
    assert ok.status_code == 201, ok.content


def test_script_tags_are_stored_as_text_and_escaped(client, event, programme_editor):
    response = post(client, event.pk, person(1, name="<script>alert(1)</script>"))
    assert response.status_code == 201
    assert Registration.objects.get().name == "<script>alert(1)</script>"
    client.force_login(programme_editor)
    html = client.get(f"/veranstaltungen/organisation/{event.slug}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/events/999999", 404, "not_found"),
        ("/api/events/abc", 422, "invalid_input"),
        # beyond the declared maximum id (2**63 - 1): the schema says 422
        ("/api/events/99999999999999999999999", 422, "invalid_input"),
        ("/api/events?offset=99999999999999999999", 422, "invalid_input"),
        ("/api/events?from=0001-01-01", 422, "invalid_input"),
        ("/api/events?format=zzz", 422, "invalid_input"),
        ("/api/events?from=2020-13-45", 422, "invalid_input"),
        ("/api/events?when=morgen", 422, "invalid_input"),
        ("/api/events?limit=100000", 422, "invalid_input"),
        ("/api/events?offset=-1", 422, "invalid_input"),
    ],
)
def test_bad_reads_give_german_4xx(client, url, status, code):
    response = client.get(url)
    assert response.status_code == status, response.content
    data = response.json()
    assert data["code"] == code
    assert not ENGLISH.search(json.dumps(data, ensure_ascii=False)), data


def test_unknown_event_registration_is_404(client):
    response = post(client, 999999, person(1))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_mails_are_written_in_the_registrants_language(client, event):
    from ortswandel.core.models import QueuedMail
    from ortswandel.events.models import Registration

    post(client, event.pk, person(1))  # no language asked for: German, the site language
    client.post(
        f"/api/events/{event.pk}/registrations",
        person(2),
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    german = Registration.objects.get(email=person(1)["email"])
    english = Registration.objects.get(email=person(2)["email"])
    assert (german.language, english.language) == ("de", "en")
    mail_de = QueuedMail.objects.get(object_type="events.registration", object_id=german.pk)
    mail_en = QueuedMail.objects.get(object_type="events.registration", object_id=english.pk)
    assert mail_de.subject.startswith("Bitte bestätigen Sie Ihre Anmeldung")
    assert mail_en.subject == f"Please confirm your registration: {event.title}"
    assert "Guten Tag" in mail_de.body
    assert "Guten Tag" not in mail_en.body
