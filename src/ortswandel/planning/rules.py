"""Permissions of the planning app, declared once (loaded by ``rules``' autodiscovery).

* Challenges (``planning.*_challenge``): site admins, and staff holding the matching Django
  model permission (editors the site admin has given it). Everybody sees the detected
  challenges on the public pages; the admin is the only place to change them.
* The outlook runs (``planning.*_outlookrun``, ``*_municipalityoutlook``): written only by the
  computation (service, job, command); site admins may view them in the admin.
"""

from __future__ import annotations

import rules

from ortswandel.core.predicates import has_model_perm, is_site_admin, is_staff_member

for _verb in ("view", "add", "change", "delete"):
    _perm = f"planning.{_verb}_challenge"
    rules.add_perm(_perm, is_site_admin | (is_staff_member & has_model_perm(_perm)))

rules.add_perm("planning.view_outlookrun", is_site_admin)
rules.add_perm("planning.view_municipalityoutlook", is_site_admin)
for _verb in ("add", "change", "delete"):
    rules.add_perm(f"planning.{_verb}_outlookrun", rules.always_deny)
    rules.add_perm(f"planning.{_verb}_municipalityoutlook", rules.always_deny)
