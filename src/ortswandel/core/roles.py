"""Role checks that need no app: the site admin and back-office staff. Scoped roles (programme
editor, staff of a municipality) live in :mod:`ortswandel.accounts.roles` (which re-exports
these)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def is_site_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def is_staff_member(user: Any) -> bool:
    """May enter the back office (the Django admin) at all."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


# --- staff of a municipality, for the apps below accounts ---------------------------------------

#: Set by :mod:`ortswandel.accounts` (``AppConfig.ready``): the AGS a user currently acts for.
_granted_ags_provider: Callable[[Any], frozenset[str]] | None = None


def register_granted_ags_provider(provider: Callable[[Any], frozenset[str]]) -> None:
    """Called once by the accounts app, which owns the grants (``MunicipalityStaffGrant``)."""
    global _granted_ags_provider  # noqa: PLW0603 - one registry slot, set at start-up
    _granted_ags_provider = provider


def granted_ags(user: Any) -> frozenset[str]:
    """AGS (8 digits) of the municipalities ``user`` holds a current staff grant for.

    Apps below accounts in the layer order (the data pool) ask this instead of the grant table.
    """
    if _granted_ags_provider is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if not user.is_active:
        return frozenset()
    return _granted_ags_provider(user)
