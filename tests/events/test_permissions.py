"""Permissions as a matrix: role × every back-office view, admin view and API endpoint.

Roles: anonymous, registered user (no editor role), editor of this programme, editor of another
programme, site admin. The event belongs to the first programme. A cell is the HTTP status and,
for writes, whether the state changed; a refused cell never leaks personal data. An event of
another programme is a 404 for its editors, not a 403: the back office does not confirm that it
exists. The harness is ``tests/permissions_matrix.py``.
"""

from __future__ import annotations

import pytest

from ortswandel.core.models import QueuedMail
from ortswandel.events import services
from ortswandel.events.models import Registration
from tests.permissions_matrix import (
    ADMIN_LOGIN,
    ADMIN_MISSING,
    DENIED,
    LOGIN,
    NOT_FOUND,
    OK,
    PROGRAMME_ROLES,
    Matrix,
    check_perm,
    check_response,
    login_as,
    user_for,
)

from .conftest import person

pytestmark = pytest.mark.django_db

SECRETS = ["person1@example.org"]


@pytest.fixture
def setup(event):
    confirmed = services.registration_create(event=event, **person(1, organisation="Amt Geheim"))
    services.registration_confirm(registration=confirmed)
    pending = services.registration_create(event=event, **person(2))
    waiting = services.registration_create(event=event, **person(3))
    event.materials.create(kind="slides", title="Folien", url="https://example.org/f.pdf")
    return {"event": event, "confirmed": confirmed, "pending": pending, "waiting": waiting}


BACKOFFICE_GET = Matrix(
    PROGRAMME_ROLES,
    {
        # view: anonymous, registered, editor, other editor, admin
        "organisation/": (LOGIN, DENIED, OK, OK, OK),
        "organisation/statistik/": (LOGIN, DENIED, OK, OK, OK),
        "organisation/{slug}/": (LOGIN, DENIED, OK, NOT_FOUND, OK),
        "organisation/{slug}/?status=waitlisted": (LOGIN, DENIED, OK, NOT_FOUND, OK),
        "organisation/{slug}/teilnehmende.csv": (LOGIN, DENIED, OK, NOT_FOUND, OK),
        "organisation/{slug}/teilnehmende.xlsx": (LOGIN, DENIED, OK, NOT_FOUND, OK),
        "organisation/{slug}/nachricht/": (LOGIN, DENIED, OK, NOT_FOUND, OK),
        "organisation/gibt-es-nicht/": (LOGIN, DENIED, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    },
)


@BACKOFFICE_GET.parametrize("view")
def test_backoffice_reads(as_role, setup, view, role, expected):
    event = setup["event"]
    client = as_role(role)
    response = client.get("/veranstaltungen/" + view.format(slug=event.slug))
    check_response(response, expected, role=role, what=view, secrets=SECRETS)
    if role == "other_editor" and response.status_code in (200, 404):
        # the other programme's editor sees the pages, but nothing of this event
        html = response.content.decode()
        assert event.title not in html and "Amt Geheim" not in html


#: POST actions on the participant page and the message form; "changed" is what the allowed
#: roles achieve, checked in the database.
ACTIONS = ["attendance", "cancel", "fill_waitlist", "followup", "message"]
WRITES = Matrix(
    PROGRAMME_ROLES,
    dict.fromkeys(ACTIONS, (LOGIN, DENIED, 302, NOT_FOUND, 302)),
)


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


@WRITES.parametrize("action")
def test_backoffice_writes(as_role, setup, action, role, expected):
    event = setup["event"]
    client = as_role(role)
    response = _do(client, event, setup, action)
    if expected == 302:
        assert response.status_code == 302, (role, action, response.status_code)
        assert _changed(setup, action), (role, action)
    else:
        check_response(response, expected, role=role, what=action, secrets=SECRETS)
        assert not _changed(setup, action), (role, action)


ADMIN_VIEWS = Matrix(
    PROGRAMME_ROLES,
    {
        "events/event/": (ADMIN_LOGIN, ADMIN_LOGIN, OK, OK, OK),
        "events/event/{event}/change/": (ADMIN_LOGIN, ADMIN_LOGIN, OK, ADMIN_MISSING, OK),
        "events/event/{event}/delete/": (ADMIN_LOGIN, ADMIN_LOGIN, OK, ADMIN_MISSING, OK),
        "events/event/add/": (ADMIN_LOGIN, ADMIN_LOGIN, OK, OK, OK),
        "events/registration/": (ADMIN_LOGIN, ADMIN_LOGIN, OK, OK, OK),
        "events/registration/{registration}/change/": (
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            OK,
            ADMIN_MISSING,
            OK,
        ),
        "core/queuedmail/": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, DENIED, OK),
    },
)


@ADMIN_VIEWS.parametrize("view")
def test_admin_views(as_role, setup, view, role, expected):
    event = setup["event"]
    client = as_role(role)
    path = view.format(event=event.pk, registration=setup["confirmed"].pk)
    response = client.get("/verwaltung/" + path)
    check_response(response, expected, role=role, what=view, secrets=SECRETS)
    if role == "other_editor" and response.status_code == 200:
        html = response.content.decode()
        assert event.title not in html and "person1@example.org" not in html


@pytest.mark.parametrize("role", PROGRAMME_ROLES)
def test_admin_cannot_change_registrations_directly(client, request, setup, role):
    """Registrations change only through the services (audit, mail, waiting list): the admin
    form is read-only for everybody, site admins included."""
    registration = setup["confirmed"]
    login_as(client, request, role)
    response = client.post(
        f"/verwaltung/events/registration/{registration.pk}/change/",
        {"status": "cancelled", "name": "Überschrieben"},
    )
    assert response.status_code in (302, 403), (role, response.status_code)
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.name == "Person 1"


@pytest.mark.parametrize("role", PROGRAMME_ROLES)
def test_public_api_is_the_same_for_every_role(client, request, setup, role):
    event = setup["event"]
    login_as(client, request, role)
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


#: (permission, object): anonymous, registered, editor, other editor, admin. The rules behind
#: the pages above (``events/rules.py``), asked directly.
PERMS = Matrix(
    PROGRAMME_ROLES,
    {
        ("events.view_event", "event"): (True, True, True, True, True),
        ("events.view_event", "draft"): (False, False, True, False, True),
        ("events.view_material", "material"): (True, True, True, True, True),
        ("events.view_material", "draft_material"): (False, False, True, False, True),
        ("events.manage_event", "event"): (False, False, True, False, True),
        ("events.manage_event", None): (False, False, True, True, True),  # the back office
        ("events.change_event", "event"): (False, False, True, False, True),
        ("events.view_registration", "confirmed"): (False, False, True, False, True),
    },
)


@pytest.fixture
def perm_objects(setup, make_event):
    draft = make_event(status="draft")
    return {
        **setup,
        "draft": draft,
        "material": setup["event"].materials.get(),
        "draft_material": draft.materials.create(kind="slides", title="Entwurf"),
        None: None,
    }


@PERMS.parametrize("case")
def test_permission_matrix(request, perm_objects, case, role, expected):
    perm, name = case
    check_perm(user_for(request, role), perm, perm_objects[name], expected, role=role)
