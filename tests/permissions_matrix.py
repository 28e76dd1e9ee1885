"""One harness for permission matrices: role × view / endpoint / permission.

A matrix is a table: one row per thing asked (a URL, an admin page, a permission on an object),
one column per role, each cell the expected answer. Roles are pytest fixtures (users) declared
once in ``tests/conftest.py``; an app with new roles (calls: applicant, juror, chair;
participation: moderator, participant) adds their fixtures there and names them in its matrix —
it adds rows and columns, not a new harness.

    from tests.permissions_matrix import LOGIN, NOT_FOUND, OK, Matrix, check_response, login_as

    PAGES = Matrix(
        roles=("anonymous", "registered_user", "programme_editor", "other_editor"),
        rows={"organisation/{slug}/": (LOGIN, DENIED, OK, NOT_FOUND)},
    )

    @PAGES.parametrize("path", "role", "expected")
    def test_pages(client, request, event, path, role, expected):
        login_as(client, request, role)
        response = client.get("/veranstaltungen/" + path.format(slug=event.slug))
        check_response(response, expected, role=role, what=path, secrets=["person1@example.org"])

Expected answers: an HTTP status (``OK`` = 200, ``DENIED`` = 403, ``NOT_FOUND`` = 404, any int),
``LOGIN`` (redirect to the site login), ``ADMIN_LOGIN`` (redirect to the admin login),
``ADMIN_MISSING`` (the admin's answer for an object outside the user's queryset: back to the
admin index, "does not exist"), ``REDIRECT`` (any other redirect), or ``True``/``False`` for
permission checks (:func:`check_perm`). A refused cell must never contain ``secrets``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

OK, DENIED, NOT_FOUND = 200, 403, 404
LOGIN, ADMIN_LOGIN, ADMIN_MISSING, REDIRECT = "login", "admin_login", "admin_missing", "redirect"

#: Role name → fixture that returns the user (``None``: not logged in). Defined in conftest.py.
ROLE_FIXTURES: dict[str, str | None] = {
    "anonymous": None,
    "registered_user": "registered_user",
    "programme_editor": "programme_editor",  # editor of ``programme``
    "other_editor": "other_editor",  # editor of ``other_programme`` only
    "site_admin": "site_admin",
    "municipal_staff": "municipal_staff",  # staff of ``staff_municipality``
    "other_municipal_staff": "other_municipal_staff",  # staff of another municipality
    # calls (fixtures in tests/calls/conftest.py)
    "applicant": "applicant",  # staff of the applying municipality
    "co_applicant": "co_applicant",  # staff of a co-applying municipality
    "other_applicant": "other_applicant",  # applicant of another application of the call
    "juror": "juror",
    "conflicted_juror": "conflicted_juror",  # declared a conflict for ``application``
    "jury_chair": "jury_chair",
    # participation (fixtures in tests/participation/conftest.py)
    "participant": "participant",  # has joined ``process``
    "other_participant": "other_participant",  # lives in another municipality, joined its process
    "moderator": "moderator",  # moderator of ``process``
    "other_moderator": "other_moderator",  # moderator of another process
}

#: The five roles of the programme-scoped apps (catalogue, events).
PROGRAMME_ROLES = ("anonymous", "registered_user", "programme_editor", "other_editor", "site_admin")


@dataclass(frozen=True)
class Matrix:
    """Rows of expectations, one per role (in the order of ``roles``)."""

    roles: Sequence[str]
    rows: dict[Any, Sequence[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = [r for r in self.roles if r not in ROLE_FIXTURES]
        assert not unknown, f"unknown roles {unknown}: add their fixtures to ROLE_FIXTURES"
        for row, cells in self.rows.items():
            assert len(cells) == len(self.roles), f"row {row!r}: {len(cells)} cells"

    def expected(self, row: Any, role: str) -> Any:
        return self.rows[row][list(self.roles).index(role)]

    def cases(self) -> list[Any]:
        """``(row, role, expected)`` for every cell, with readable test ids."""
        return [
            pytest.param(row, role, cells[i], id=f"{row}-{role}")
            for row, cells in self.rows.items()
            for i, role in enumerate(self.roles)
        ]

    def parametrize(self, row_name: str, role_name: str = "role", expected_name: str = "expected"):
        return pytest.mark.parametrize((row_name, role_name, expected_name), self.cases())


def user_for(request: Any, role: str) -> Any:
    """The user of ``role`` (an ``AnonymousUser`` for "anonymous")."""
    fixture = ROLE_FIXTURES[role]
    if fixture is None:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return request.getfixturevalue(fixture)


def login_as(client: Any, request: Any, role: str) -> Any:
    """Log the test client in as ``role`` (logged out for "anonymous"); returns the client."""
    client.logout()
    if ROLE_FIXTURES[role] is not None:
        client.force_login(user_for(request, role))
    return client


def answer(response: Any) -> Any:
    """The response as a matrix cell (status code, or the kind of redirect)."""
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if "/verwaltung/login/" in location:
        return ADMIN_LOGIN
    if "/konto/anmelden/" in location:
        return LOGIN
    if location.rstrip("/").endswith("/verwaltung"):
        return ADMIN_MISSING
    return REDIRECT


def check_response(
    response: Any, expected: Any, *, role: str, what: Any, secrets: Iterable[str] = ()
) -> None:
    got = answer(response)
    assert got == expected, (role, what, got, expected)
    if got != OK or expected != OK:
        body = response.content if not getattr(response, "streaming", False) else b""
        for secret in secrets:
            assert secret.encode() not in body, (role, what, secret)


def check_perm(user: Any, perm: str, obj: Any, expected: bool, *, role: str = "") -> None:
    got = user.has_perm(perm, obj)
    assert got is expected, (role, perm, obj, got)
