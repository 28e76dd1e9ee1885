"""Permissions as a matrix: role × saved-scenario pages and the planning permissions.

The saved scenario belongs to ``registered_user``; ``municipal_staff`` stands for another
logged-in user (not the owner). A scenario of someone else is a 404, not a 403: the page does not
confirm that it exists. A share link opens the read-only page for everybody.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ortswandel.planning import selectors, services
from ortswandel.planning.models import ProjectionRun, SavedScenario
from ortswandel.planning.workspace import Settings
from tests.permissions_matrix import (
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Matrix,
    check_perm,
    check_response,
    login_as,
    user_for,
)

from .conftest import AGS, needs_data

pytestmark = [pytest.mark.django_db, needs_data]

ROLES = ("anonymous", "registered_user", "municipal_staff", "site_admin")
SECRET = "Geheimplan Nordfeld"


@pytest.fixture
def as_role(client, request):
    """Log the client in as a role; returns the client."""

    def login(role):
        return login_as(client, request, role)

    return login


@pytest.fixture
def scenario(registered_user):
    return services.saved_scenario_create(
        owner=registered_user, ags=AGS, name=SECRET, settings=Settings()
    )


PAGES = Matrix(
    ROLES,
    {
        # page: anonymous, owner, other user, site admin
        "saved": (LOGIN, OK, NOT_FOUND, OK),
        "shared": (OK, OK, OK, OK),
        "workspace": (OK, OK, OK, OK),
    },
)


def _url(row, scenario):
    if row == "saved":
        return reverse("planning:saved", args=[scenario.pk])
    if row == "shared":
        return reverse("planning:shared", args=[selectors.share_token(scenario)])
    return reverse("planning:workspace", args=[AGS])


@PAGES.parametrize("row")
def test_pages(as_role, scenario, row, role, expected):
    client = as_role(role)
    response = client.get(_url(row, scenario))
    secrets = [] if expected == OK else [SECRET]
    check_response(response, expected, role=role, what=row, secrets=secrets)


WRITES = Matrix(
    ROLES,
    {
        # POST: anonymous, owner, other user, site admin
        "saved_delete": (LOGIN, REDIRECT, NOT_FOUND, REDIRECT),
        "saved_revoke": (LOGIN, REDIRECT, NOT_FOUND, REDIRECT),
    },
)


@WRITES.parametrize("row")
def test_writes(as_role, scenario, row, role, expected):
    client = as_role(role)
    version = scenario.share_version
    response = client.post(reverse(f"planning:{row}", args=[scenario.pk]))
    check_response(response, expected, role=role, what=row, secrets=[SECRET])
    changed = (
        not SavedScenario.objects.filter(pk=scenario.pk).exists()
        if row == "saved_delete"
        else SavedScenario.objects.get(pk=scenario.pk).share_version != version
    )
    assert changed is (expected == REDIRECT)


PERMS = Matrix(
    ROLES,
    {
        "planning.view_savedscenario": (False, True, False, True),
        # a site admin is a Django superuser: every permission (to revoke a leaked link)
        "planning.change_savedscenario": (False, True, False, True),
        "planning.share_savedscenario": (False, True, False, True),
        "planning.delete_savedscenario": (False, True, False, True),
        "planning.view_projectionrun": (False, True, False, True),
    },
)


@PERMS.parametrize("perm")
def test_permissions(request, scenario, perm, role, expected):
    obj = scenario
    if perm.endswith("projectionrun"):
        obj = ProjectionRun.objects.create(owner=scenario.owner, ags=AGS)
    check_perm(user_for(request, role), perm, obj, expected, role=role)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", False), ("registered_user", True), ("municipal_staff", True)],
)
def test_who_may_save(request, role, expected):
    check_perm(user_for(request, role), "planning.add_savedscenario", None, expected, role=role)


def test_run_of_another_user_is_404(client, request, registered_user):
    run = ProjectionRun.objects.create(owner=registered_user, ags=AGS)
    login_as(client, request, "municipal_staff")
    assert client.get(reverse("planning:run", args=[run.pk])).status_code == NOT_FOUND
    login_as(client, request, "registered_user")
    assert client.get(reverse("planning:run", args=[run.pk])).status_code == OK
