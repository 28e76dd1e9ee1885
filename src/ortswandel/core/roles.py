"""Role checks that need no app: the site admin. Programme roles live in
:mod:`ortswandel.accounts.roles` (which re-exports :func:`is_site_admin`)."""

from __future__ import annotations

from typing import Any


def is_site_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)
