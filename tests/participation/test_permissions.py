"""Permissions as a matrix (as meinBerlin tests its rules): the seven roles of issue 11 × every
page, action and API endpoint of the participation app, per phase with a frozen clock.

Roles: anonymous, participant (joined ``process``), other_participant (lives in another
municipality, joined its process only), moderator (of ``process``), other_moderator (of the
other process), programme_editor (editor of the process's programme), site_admin.
"""

from __future__ import annotations

import pytest

from ortswandel.participation.models import PhaseKind
from tests.permissions_matrix import (
    DENIED,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Matrix,
    check_response,
    login_as,
)

from .conftest import PARTICIPATION_ROLES

pytestmark = pytest.mark.django_db

SECRETS = ["anna@example.org"]

#           anon   part   other  mod    o-mod  editor admin
PAGES = Matrix(
    roles=PARTICIPATION_ROLES,
    rows={
        "": (OK, OK, OK, OK, OK, OK, OK),
        "{slug}/": (OK, OK, OK, OK, OK, OK, OK),
        "{slug}/ideen/{idea}/": (OK, OK, OK, OK, OK, OK, OK),
        "{slug}/ergebnisse/": (OK, OK, OK, OK, OK, OK, OK),
        "{slug}/abschlussbericht/": (OK, OK, OK, OK, OK, OK, OK),
        "{slug}/abschlussbericht.pdf": (OK, OK, OK, OK, OK, OK, OK),
        "unbekannt/abschlussbericht.pdf": (NOT_FOUND,) * 7,
        "{slug}/phasen/{survey}/": (OK, OK, OK, OK, OK, OK, OK),
        "{slug}/mitmachen/": (LOGIN, OK, OK, OK, OK, OK, OK),
        "{slug}/ideen/neu/": (LOGIN, OK, DENIED, DENIED, DENIED, DENIED, OK),
        "{slug}/ideen/{idea}/bearbeiten/": (LOGIN, OK, DENIED, OK, DENIED, OK, OK),
        "{slug}/moderation/": (LOGIN, DENIED, DENIED, OK, DENIED, OK, OK),
        "{slug}/phasen/{survey}/ergebnisse.csv": (DENIED, DENIED, DENIED, OK, DENIED, OK, OK),
        "meine-beitraege/": (LOGIN, OK, OK, OK, OK, OK, OK),
        "{slug}/ideen/999999/": (NOT_FOUND,) * 7,
    },
)


@PAGES.parametrize("path")
def test_pages_during_idea_collection(client, request, process, idea, clock, path, role, expected):  # noqa: PLR0917
    clock.at(PhaseKind.IDEAS)
    login_as(client, request, role)
    survey = process.phases.get(kind=PhaseKind.SURVEY)
    url = "/beteiligung/" + path.format(slug=process.slug, idea=idea.pk, survey=survey.pk)
    check_response(client.get(url), expected, role=role, what=path, secrets=SECRETS)


RESTRICTED = Matrix(
    roles=PARTICIPATION_ROLES,
    rows={
        "{slug}/": (NOT_FOUND, OK, NOT_FOUND, OK, NOT_FOUND, OK, OK),
        "{slug}/ideen/{idea}/": (NOT_FOUND, OK, NOT_FOUND, OK, NOT_FOUND, OK, OK),
        "{slug}/ergebnisse/": (NOT_FOUND, OK, NOT_FOUND, OK, NOT_FOUND, OK, OK),
        "{slug}/abschlussbericht/": (NOT_FOUND, OK, NOT_FOUND, OK, NOT_FOUND, OK, OK),
        "{slug}/abschlussbericht.pdf": (NOT_FOUND, OK, NOT_FOUND, OK, NOT_FOUND, OK, OK),
        "{slug}/mitmachen/": (LOGIN, OK, NOT_FOUND, OK, NOT_FOUND, OK, OK),
    },
)


@RESTRICTED.parametrize("path")
def test_pages_of_a_restricted_process(client, request, process, idea, path, role, expected):  # noqa: PLR0917
    process.visibility = "restricted"
    process.save()
    login_as(client, request, role)
    url = "/beteiligung/" + path.format(slug=process.slug, idea=idea.pk)
    check_response(client.get(url), expected, role=role, what=path, secrets=SECRETS)


# Actions per phase: (phase, action) → expected answers per role. Site admins hold every
# permission (Django), but the services still ask the phase (409 outside it) and membership.
ACTIONS = Matrix(
    roles=PARTICIPATION_ROLES,
    rows={
        ("before", "vote"): (LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, 409),
        ("voting", "vote"): (LOGIN, REDIRECT, DENIED, DENIED, DENIED, DENIED, DENIED),
        ("results", "vote"): (LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, 409),
        ("before", "comment"): (LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, 409),
        ("discussion", "comment"): (LOGIN, REDIRECT, DENIED, DENIED, DENIED, DENIED, DENIED),
        ("after", "comment"): (LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, 409),
        ("ideas", "propose"): (LOGIN, REDIRECT, DENIED, DENIED, DENIED, DENIED, DENIED),
        ("discussion", "propose"): (LOGIN, DENIED, DENIED, DENIED, DENIED, DENIED, 409),
        ("voting", "hide"): (LOGIN, DENIED, DENIED, REDIRECT, DENIED, REDIRECT, REDIRECT),
        ("after", "feedback"): (LOGIN, DENIED, DENIED, REDIRECT, DENIED, REDIRECT, REDIRECT),
        ("voting", "report"): (LOGIN, OK, OK, OK, OK, OK, OK),
        ("voting", "follow"): (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    },
)


def _post(client, process, idea, action: str):
    base = f"/beteiligung/{process.slug}/"
    posts = {
        "vote": (f"ideen/{idea.pk}/abstimmen/", {"value": "1"}),
        "comment": (f"ideen/{idea.pk}/kommentieren/", {"text": "Gute Idee"}),
        "propose": ("ideen/neu/", {"title": "Neu", "text": "Text"}),
        "hide": (f"moderation/ideen/{idea.pk}/", {"action": "hide", "reason": "Test"}),
        "feedback": (f"moderation/ideen/{idea.pk}/", {"action": "feedback", "status": "in_review"}),
        "report": (f"ideen/{idea.pk}/melden/", {"reason": "Werbung"}),
        "follow": ("folgen/", {"follow": "1"}),
    }
    path, data = posts[action]
    return client.post(base + path, data)


@ACTIONS.parametrize("case")
def test_actions_per_phase(client, request, process, idea, clock, case, role, expected):  # noqa: PLR0917
    phase, action = case
    clock.at(phase)
    login_as(client, request, role)
    check_response(_post(client, process, idea, action), expected, role=role, what=case)


API = Matrix(
    roles=PARTICIPATION_ROLES,
    rows={
        "processes": (OK,) * 7,
        "processes/{pk}": (OK,) * 7,
        "processes/{pk}/ideas": (OK,) * 7,
        "processes/{pk}/results": (OK,) * 7,
    },
)


@API.parametrize("path")
@pytest.mark.parametrize("visibility", ["public", "restricted"])
def test_api_is_public_only(client, request, process, idea, path, role, expected, visibility):  # noqa: PLR0917
    process.visibility = visibility
    process.save()
    login_as(client, request, role)
    response = client.get("/api/participation/" + path.format(pk=process.pk))
    if visibility == "restricted" and "{pk}" in path:
        expected = NOT_FOUND  # also for its moderators: the API shows public processes only
    check_response(response, expected, role=role, what=path, secrets=SECRETS)
    if visibility == "restricted" and path == "processes":
        assert process.pk not in [p["id"] for p in response.json()]
