"""Role checks, in one place so that views, admin and API agree (least privilege)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ortswandel.core.roles import is_site_admin  # one definition, below the apps; re-exported


def is_programme_editor(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return False
    return bool(user.edited_programmes.exists())


def editable_programme_ids(user: Any) -> set[int] | None:
    """Programme ids the user may edit; ``None`` means all (site admin); empty set means none."""
    if is_site_admin(user):
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return set()
    return set(user.edited_programmes.values_list("id", flat=True))


def can_edit_programme(user: Any, programme_id: int | None) -> bool:
    allowed = editable_programme_ids(user)
    if allowed is None:
        return True
    return programme_id is not None and programme_id in allowed


def restrict_to_programmes(queryset: QuerySet, user: Any, field: str = "programme") -> QuerySet:
    """Filter ``queryset`` to rows whose ``field`` is a programme the user may edit."""
    allowed = editable_programme_ids(user)
    if allowed is None:
        return queryset
    return queryset.filter(**{f"{field}__in": allowed})
