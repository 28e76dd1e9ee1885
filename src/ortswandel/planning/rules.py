"""Permissions of the planning app, declared once (loaded by ``rules``' autodiscovery).

* ``planning.add_savedscenario`` — every logged-in, active user.
* ``planning.view_savedscenario`` / ``change_…`` / ``delete_…`` / ``share_…`` — its owner (and
  site admins for viewing and deleting). A share link gives read-only access without these.
* ``planning.view_projectionrun`` — whoever started it (runs started anonymously are reached
  by their random id only).
"""

from __future__ import annotations

import rules

from ortswandel.accounts.predicates import is_site_admin

from .predicates import is_logged_in, is_owner

rules.add_perm("planning.add_savedscenario", is_logged_in)
rules.add_perm("planning.view_savedscenario", is_owner | is_site_admin)
rules.add_perm("planning.change_savedscenario", is_owner)
rules.add_perm("planning.share_savedscenario", is_owner)
rules.add_perm("planning.delete_savedscenario", is_owner | is_site_admin)
rules.add_perm("planning.view_projectionrun", is_owner | is_site_admin)
