"""Permissions of the participation app, declared once (loaded by ``rules``' autodiscovery).

Object: a process or anything belonging to one (phase, idea, comment, outcome).

* ``view_process`` — public published processes for everybody; restricted ones for their
  participants; all for the managers (moderators, editors of the programme, site admins).
* ``join_process`` — verified accounts who may see a published process.
* ``add_idea`` / ``comment_idea`` / ``vote_idea`` / ``answer_survey`` / ``cast_ballot`` —
  participants, while the phase active now allows it.
* ``change_idea`` — the author while ideas are collected; managers always.
* ``view_idea`` — visible ideas for everybody who may see the process; hidden or unreviewed
  ones for their author and the managers.
* ``moderate_process`` — managers (moderation, feedback, outcomes, codes, report).
* ``change_survey`` — managers: create survey phases and edit their questions in the back
  office (the services lock the structure once answers exist).
* ``report_content`` — verified accounts who may see the content.
"""

from __future__ import annotations

import rules

from .predicates import (
    is_author,
    is_participant,
    is_process_manager,
    is_public_process,
    is_published_process,
    is_verified,
    is_visible_contribution,
    phase_allows,
)

may_view = is_public_process | (is_published_process & is_participant) | is_process_manager

rules.add_perm("participation.view_process", may_view)
rules.add_perm("participation.join_process", is_verified & is_published_process & may_view)
rules.add_perm("participation.add_idea", is_participant & phase_allows("propose"))
rules.add_perm(
    "participation.change_idea", (is_author & phase_allows("propose")) | is_process_manager
)
rules.add_perm("participation.comment_idea", is_participant & phase_allows("comment"))
rules.add_perm("participation.vote_idea", is_participant & phase_allows("vote"))
rules.add_perm("participation.answer_survey", is_participant & phase_allows("answer"))
rules.add_perm("participation.cast_ballot", is_participant & phase_allows("ballot"))
rules.add_perm(
    "participation.view_idea",
    (may_view & is_visible_contribution) | is_author | is_process_manager,
)
rules.add_perm("participation.moderate_process", is_process_manager)
rules.add_perm("participation.change_survey", is_process_manager)
rules.add_perm("participation.report_content", is_verified & may_view)
