"""Permissions of the events app, declared once (loaded by ``rules``' autodiscovery).

* ``events.view_event`` / ``view_eventseries`` / ``view_material`` — public events (and their
  materials) for everybody; others for their organisers.
* ``events.manage_event`` — the organiser back office (participants, waiting list, attendance,
  messages, exports): site admins, and editors of the event's programme. Without an object:
  "organiser of some event's programme" (entry to the back office).
* ``events.add|change|delete_event`` / ``…_eventseries`` — the admin: site admins; editors of the
  programme holding Django's model permission.
* ``events.view_registration`` — the read-only registration admin: the same scope.
"""

from __future__ import annotations

import rules

from ortswandel.accounts.predicates import has_model_perm, is_site_admin

from .predicates import is_editor_of_event_programme, is_organiser, is_public_event


def _may(perm: str) -> rules.Predicate:
    return is_site_admin | (has_model_perm(perm) & is_editor_of_event_programme)


for _model in ("event", "eventseries"):
    rules.add_perm(f"events.view_{_model}", is_public_event | is_organiser)
    for _verb in ("add", "change", "delete"):
        rules.add_perm(f"events.{_verb}_{_model}", _may(f"events.{_verb}_{_model}"))

rules.add_perm("events.view_material", is_public_event | is_organiser)
rules.add_perm("events.manage_event", is_organiser)
rules.add_perm(
    "events.view_registration",
    is_site_admin
    | (
        (has_model_perm("events.view_registration") | has_model_perm("events.change_registration"))
        & is_editor_of_event_programme
    ),
)
