"""Role checks that need no app: the site admin and back-office staff. Scoped roles (programme
editor, staff of a municipality) live in :mod:`ortswandel.accounts.roles` (which re-exports
these)."""

from __future__ import annotations

from typing import Any


def is_site_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def is_staff_member(user: Any) -> bool:
    """May enter the back office (the Django admin) at all."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)
