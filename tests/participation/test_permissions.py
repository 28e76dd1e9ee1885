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


# --- survey editor in the back office (survey_views) ------------------------------------------
# Managers only: moderators of this process, editors of its programme, site admins. A phase that
# is not a survey has no editor (404 for managers; others are refused before they learn that).
SURVEY_EDITOR_PAGES = Matrix(
    roles=PARTICIPATION_ROLES,
    rows={
        "{slug}/moderation/umfragen/": (LOGIN, DENIED, DENIED, OK, DENIED, OK, OK),
        "{slug}/moderation/umfragen/{survey}/": (LOGIN, DENIED, DENIED, OK, DENIED, OK, OK),
        "{slug}/moderation/umfragen/{survey}/vorschau/": (
            LOGIN, DENIED, DENIED, OK, DENIED, OK, OK,
        ),
        "{slug}/moderation/umfragen/{survey}/fragen/{question}/": (
            LOGIN, DENIED, DENIED, OK, DENIED, OK, OK,
        ),
        "{slug}/moderation/umfragen/{info}/": (
            LOGIN, DENIED, DENIED, NOT_FOUND, DENIED, NOT_FOUND, NOT_FOUND,
        ),
        "{slug}/moderation/umfragen/{survey}/fragen/999999/": (
            LOGIN, DENIED, DENIED, NOT_FOUND, DENIED, NOT_FOUND, NOT_FOUND,
        ),
    },
)  # fmt: skip


@pytest.fixture
def survey_question(process):
    from ortswandel.participation.models import Choice, Question

    phase = process.phases.get(kind=PhaseKind.SURVEY)
    question = Question.objects.create(phase=phase, text="Wie oft fahren Sie Bus?", kind="single")
    for position, label in enumerate(("täglich", "selten")):
        Choice.objects.create(question=question, label=label, position=position)
    second = Question.objects.create(phase=phase, text="Sonst noch?", kind="text", position=1)
    return question, second


@SURVEY_EDITOR_PAGES.parametrize("path")
def test_survey_editor_pages(  # noqa: PLR0917
    client, request, process, survey_question, clock, path, role, expected
):
    clock.at(PhaseKind.IDEAS)
    login_as(client, request, role)
    question, _second = survey_question
    url = "/beteiligung/" + path.format(
        slug=process.slug,
        survey=question.phase_id,
        question=question.pk,
        info=process.phases.get(kind=PhaseKind.INFORMATION).pk,
    )
    check_response(client.get(url), expected, role=role, what=path, secrets=SECRETS)


def test_survey_editor_of_a_restricted_process_is_hidden(client, request, process, other_moderator):
    process.visibility = "restricted"
    process.save()
    client.force_login(other_moderator)
    url = f"/beteiligung/{process.slug}/moderation/umfragen/"
    assert client.get(url).status_code == NOT_FOUND


#: (action, answered?) → expected per role. Once a response exists the structure is locked:
#: managers get 409 with the German message, a wording fix still goes through.
SURVEY_EDITOR_POSTS = Matrix(
    roles=PARTICIPATION_ROLES,
    rows={
        ("create", False): (LOGIN, DENIED, DENIED, REDIRECT, DENIED, REDIRECT, REDIRECT),
        ("add", False): (LOGIN, DENIED, DENIED, REDIRECT, DENIED, REDIRECT, REDIRECT),
        ("edit", False): (LOGIN, DENIED, DENIED, REDIRECT, DENIED, REDIRECT, REDIRECT),
        ("move", False): (LOGIN, DENIED, DENIED, REDIRECT, DENIED, REDIRECT, REDIRECT),
        ("remove", False): (LOGIN, DENIED, DENIED, REDIRECT, DENIED, REDIRECT, REDIRECT),
        ("add", True): (LOGIN, DENIED, DENIED, 409, DENIED, 409, 409),
        ("edit", True): (LOGIN, DENIED, DENIED, 409, DENIED, 409, 409),
        ("reword", True): (LOGIN, DENIED, DENIED, REDIRECT, DENIED, REDIRECT, REDIRECT),
        ("move", True): (LOGIN, DENIED, DENIED, 409, DENIED, 409, 409),
        ("remove", True): (LOGIN, DENIED, DENIED, 409, DENIED, 409, 409),
    },
)


def _survey_post(client, process, question, action: str):
    base = f"/beteiligung/{process.slug}/moderation/umfragen/"
    edit = f"{base}{question.phase_id}/fragen/{question.pk}/"
    single = {"text": "Wie oft nutzen Sie den Bus?", "kind": "single"}
    posts = {
        "create": (
            base,
            {
                "name": "Nachbefragung",
                "starts_at": "2026-10-01T09:00",
                "ends_at": "2026-10-15T18:00",
            },
        ),
        "add": (
            f"{base}{question.phase_id}/fragen/",
            {"text": "Was fehlt?", "kind": "multiple", "choices": "Bänke\nLicht\nBäume"},
        ),
        "edit": (edit, {**single, "choices": "täglich\nwöchentlich\nselten"}),
        "reword": (edit, {**single, "choices": "täglich\nseltener"}),
        "move": (edit + "verschieben/", {"direction": "down"}),
        "remove": (edit + "entfernen/", {}),
    }
    path, data = posts[action]
    return client.post(path, data)


@SURVEY_EDITOR_POSTS.parametrize("case")
def test_survey_editor_posts(  # noqa: PLR0917
    client, request, process, survey_question, participant, clock, case, role, expected
):
    from ortswandel.core.models import AuditEntry
    from ortswandel.participation import surveys

    action, answered = case
    question, _second = survey_question
    if answered:
        clock.at(PhaseKind.SURVEY)
        surveys.survey_submit(
            phase=question.phase,
            user=participant,
            answers={f"q{question.pk}": question.choices.first().pk},
        )
    clock.at(PhaseKind.IDEAS)
    before = AuditEntry.objects.filter(action__startswith="participation.survey.").count()
    login_as(client, request, role)
    response = _survey_post(client, process, question, action)
    check_response(response, expected, role=role, what=case, secrets=SECRETS)
    audited = AuditEntry.objects.filter(action__startswith="participation.survey.").count()
    assert audited == before + (1 if expected == REDIRECT else 0), (role, case)
    if expected == 409:
        assert "verfälscht" in response.content.decode()
