"""Permissions matrix for the composer: anonymous, subscriber (a registered user with a
subscription), editor of this programme, editor of another programme, site admin."""

from __future__ import annotations

import pytest

from ortswandel.newsletter import services
from ortswandel.newsletter.models import Issue, IssueStatus, ProgrammeNewsletter
from tests.permissions_matrix import (
    DENIED,
    LOGIN,
    OK,
    PROGRAMME_ROLES,
    REDIRECT,
    Matrix,
    check_perm,
    check_response,
    login_as,
    user_for,
)

from .conftest import subscribe

pytestmark = pytest.mark.django_db

SECRET = "leser-geheim@example.org"

PAGES = Matrix(
    roles=PROGRAMME_ROLES,
    rows={
        "redaktion/": (LOGIN, DENIED, OK, OK, OK),
        "redaktion/programm/{slug}/": (LOGIN, DENIED, OK, DENIED, OK),
        "redaktion/ausgabe/{pk}/": (LOGIN, DENIED, OK, DENIED, OK),
        "redaktion/ausgabe/{pk}/vorschau/": (LOGIN, DENIED, OK, DENIED, OK),
    },
)

ACTIONS = Matrix(
    roles=PROGRAMME_ROLES,
    rows={
        "redaktion/ausgabe/{pk}/test/": (LOGIN, DENIED, REDIRECT, DENIED, REDIRECT),
        "redaktion/ausgabe/{pk}/senden/": (LOGIN, DENIED, REDIRECT, DENIED, REDIRECT),
        "redaktion/programm/{slug}/": (LOGIN, DENIED, REDIRECT, DENIED, REDIRECT),
        "redaktion/programm/{slug}/digest/": (LOGIN, DENIED, REDIRECT, DENIED, REDIRECT),
    },
)


@pytest.fixture
def draft(programme, site_admin):
    return Issue.objects.create(programme=programme, subject="Entwurf", intro="<p>Hallo</p>")


@pytest.fixture
def subscriber(registered_user, programme):
    subscribe(registered_user.email, programme)
    subscribe(SECRET, programme)
    return registered_user


@PAGES.parametrize("path", "role", "expected")
def test_pages(client, request, programme, draft, subscriber, path, role, expected):  # noqa: PLR0917
    login_as(client, request, role)
    response = client.get("/newsletter/" + path.format(slug=programme.slug, pk=draft.pk))
    check_response(response, expected, role=role, what=path, secrets=[SECRET])


@ACTIONS.parametrize("path", "role", "expected")
def test_actions(client, request, programme, draft, subscriber, path, role, expected):  # noqa: PLR0917
    login_as(client, request, role)
    url = "/newsletter/" + path.format(slug=programme.slug, pk=draft.pk)
    data = {"confirm": "yes", "subject": "Neu", "intro": "", "digest": "weekly"}
    response = client.post(url, data)
    check_response(response, expected, role=role, what=path)
    draft.refresh_from_db()
    sent = draft.status != IssueStatus.DRAFT
    assert sent is ("senden" in path and expected == REDIRECT), (role, path)
    scheduled = ProgrammeNewsletter.objects.filter(programme=programme, digest="weekly").exists()
    assert scheduled is ("digest" in path and expected == REDIRECT), (role, path)


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(PROGRAMME_ROLES, (False, False, True, False, True), strict=True)),
)
def test_manage_issue_rule(request, programme, draft, role, expected):
    user = user_for(request, role)
    check_perm(user, "newsletter.manage_issue", programme, expected, role=role)
    check_perm(user, "newsletter.manage_issue", draft, expected, role=role)


def test_editor_of_other_programme_cannot_send_by_service(draft, other_editor):
    with pytest.raises(services.PermissionDenied):
        services.issue_send(issue=draft, acting_user=other_editor)
    with pytest.raises(services.PermissionDenied):
        services.issue_send_test(issue=draft, acting_user=other_editor)


@pytest.mark.parametrize(
    "path",
    ["/", "/newsletter/", "/newsletter/angemeldet/", "/api/newsletter/openapi.json", "/api/docs"],
)
def test_subscribers_never_public(client, subscriber, path):
    response = client.get(path)
    assert SECRET.encode() not in response.content
