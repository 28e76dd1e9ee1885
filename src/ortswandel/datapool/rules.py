"""Who may do what with register data and official tables (``rules`` predicates).

* Upload, publish and see a municipality's private register data: the municipality's staff
  (the platform-wide role, :class:`ortswandel.accounts.models.MunicipalityStaffGrant`, asked
  through :func:`ortswandel.core.roles.granted_ags`) and site admins.
  Programme editors and other municipalities' staff may not.
* Import official tables through the admin: staff with the Django permission
  ``datapool.import_official_data`` (site admins have every permission).

The predicates are also
registered as object permissions (``datapool.upload_register_data`` etc.) for
``rules.permissions.ObjectPermissionBackend``; views and API ask :func:`can` directly so
they work without that backend.
"""

from __future__ import annotations

from typing import Any

import rules

from ortswandel.core import roles


@rules.predicate
def is_active_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_site_admin(user: Any) -> bool:
    return roles.is_site_admin(user)


@rules.predicate
def is_municipality_staff(user: Any, ags: Any) -> bool:
    """The user holds a staff grant for the municipality ``ags`` (8-digit AGS)."""
    if not getattr(user, "is_authenticated", False) or not ags:
        return False
    return str(ags) in roles.granted_ags(user)


@rules.predicate
def may_import_official_data(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and user.has_perm("datapool.import_official_data")
    )


can_manage_register_data = is_active_user & (is_site_admin | is_municipality_staff)

RULES = rules.RuleSet()
RULES.add_rule("upload_register_data", can_manage_register_data)
RULES.add_rule("publish_register_data", can_manage_register_data)
RULES.add_rule("view_private_register_data", can_manage_register_data)
RULES.add_rule("import_official_data", may_import_official_data)

for _name in ("upload_register_data", "publish_register_data", "view_private_register_data"):
    if not rules.perm_exists(f"datapool.{_name}"):
        rules.add_perm(f"datapool.{_name}", can_manage_register_data)


def can(action: str, user: Any, ags: str | None = None) -> bool:
    """``can("upload_register_data", user, "03159016")``."""
    return RULES.test_rule(action, user, ags)


def granted_ags(user: Any) -> set[str] | None:
    """AGS whose private register data ``user`` may see; ``None`` = all (site admin)."""
    if is_site_admin(user):
        return None
    if not is_active_user(user):
        return set()
    return set(roles.granted_ags(user))
