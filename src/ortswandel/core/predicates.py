"""Predicates that need no app (``rules``): site admin, back-office staff, Django's model
permission, public. Scoped role predicates (programme editor, staff of a municipality) are in
:mod:`ortswandel.accounts.predicates`; each app combines them in its ``rules.py``."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth.backends import ModelBackend

from . import roles

_model_backend = ModelBackend()


@rules.predicate
def is_site_admin(user: Any) -> bool:
    return roles.is_site_admin(user)


@rules.predicate
def is_staff_member(user: Any) -> bool:
    """May enter the back office (the Django admin)."""
    return roles.is_staff_member(user)


@rules.predicate
def is_public(user: Any, obj: Any) -> bool:
    """``obj`` is visible to everybody (``is_public``: published, and its parent public)."""
    return bool(obj is not None and getattr(obj, "is_public", False))


def has_model_perm(perm: str) -> rules.Predicate:
    """Django's model permission ``perm`` as held in the database (user or group), without the
    object rules of the same name (which may include this predicate)."""

    def check(user: Any) -> bool:
        return bool(getattr(user, "is_active", False) and _model_backend.has_perm(user, perm))

    return rules.Predicate(check, name=f"has_model_perm({perm})")
