"""Permissions of the planning app, declared once (loaded by ``rules``' autodiscovery).

* ``planning.add_savedscenario`` — every logged-in, active user.
* ``planning.view_savedscenario`` / ``change_…`` / ``delete_…`` / ``share_…`` — its owner (and
  site admins for viewing and deleting). A share link gives read-only access without these.
* ``planning.view_projectionrun`` — whoever started it (runs started anonymously are reached
  by their random id only).
* Challenges (``planning.*_challenge``): site admins, and staff holding the matching Django
  model permission (editors the site admin has given it). Everybody sees the detected
  challenges on the public pages; the admin is the only place to change them.
* The outlook runs (``planning.*_outlookrun``, ``*_municipalityoutlook``): written only by the
  computation (service, job, command); site admins may view them in the admin.
"""

from __future__ import annotations

import rules

from ortswandel.accounts.predicates import is_site_admin
from ortswandel.core.predicates import has_model_perm, is_staff_member

from .predicates import is_logged_in, is_owner

rules.add_perm("planning.add_savedscenario", is_logged_in)
rules.add_perm("planning.view_savedscenario", is_owner | is_site_admin)
rules.add_perm("planning.change_savedscenario", is_owner)
rules.add_perm("planning.share_savedscenario", is_owner)
rules.add_perm("planning.delete_savedscenario", is_owner | is_site_admin)
rules.add_perm("planning.view_projectionrun", is_owner | is_site_admin)

# --- challenges and the outlook (helper "outlook") -------------------------------------------
for _verb in ("view", "add", "change", "delete"):
    _perm = f"planning.{_verb}_challenge"
    rules.add_perm(_perm, is_site_admin | (is_staff_member & has_model_perm(_perm)))

rules.add_perm("planning.view_outlookrun", is_site_admin)
rules.add_perm("planning.view_municipalityoutlook", is_site_admin)
for _verb in ("add", "change", "delete"):
    rules.add_perm(f"planning.{_verb}_outlookrun", rules.always_deny)
    rules.add_perm(f"planning.{_verb}_municipalityoutlook", rules.always_deny)
