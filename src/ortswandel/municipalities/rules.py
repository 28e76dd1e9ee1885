"""Permissions of the municipality register, declared once (loaded by ``rules``' autodiscovery).

* ``municipalities.view_municipality`` — the register is public.
* ``municipalities.add|change|delete_municipality`` — site admins only (official data; the import
  command overwrites changes with the official values).
* ``municipalities.act_for_municipality`` — role *staff of municipality Z*: site admins, and
  people with a current :class:`~ortswandel.accounts.models.MunicipalityStaffGrant` for that AGS.
  The data-and-decisions app asks this for a municipality's own data and decisions; without an
  object it answers "staff of some municipality".
"""

from __future__ import annotations

import rules

from ortswandel.accounts.predicates import is_public, is_site_admin, is_staff_of_municipality

rules.add_perm("municipalities.view_municipality", is_public)
for _verb in ("add", "change", "delete"):
    rules.add_perm(f"municipalities.{_verb}_municipality", is_site_admin)
rules.add_perm("municipalities.act_for_municipality", is_site_admin | is_staff_of_municipality)
