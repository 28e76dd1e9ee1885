"""Public JSON API: fields, error codes, rate limiting, no personal data and no online links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ortswandel.events import services

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
