"""Rules per phase with a frozen clock (as meinBerlin tests ``apps/*/rules``): the same person
may propose during the idea collection, not before and not after; vote only while voting …"""

from __future__ import annotations

import pytest

from ortswandel.participation.models import PhaseKind
from tests.permissions_matrix import Matrix, check_perm, user_for

from .conftest import PARTICIPATION_ROLES

pytestmark = pytest.mark.django_db

T, F = True, False
PHASES = ("before", "ideas", "discussion", "voting", "survey", "budget", "results", "after")

#: permission → role → allowed in which phases (participant only; managers as listed).
PARTICIPANT_PHASES = {
    "participation.add_idea": {"ideas"},
    "participation.comment_idea": {"ideas", "discussion", "voting"},
    "participation.vote_idea": {"voting"},
    "participation.answer_survey": {"survey"},
    "participation.cast_ballot": {"budget"},
}


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("perm", sorted(PARTICIPANT_PHASES))
@pytest.mark.parametrize("role", PARTICIPATION_ROLES)
def test_actions_follow_the_active_phase(request, process, clock, phase, perm, role):  # noqa: PLR0917
    user = user_for(request, role)
    clock.at(phase)
    # Django answers every permission of an active superuser with yes (site admins).
    expected = role == "site_admin" or (role == "participant" and phase in PARTICIPANT_PHASES[perm])
    check_perm(user, perm, process, expected, role=role)


PROCESS_PERMS = Matrix(
    roles=PARTICIPATION_ROLES,
    rows={
        # anon, participant, other participant, moderator, other moderator, editor, admin
        "participation.view_process": (T, T, T, T, T, T, T),
        "participation.join_process": (F, T, T, T, T, T, T),
        "participation.moderate_process": (F, F, F, T, F, T, T),
        "participation.report_content": (F, T, T, T, T, T, T),
    },
)


@PROCESS_PERMS.parametrize("perm")
def test_process_permissions_public(request, process, perm, role, expected):
    check_perm(user_for(request, role), perm, process, expected, role=role)


RESTRICTED_PERMS = Matrix(
    roles=PARTICIPATION_ROLES,
    rows={
        "participation.view_process": (F, T, F, T, F, T, T),
        "participation.join_process": (F, T, F, T, F, T, T),
        "participation.moderate_process": (F, F, F, T, F, T, T),
    },
)


@RESTRICTED_PERMS.parametrize("perm")
def test_process_permissions_restricted(request, process, perm, role, expected):
    process.visibility = "restricted"
    process.save()
    check_perm(user_for(request, role), perm, process, expected, role=role)


@pytest.mark.parametrize("phase", ["before", "ideas", "results", "after"])
def test_author_edits_only_while_ideas_are_collected(participant, moderator, idea, clock, phase):
    clock.at(phase)
    assert participant.has_perm("participation.change_idea", idea) is (phase == PhaseKind.IDEAS)
    assert moderator.has_perm("participation.change_idea", idea) is True


def test_hidden_idea_visible_to_author_and_managers_only(
    request, idea, participant, moderator, registered_user
):
    idea.is_hidden = True
    idea.save()
    assert participant.has_perm("participation.view_idea", idea)
    assert moderator.has_perm("participation.view_idea", idea)
    assert not registered_user.has_perm("participation.view_idea", idea)
    assert not user_for(request, "anonymous").has_perm("participation.view_idea", idea)
