"""Permissions of the accounts app, declared once (loaded by ``rules``' autodiscovery).

* ``accounts.act_for_municipality`` — role *staff of municipality Z*: site admins, and people
  with a current :class:`~ortswandel.accounts.models.MunicipalityStaffGrant` for that AGS. The
  data-and-decisions app asks it for a municipality (or anything with a ``municipality``);
  without an object it answers "staff of some municipality".
* Role grants are given and taken by site admins only (``accounts.*_municipalitystaffgrant``).
"""

from __future__ import annotations

import rules

from .predicates import is_site_admin, is_staff_of_municipality

rules.add_perm("accounts.act_for_municipality", is_site_admin | is_staff_of_municipality)

for _verb in ("view", "add", "change", "delete"):
    rules.add_perm(f"accounts.{_verb}_municipalitystaffgrant", is_site_admin)
