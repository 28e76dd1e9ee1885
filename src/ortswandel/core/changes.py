"""Side effects of content changes that belong to an app *above* the one that changed the content.

The catalogue's services cannot import the search app (search sits above the catalogue in the
layer order, ``.importlinter``), yet every catalogue write must update the search index. So the
services call :func:`content_changed` here, explicitly and inside their transaction, and the
apps that derive data from content register a listener once at start-up
(``AppConfig.ready``). Unlike model signals this fires only where a service says content
changed, never on a bare ``save()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.db import models


class ChangeListener(Protocol):
    def __call__(self, *, objects: Iterable[models.Model], deleting: bool = False) -> None: ...


_listeners: list[ChangeListener] = []


def register_change_listener(listener: ChangeListener) -> None:
    """Add ``listener`` (idempotent: registering the same function twice keeps one)."""
    if listener not in _listeners:
        _listeners.append(listener)


def change_listeners() -> tuple[ChangeListener, ...]:
    return tuple(_listeners)


def notify_content_changed(*, objects: Iterable[models.Model], deleting: bool = False) -> None:
    """Tell every listener about a change to ``objects`` (call inside the writer's transaction;
    listeners queue their work with ``transaction.on_commit``)."""
    objects = list(objects)
    if not objects:
        return
    for listener in _listeners:
        listener(objects=objects, deleting=deleting)


__all__: list[str] = [
    "ChangeListener",
    "change_listeners",
    "notify_content_changed",
    "register_change_listener",
]
