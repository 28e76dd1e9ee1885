"""Permissions as a matrix: role × every back-office view, admin view and API endpoint.

Roles: anonymous, registered user (no editor role), editor of this programme, editor of another
programme, site admin. The event belongs to the first programme. A cell is the HTTP status and,
for writes, whether the state changed; a refused cell never leaks personal data.
"""

from __future__ import annotations

import pytest

from ortswandel.core.models import QueuedMail
from ortswandel.events import services
from ortswandel.events.models import Registration

from .conftest import person

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "registered_user", "programme_editor", "other_editor", "site_admin"]
LOGIN, ADMIN_LOGIN, DENIED, OK, MISSING = "login", "admin_login", 403, 200, "admin_missing"


@pytest.fixture
def setup(event):
    confirmed = services.registration_create(event=event, **person(1, organisation="Amt Geheim"))
    services.registration_confirm(registration=confirmed)
    pending = services.registration_create(event=event, **person(2))
    waiting = services.registration_create(event=event, **person(3))
    event.materials.create(kind="slides", title="Folien", url="https://example.org/f.pdf")
    return {"event": event, "confirmed": confirmed, "pending": pending, "waiting": waiting}


def _login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def _check(response, expected, role, what):
    code = response.status_code
    if expected == LOGIN:
        assert code == 302 and "/konto/anmelden/" in response["Location"], (role, what, code)
    elif expected == ADMIN_LOGIN:
        assert code == 302 and "/verwaltung/login/" in response["Location"], (role, what, code)
    elif expected == MISSING:  # the admin's answer for an object outside the user's queryset
        assert code == 302 and response["Location"].rstrip("/").endswith("/verwaltung"), (
            role,
            what,
            code,
        )
    else:
        assert code == expected, (role, what, code)
    if code != 200 or expected != OK:
        assert b"person1@example.org" not in response.content, (role, what)


BACKOFFICE_GET = {
    # view: expected per role (anonymous, registered, editor, other editor, admin)
    "organisation/": (LOGIN, DENIED, OK, OK, OK),
    "organisation/statistik/": (LOGIN, DENIED, OK, OK, OK),
    "organisation/{slug}/": (LOGIN, DENIED, OK, DENIED, OK),
    "organisation/{slug}/?status=waitlisted": (LOGIN, DENIED, OK, DENIED, OK),
    "organisation/{slug}/teilnehmende.csv": (LOGIN, DENIED, OK, DENIED, OK),
    "organisation/{slug}/teilnehmende.xlsx": (LOGIN, DENIED, OK, DENIED, OK),
    "organisation/{slug}/nachricht/": (LOGIN, DENIED, OK, DENIED, OK),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(BACKOFFICE_GET))
def test_backoffice_reads(client, request, setup, role, view):
    event = setup["event"]
    _login(client, request, role)
    response = client.get("/veranstaltungen/" + view.format(slug=event.slug))
    _check(response, BACKOFFICE_GET[view][ROLES.index(role)], role, view)
    if role == "other_editor" and response.status_code == 200:
        # the other programme's editor sees the pages, but nothing of this event
        html = response.content.decode()
        assert event.title not in html and "Amt Geheim" not in html


#: POST actions on the participant page and the message form; "changed" is what the allowed
#: roles achieve, checked in the database.
ACTIONS = ["attendance", "cancel", "fill_waitlist", "followup", "message"]
WRITE_EXPECTED = {
    "anonymous": LOGIN,
    "registered_user": DENIED,
    "programme_editor": 302,
    "other_editor": DENIED,
    "site_admin": 302,
}


def _do(client, event, setup, action):
    base = f"/veranstaltungen/organisation/{event.slug}/"
    if action == "message":
        data = {"audience": "all", "subject": "Hinweis", "body": "Bitte früher kommen."}
        return client.post(base + "nachricht/", data)
    data = {"action": action}
    if action == "attendance":
        data["attended"] = [str(setup["confirmed"].pk)]
    if action == "cancel":
        data["registration"] = str(setup["pending"].pk)
    if action == "fill_waitlist":
        event.capacity = 3
        event.save(update_fields=["capacity"])
    return client.post(base, data)


def _changed(setup, action) -> bool:
    for key in ("confirmed", "pending", "waiting"):
        setup[key].refresh_from_db()
    return {
        "attendance": setup["confirmed"].attended is True,
        "cancel": setup["pending"].status == "cancelled",
        "fill_waitlist": setup["waiting"].status == "pending",
        "followup": QueuedMail.objects.filter(kind="followup").exists(),
        "message": QueuedMail.objects.filter(kind="organiser_message").exists(),
    }[action]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_backoffice_writes(client, request, setup, role, action):
    event = setup["event"]
    _login(client, request, role)
    response = _do(client, event, setup, action)
    expected = WRITE_EXPECTED[role]
    if expected == 302:
        assert response.status_code == 302, (role, action, response.status_code)
        assert _changed(setup, action), (role, action)
    else:
        _check(response, expected, role, action)
        assert not _changed(setup, action), (role, action)


ADMIN_VIEWS = {
    "events/event/": (ADMIN_LOGIN, ADMIN_LOGIN, OK, OK, OK),
    "events/event/{event}/change/": (ADMIN_LOGIN, ADMIN_LOGIN, OK, MISSING, OK),
    "events/event/{event}/delete/": (ADMIN_LOGIN, ADMIN_LOGIN, OK, MISSING, OK),
    "events/event/add/": (ADMIN_LOGIN, ADMIN_LOGIN, OK, OK, OK),
    "events/registration/": (ADMIN_LOGIN, ADMIN_LOGIN, OK, OK, OK),
    "events/registration/{registration}/change/": (ADMIN_LOGIN, ADMIN_LOGIN, OK, MISSING, OK),
    "core/queuedmail/": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, DENIED, OK),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(ADMIN_VIEWS))
def test_admin_views(client, request, setup, role, view):
    event = setup["event"]
    _login(client, request, role)
    path = view.format(event=event.pk, registration=setup["confirmed"].pk)
    response = client.get("/verwaltung/" + path)
    _check(response, ADMIN_VIEWS[view][ROLES.index(role)], role, view)
    if role == "other_editor" and response.status_code == 200:
        html = response.content.decode()
        assert event.title not in html and "person1@example.org" not in html


@pytest.mark.parametrize("role", ROLES)
def test_admin_cannot_change_registrations_directly(client, request, setup, role):
    """Registrations change only through the services (audit, mail, waiting list): the admin
    form is read-only for everybody, site admins included."""
    registration = setup["confirmed"]
    _login(client, request, role)
    response = client.post(
        f"/verwaltung/events/registration/{registration.pk}/change/",
        {"status": "cancelled", "name": "Überschrieben"},
    )
    assert response.status_code in (302, 403), (role, response.status_code)
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.name == "Person 1"


@pytest.mark.parametrize("role", ROLES)
def test_public_api_is_the_same_for_every_role(client, request, setup, role):
    event = setup["event"]
    _login(client, request, role)
    listing = client.get("/api/events")
    detail = client.get(f"/api/events/{event.pk}")
    created = client.post(
        f"/api/events/{event.pk}/registrations",
        person(9, email=f"{role}@example.org"),
        content_type="application/json",
    )
    assert (listing.status_code, detail.status_code, created.status_code) == (200, 200, 201)
    for response in (listing, detail, created):
        body = response.content.decode()
        assert "person1@example.org" not in body and "Amt Geheim" not in body
        assert "geheim-123" not in body  # the online link
    assert Registration.objects.filter(email=f"{role}@example.org").count() == 1
