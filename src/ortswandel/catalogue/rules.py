"""Permissions of the knowledge portal, declared once (loaded by ``rules``' autodiscovery).

* ``catalogue.view_<model>`` — may see the object (its page, its files, "view on site"):
  everybody when it is public, else its programme's editors and site admins.
* ``catalogue.add|change|delete_<model>`` — site admins; editors of the object's programme with
  the matching Django model permission. Programmes themselves are created and deleted by site
  admins only, who alone appoint editors (``catalogue.appoint_editors``).
* Organisations are shared master data: visible to all, deleted by site admins only (adding and
  changing follows Django's model permissions).

Called without an object (model level), Django's model permission decides as usual; these rules
add no model-level right beyond it.
"""

from __future__ import annotations

import rules

from ortswandel.accounts.predicates import is_public, is_site_admin

from .predicates import is_editor_or_admin, may_edit

PROGRAMME_CONTENT = ("theme", "project", "result", "publication", "newsitem")

for _model in PROGRAMME_CONTENT:
    rules.add_perm(f"catalogue.view_{_model}", is_public | is_editor_or_admin)
    for _verb in ("add", "change", "delete"):
        rules.add_perm(f"catalogue.{_verb}_{_model}", may_edit(f"catalogue.{_verb}_{_model}"))

rules.add_perm("catalogue.view_programme", is_public | is_editor_or_admin)
rules.add_perm("catalogue.change_programme", may_edit("catalogue.change_programme"))
rules.add_perm("catalogue.add_programme", is_site_admin)
rules.add_perm("catalogue.delete_programme", is_site_admin)
rules.add_perm("catalogue.appoint_editors", is_site_admin)

rules.add_perm("catalogue.view_organisation", is_public)
rules.add_perm("catalogue.delete_organisation", is_site_admin)

#: The back-office list of missing information of a programme: its editors and site admins.
rules.add_perm("catalogue.view_missing_information", is_editor_or_admin)
