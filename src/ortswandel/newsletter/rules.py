"""Permissions of the newsletter app (loaded by ``rules``' autodiscovery).

* ``newsletter.manage_issue`` — compose, preview, test-send and send issues of a programme (the
  object is the programme or an issue): site admins, and editors of that programme. Without an
  object: editor of some programme (entry to the composer).

Subscriptions have no public permission at all: addresses are seen only in the admin (site
admins) and by their owners through a signed link.
"""

from __future__ import annotations

import rules

from ortswandel.accounts.predicates import is_editor_of_programme, is_site_admin

rules.add_perm("newsletter.manage_issue", is_site_admin | is_editor_of_programme)
