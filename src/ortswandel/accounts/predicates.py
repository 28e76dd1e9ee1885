"""Role predicates shared by every app (``rules``; see adhocracy4 ``apps/*/predicates.py``).

A predicate answers one question about ``(user, obj)``; apps combine them with ``&``, ``|`` and
``~`` into the permissions they declare in their ``rules.py``. Views, API, admin and templates
then ask ``user.has_perm("<app>.<verb>_<model>", obj)`` (or ``{% has_perm %}``), never the role
tables directly.

Object-scoped predicates (``is_editor_of_programme``, ``is_staff_of_municipality``) called without
an object (model-level checks) answer "holds this role for at least one scope".

Conventions for the apps to come: ``is_juror_of_call``, ``is_chair_of_call``,
``is_applicant_of``, ``is_moderator_of_process`` … live in the app's own ``predicates.py`` and
resolve the object's scope the same way (``<scope>_id`` attribute, or the scope object itself).
"""

from __future__ import annotations

from typing import Any

import rules

from ortswandel.core.predicates import (  # re-exported: apps import their predicates from here
    has_model_perm,
    is_public,
    is_site_admin,
    is_staff_member,
)

from . import roles

__all__ = [
    "has_model_perm",
    "is_editor_of_programme",
    "is_municipal_staff",
    "is_programme_editor",
    "is_public",
    "is_site_admin",
    "is_staff_member",
    "is_staff_of_municipality",
    "municipality_id_of",
    "programme_id_of",
]


def _label(obj: Any) -> str:
    meta = getattr(obj, "_meta", None)
    return meta.label_lower if meta is not None else ""


def programme_id_of(obj: Any) -> int | None:
    """The programme ``obj`` belongs to: a programme itself, or content with ``programme_id``."""
    if obj is None:
        return None
    if _label(obj) == "catalogue.programme":
        return obj.pk
    return getattr(obj, "programme_id", None)


def municipality_id_of(obj: Any) -> int | None:
    """The municipality ``obj`` is about: a municipality, or anything with ``municipality_id``."""
    if obj is None:
        return None
    if _label(obj) == "municipalities.municipality":
        return obj.pk
    return getattr(obj, "municipality_id", None)


@rules.predicate
def is_programme_editor(user: Any) -> bool:
    """Editor of at least one programme."""
    return roles.is_programme_editor(user)


@rules.predicate
def is_editor_of_programme(user: Any, obj: Any) -> bool:
    """Editor of the programme ``obj`` is (or belongs to); without ``obj``: of any programme."""
    if obj is None:
        return roles.is_programme_editor(user)
    programme_id = programme_id_of(obj)
    if programme_id is None or not roles.is_staff_member(user):
        return False
    return programme_id in roles.edited_programme_ids(user)


@rules.predicate
def is_municipal_staff(user: Any) -> bool:
    """Staff of at least one municipality."""
    return roles.is_municipal_staff(user)


@rules.predicate
def is_staff_of_municipality(user: Any, obj: Any) -> bool:
    """Holds a current staff grant for the municipality ``obj`` is (or is about)."""
    if obj is None:
        return roles.is_municipal_staff(user)
    municipality_id = municipality_id_of(obj)
    if municipality_id is None or not getattr(user, "is_active", False):
        return False
    return municipality_id in roles.granted_municipality_ids(user)
