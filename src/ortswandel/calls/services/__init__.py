"""Writes of the calls app (every one audited); see the modules for the details."""

from __future__ import annotations

from .applications import (
    application_create,
    application_save,
    application_submit,
    application_withdraw,
    attachment_add,
    attachment_delete,
    submission_problems,
)
from .funding import (
    application_to_catalogue,
    budget_usage,
    grant_set,
    milestone_add,
    reserve_promote,
)
from .jury import (
    assignment_auto,
    call_set_phase,
    conflict_declare,
    criteria_add_defaults,
    decision_take,
    decisions_announce,
    juror_accept,
    juror_invite,
    note_add,
    review_save,
)
from .reports import milestone_done, report_reminders_send_due

__all__ = [
    "application_create",
    "application_save",
    "application_submit",
    "application_to_catalogue",
    "application_withdraw",
    "assignment_auto",
    "attachment_add",
    "attachment_delete",
    "budget_usage",
    "call_set_phase",
    "conflict_declare",
    "criteria_add_defaults",
    "decision_take",
    "decisions_announce",
    "grant_set",
    "juror_accept",
    "juror_invite",
    "milestone_add",
    "milestone_done",
    "note_add",
    "report_reminders_send_due",
    "reserve_promote",
    "review_save",
    "submission_problems",
]
