"""Predicates of the events app (combined into permissions in ``rules.py``)."""

from __future__ import annotations

from typing import Any

import rules

from ortswandel.accounts.predicates import is_editor_of_programme, is_site_admin


def _scope(obj: Any) -> Any:
    """The object that carries the programme: events and series themselves; registrations,
    materials and other parts of an event through their event."""
    if obj is not None and not hasattr(obj, "programme_id") and hasattr(obj, "event_id"):
        return obj.event
    return obj


@rules.predicate
def is_editor_of_event_programme(user: Any, obj: Any) -> bool:
    """Editor of the programme of the event (series, registration, material …) ``obj``."""
    return bool(is_editor_of_programme.test(user, _scope(obj)))


@rules.predicate
def is_public_event(user: Any, obj: Any) -> bool:
    """The event (of a registration, material …) is public."""
    scope = _scope(obj)
    return bool(scope is not None and scope.is_public)


#: Organiser of an event: its programme's editors and site admins.
is_organiser = is_site_admin | is_editor_of_event_programme
