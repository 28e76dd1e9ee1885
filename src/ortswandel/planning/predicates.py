"""Predicates of the planning app (``rules``): who owns a saved scenario or a run."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_logged_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


@rules.predicate
def is_owner(user: Any, obj: Any) -> bool:
    """``obj`` (a saved scenario or a projection run) was made by ``user``."""
    return bool(
        obj is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and obj.owner_id == user.pk
    )
