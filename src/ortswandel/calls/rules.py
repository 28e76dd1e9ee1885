"""Permissions of the calls app, declared once (loaded by ``rules``' autodiscovery).

* ``calls.view_call`` — published calls for everybody; drafts for their managers.
* ``calls.manage_call`` — jury, assignment, budget, export: site admins, programme editors.
* ``calls.chair_call`` — jury meeting (ranking, notes, decisions): chair and managers.
* ``calls.view_application`` / ``view_attachment`` — applicant, co-applicants, jurors without a
  conflict (once submitted), managers. A juror's conflicted application is invisible to them,
  chair included (the chair with a conflict leaves the room for it).
* ``calls.change_application`` — applicant (the services also check the status and deadline).
* ``calls.review_application`` — jurors without a conflict, submitted applications.
* ``calls.decide_application`` — chair without a conflict, and managers.
"""

from __future__ import annotations

import rules

from ortswandel.accounts.predicates import has_model_perm, is_site_admin

from .predicates import (
    has_conflict,
    is_applicant_of,
    is_before_jury,
    is_call_editor,
    is_call_manager,
    is_chair_of_call,
    is_co_applicant_of,
    is_free_juror,
    is_juror_of_call,
    is_public_call,
)

rules.add_perm("calls.view_call", is_public_call | is_call_manager)
rules.add_perm("calls.manage_call", is_call_manager)
rules.add_perm("calls.chair_call", is_call_manager | is_chair_of_call)
rules.add_perm("calls.jury_call", is_juror_of_call)
_viewer = is_applicant_of | is_co_applicant_of | is_free_juror | (is_call_manager & ~has_conflict)
rules.add_perm("calls.view_application", _viewer)
rules.add_perm("calls.view_attachment", _viewer)
rules.add_perm("calls.change_application", is_applicant_of)
rules.add_perm("calls.review_application", is_free_juror)
rules.add_perm(
    "calls.decide_application",
    is_before_jury & ~has_conflict & (is_call_manager | is_chair_of_call),
)

# The admin (set-up of a call): site admins; editors of the programme with the model permission.
for _verb in ("add", "change", "delete"):
    rules.add_perm(
        f"calls.{_verb}_call",
        is_site_admin | (has_model_perm(f"calls.{_verb}_call") & is_call_editor),
    )
