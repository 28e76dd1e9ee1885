"""Who holds which role, in one place (least privilege).

Roles are scoped: *site admin* (everything), *programme editor of programme P*
(``Programme.editors``), *staff of municipality Z* (:class:`MunicipalityStaffGrant`, per AGS).
The apps to come add theirs the same way (juror of call X, moderator of process Y).

This module answers two kinds of question:

* for one object — through the predicates in :mod:`ortswandel.accounts.predicates` and the
  permissions each app declares in its ``rules.py`` (``user.has_perm(name, obj)``; views, API,
  admin and templates ask those, never these functions directly);
* for a list — :func:`restrict_to_programmes` and :func:`restrict_to_municipalities` narrow a
  queryset to the user's scope (the predicates cannot filter querysets).

The role sets are read once per user object (like Django's own permission cache) and written only
by the functions at the end, which audit every grant and revocation.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from ortswandel.core.audit import audit_log
from ortswandel.core.roles import (  # one definition, below the apps; re-exported
    is_site_admin,
    is_staff_member,
)
from ortswandel.core.typing import ActingUser, account_of

_PROGRAMMES_CACHE = "_ortswandel_programme_ids"
_MUNICIPALITIES_CACHE = "_ortswandel_municipality_ids"
_AGS_CACHE = "_ortswandel_municipality_ags"


def _is_active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


# --- programmes ------------------------------------------------------------------------------


def edited_programme_ids(user: Any) -> frozenset[int]:
    """Programmes the user is an editor of (ignores admin and staff state)."""
    cached = getattr(user, _PROGRAMMES_CACHE, None)
    if cached is None:
        cached = frozenset(user.edited_programmes.values_list("id", flat=True))
        setattr(user, _PROGRAMMES_CACHE, cached)
    return cached


def is_programme_editor(user: Any) -> bool:
    return is_staff_member(user) and bool(edited_programme_ids(user))


def editable_programme_ids(user: Any) -> set[int] | None:
    """Programme ids the user may edit; ``None`` means all (site admin); empty set means none."""
    if is_site_admin(user):
        return None
    if not is_staff_member(user):
        return set()
    return set(edited_programme_ids(user))


def restrict_to_programmes(queryset: QuerySet, user: Any, field: str = "programme") -> QuerySet:
    """Filter ``queryset`` to rows whose ``field`` is a programme the user may edit."""
    allowed = editable_programme_ids(user)
    if allowed is None:
        return queryset
    return queryset.filter(**{f"{field}__in": allowed})


# --- municipalities --------------------------------------------------------------------------


def granted_municipality_ids(user: Any) -> frozenset[int]:
    """Municipalities (ids) the user has a current staff grant for."""
    cached = getattr(user, _MUNICIPALITIES_CACHE, None)
    if cached is None:
        from .models import MunicipalityStaffGrant

        cached = frozenset(
            MunicipalityStaffGrant.objects.current()
            .filter(user=user)
            .values_list("municipality_id", flat=True)
        )
        setattr(user, _MUNICIPALITIES_CACHE, cached)
    return cached


def granted_municipality_ags(user: Any) -> frozenset[str]:
    """AGS of the municipalities the user has a current staff grant for (cached on the user)."""
    cached = getattr(user, _AGS_CACHE, None)
    if cached is None:
        from .models import MunicipalityStaffGrant

        cached = frozenset(
            MunicipalityStaffGrant.objects.current()
            .filter(user=user)
            .values_list("municipality__ags", flat=True)
        )
        setattr(user, _AGS_CACHE, cached)
    return cached


def is_municipal_staff(user: Any) -> bool:
    return _is_active(user) and bool(granted_municipality_ids(user))


def staff_municipality_ids(user: Any) -> set[int] | None:
    """Municipality ids the user acts for; ``None`` means all (site admin)."""
    if is_site_admin(user):
        return None
    if not _is_active(user):
        return set()
    return set(granted_municipality_ids(user))


def restrict_to_municipalities(
    queryset: QuerySet, user: Any, field: str = "municipality"
) -> QuerySet:
    allowed = staff_municipality_ids(user)
    if allowed is None:
        return queryset
    return queryset.filter(**{f"{field}__in": allowed})


def forget_roles(user: Any) -> None:
    """Drop the role sets cached on ``user`` (after a grant or revocation)."""
    for name in (_PROGRAMMES_CACHE, _MUNICIPALITIES_CACHE, _AGS_CACHE):
        if hasattr(user, name):
            delattr(user, name)


# --- grants (the only writes of roles) ---------------------------------------------------------


def municipality_staff_grant(
    *, user: Any, municipality: Any, acting_user: ActingUser | None, valid_until: Any = None
) -> Any:
    """Make ``user`` staff of ``municipality`` (until ``valid_until``, or open-ended); audited.
    Granting again updates the end date."""
    from .models import MunicipalityStaffGrant

    with transaction.atomic():
        grant, created = MunicipalityStaffGrant.objects.update_or_create(
            user=user,
            municipality=municipality,
            defaults={"valid_until": valid_until, "granted_by": account_of(acting_user)},
        )
        audit_log(
            action="accounts.municipality_staff.granted",
            actor=acting_user,
            obj=grant,
            payload={
                "user": user.pk,
                "ags": municipality.ags,
                "valid_until": valid_until.isoformat() if valid_until else None,
                "created": created,
            },
        )
    forget_roles(user)
    return grant


def municipality_staff_revoke(
    *, user: Any, municipality: Any, acting_user: ActingUser | None
) -> bool:
    """End the staff role of ``user`` for ``municipality``; returns whether there was one."""
    from .models import MunicipalityStaffGrant

    with transaction.atomic():
        grant = MunicipalityStaffGrant.objects.filter(user=user, municipality=municipality).first()
        if grant is None:
            return False
        audit_log(
            action="accounts.municipality_staff.revoked",
            actor=acting_user,
            obj=grant,
            payload={"user": user.pk, "ags": municipality.ags},
        )
        grant.delete()
    forget_roles(user)
    return True
