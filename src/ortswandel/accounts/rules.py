"""Permissions of the accounts app, declared once (loaded by ``rules``' autodiscovery).

Role grants are given and taken by site admins only (``accounts.*_municipalitystaffgrant``).
"""

from __future__ import annotations

import rules

from .predicates import is_site_admin

for _verb in ("view", "add", "change", "delete"):
    rules.add_perm(f"accounts.{_verb}_municipalitystaffgrant", is_site_admin)
