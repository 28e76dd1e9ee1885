"""Permissions of the municipality register, declared once (loaded by ``rules``' autodiscovery).

* ``municipalities.view_municipality`` — the register is public.
* ``municipalities.add|change|delete_municipality`` — site admins only (official data; the import
  command overwrites changes with the official values).

The role *staff of municipality Z* (``accounts.act_for_municipality``) is declared by the accounts
app, which holds the grants (this app sits below it).
"""

from __future__ import annotations

import rules

from ortswandel.core.predicates import is_public, is_site_admin

rules.add_perm("municipalities.view_municipality", is_public)
for _verb in ("add", "change", "delete"):
    rules.add_perm(f"municipalities.{_verb}_municipality", is_site_admin)
