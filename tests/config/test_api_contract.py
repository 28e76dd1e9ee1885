"""Defect 9: the API says what it does. Bodies must be declared JSON (415), oversized bodies are
413 ``payload_too_large``, every error status is in the OpenAPI document with the error schema,
limits are declared, and a server error under /api/ keeps the documented JSON shape."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from ortswandel.events.models import Event, Registration

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/ErrorOut"
PERSON = {"name": "Erika Beispiel", "email": "erika@example.org", "consent": True}


@pytest.fixture(autouse=True)
def _no_ratelimit(settings):
    settings.ORTSWANDEL_RATELIMIT_ENABLED = False


@pytest.fixture
def event(programme) -> Event:
    start = timezone.now() + dt.timedelta(days=10)
    return Event.objects.create(
        programme=programme, title="Werkstatt", slug="werkstatt", format="online",
        starts_at=start, ends_at=start + dt.timedelta(hours=2), status="published", capacity=10,
    )  # fmt: skip


@pytest.fixture
def openapi(client) -> dict:
    return client.get("/api/openapi.json").json()


def _register(client, event, body: bytes | str, content_type: str):
    return client.post(f"/api/events/{event.pk}/registrations", body, content_type=content_type)


# --------------------------------------------------------------------------- content type


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
     "multipart/form-data; boundary=x", "application/xml", ""],
)  # fmt: skip
def test_json_body_with_another_content_type_is_415(client, event, content_type):
    """A cross-site HTML form can send text/plain with a JSON-looking body, and no preflight
    stops it: such a request must not register anybody."""
    response = _register(client, event, json.dumps(PERSON), content_type)
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert "application/json" in response.json()["message"]
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"]
)
def test_json_content_types_are_accepted(client, event, content_type):
    response = _register(client, event, json.dumps(PERSON), content_type)
    assert response.status_code == 201, response.content
    assert Registration.objects.count() == 1


# --------------------------------------------------------------------------- body size


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_six_megabyte_body_is_413_payload_too_large(client, event, content_type):
    body = json.dumps(PERSON | {"name": "x" * (6 * 1024 * 1024)})
    response = _register(client, event, body, content_type)
    assert response.status_code == 413
    assert response.json() == {
        "code": "payload_too_large",
        "message": "Die Anfrage ist zu groß (höchstens 5 MB).",
        "fields": {},
    }


def test_six_megabyte_form_on_a_page_is_413_too(client, event):
    response = client.post(event.get_absolute_url(), {"name": "x" * (6 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Die Anfrage ist zu groß" in response.content.decode()


# --------------------------------------------------------------------------- the document


def test_every_operation_declares_its_errors_with_the_error_schema(openapi):
    operations = [
        (method.upper(), path, operation)
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) == 29  # a new operation: check its errors are declared, then count it
    for method, path, operation in operations:
        responses = operation["responses"]
        for status in ("400", "422", "500"):
            assert status in responses, (method, path, status)
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": ERROR_REF}, (method, path, status)
    register = openapi["paths"]["/api/events/{event_id}/registrations"]["post"]["responses"]
    assert {"404", "409", "413", "415", "429"} <= set(register)
    error = openapi["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"code", "message", "fields"}


def test_limits_are_declared(openapi):
    def parameter(path: str, name: str) -> dict:
        params = openapi["paths"][path]["get"]["parameters"]
        return next(p["schema"] for p in params if p["name"] == name)

    for path, size in [("/api/projects", 100), ("/api/results", 100), ("/api/municipalities", 100)]:
        page_size = parameter(path, "page_size")
        assert (page_size["type"], page_size["minimum"], page_size["maximum"]) == (
            "integer",
            1,
            size,
        )
        assert parameter(path, "page")["minimum"] == 1
    assert parameter("/api/events", "offset")["maximum"] == 1_000_000
    assert parameter("/api/events", "limit")["maximum"] == 500
    event_id = openapi["paths"]["/api/events/{event_id}"]["get"]["parameters"][0]["schema"]
    assert event_id["minimum"] == 1 and event_id["maximum"] == 2**63 - 1
    body = openapi["components"]["schemas"]["RegistrationIn"]["properties"]
    assert body["name"]["minLength"] == 1 and body["name"]["maxLength"] == 200
    assert body["email"]["maxLength"] == 254 and body["email"]["format"] == "email"
    assert "pattern" in body["name"] and "pattern" in body["email"]


# --------------------------------------------------------------------------- server errors


def test_a_server_error_under_api_has_the_documented_shape(monkeypatch):
    from ortswandel.catalogue import selectors

    def broken() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "programme_cards", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/api/programmes")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "code": "server_error",
        "message": "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.",
        "fields": {},
    }
    assert "boom" not in response.content.decode()
    page = client.get("/programme/")
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")
