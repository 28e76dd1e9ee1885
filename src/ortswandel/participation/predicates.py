"""Predicates of the participation app (combined into permissions in ``rules.py``).

As in adhocracy4/meinBerlin, what a participant may do depends on the phase that is active
*now* (:func:`phase_allows`); tests freeze the clock before, during and after a phase.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from ortswandel.accounts.predicates import is_editor_of_programme, is_site_admin


def process_of(obj: Any) -> Any:
    """The process ``obj`` belongs to: a process itself, a phase/idea/outcome (``process``), a
    comment (through its idea) or a question (through its phase)."""
    if obj is None:
        return None
    label = obj._meta.label_lower if hasattr(obj, "_meta") else ""
    if label == "participation.process":
        return obj
    if hasattr(obj, "process_id"):
        return obj.process
    if hasattr(obj, "idea_id"):
        return obj.idea.process
    if hasattr(obj, "phase_id"):
        return obj.phase.process
    return None


def _cache(user: Any, key: str, compute: Any) -> Any:
    """Per-request memo on the user object (the role tables are asked many times per page)."""
    memo = user.__dict__.setdefault("_participation_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@rules.predicate
def is_verified(user: Any) -> bool:
    """A signed-in, active account with a confirmed e-mail address (sign-up keeps accounts
    inactive until the activation link is followed)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_moderator_of_process(user: Any, obj: Any) -> bool:
    process = process_of(obj)
    if process is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(
        _cache(
            user,
            f"mod:{process.pk}",
            lambda: process.moderators.filter(pk=user.pk).exists(),
        )
    )


@rules.predicate
def is_editor_of_process_programme(user: Any, obj: Any) -> bool:
    process = process_of(obj)
    if process is None or process.programme_id is None:
        return False
    return bool(is_editor_of_programme.test(user, process))


@rules.predicate
def is_participant(user: Any, obj: Any) -> bool:
    """Has joined the process (display name, accepted code of conduct, admission met)."""
    process = process_of(obj)
    if process is None or not is_verified.test(user):
        return False
    return bool(
        _cache(
            user,
            f"part:{process.pk}",
            lambda: process.participants.filter(user_id=user.pk).exists(),
        )
    )


@rules.predicate
def is_public_process(user: Any, obj: Any) -> bool:
    process = process_of(obj)
    return bool(process is not None and process.is_public)


@rules.predicate
def is_published_process(user: Any, obj: Any) -> bool:
    process = process_of(obj)
    return bool(process is not None and process.is_published)


def phase_allows(feature: str) -> rules.Predicate:
    """The phase active now allows ``feature`` (propose, comment, vote, answer, ballot)."""

    def check(user: Any, obj: Any) -> bool:
        process = process_of(obj)
        if process is None:
            return False
        phase = process.active_phase(timezone.now())
        return bool(phase is not None and feature in phase.features)

    return rules.Predicate(check, name=f"phase_allows({feature})")


@rules.predicate
def is_author(user: Any, obj: Any) -> bool:
    return bool(
        obj is not None
        and getattr(user, "is_authenticated", False)
        and getattr(obj, "author_id", None) == user.pk
    )


@rules.predicate
def is_visible_contribution(user: Any, obj: Any) -> bool:
    """Not hidden and not awaiting review (processes count as visible)."""
    if obj is None:
        return False
    return not getattr(obj, "is_hidden", False) and not getattr(obj, "awaiting_review", False)


#: Runs the process: its moderators, the editors of its programme, site admins.
is_process_manager = is_site_admin | is_moderator_of_process | is_editor_of_process_programme
