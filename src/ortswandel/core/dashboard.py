"""The editors' back-office dashboard (``/verwaltung/uebersicht/``): one section per scope (a
programme), each made of panels that the apps register here.

Core knows neither programmes nor events: an app above it registers

* the scopes: ``register_scopes(fn)`` with ``fn(user) -> list[Scope]`` (the catalogue: the
  programmes the user edits, all for site admins), and
* panels: ``@register_panel("events.upcoming", order=40)`` on ``fn(request, scope) -> Panel |
  None`` (``None``: nothing to show for this scope). Panels of the catalogue (drafts, scheduled,
  missing information) and events (upcoming events with registrations) are registered in their
  apps' ``dashboard.py``; the newsletter app adds its status the same way.

The view is in :mod:`ortswandel.core.adminsite` (staff only; every panel asks its own
permissions and shows only the scope's content).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Scope:
    """What a dashboard section is about (e.g. one programme)."""

    key: str
    title: str
    obj: Any = None


@dataclass(frozen=True)
class PanelRow:
    label: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Panel:
    title: str
    rows: list[PanelRow] = field(default_factory=list)
    #: The total (may exceed the rows shown).
    count: int | None = None
    empty_text: str = ""
    #: (label, url) of a page with everything (e.g. the filtered admin list).
    more: tuple[str, str] | None = None


PanelBuilder = Callable[[HttpRequest, Scope], Panel | None]


@dataclass(frozen=True)
class _Registered:
    key: str
    order: int
    build: PanelBuilder


_PANELS: dict[str, _Registered] = {}
_SCOPES: list[Callable[[Any], list[Scope]]] = []


def register_panel(key: str, *, order: int = 100) -> Callable[[PanelBuilder], PanelBuilder]:
    """Register a panel builder under ``key`` (dotted, ``<app>.<panel>``); re-registering the
    same key replaces it (module reloads in tests)."""

    def decorator(build: PanelBuilder) -> PanelBuilder:
        _PANELS[key] = _Registered(key=key, order=order, build=build)
        return build

    return decorator


def register_scopes(provider: Callable[[Any], list[Scope]]) -> None:
    if provider not in _SCOPES:
        _SCOPES.append(provider)


def registered_panels() -> list[str]:
    return [p.key for p in sorted(_PANELS.values(), key=lambda p: (p.order, p.key))]


def sections(request: HttpRequest) -> list[tuple[Scope, list[Panel]]]:
    """Every scope of the user with its panels, in registration order."""
    result: list[tuple[Scope, list[Panel]]] = []
    panels = sorted(_PANELS.values(), key=lambda p: (p.order, p.key))
    for provider in _SCOPES:
        for scope in provider(request.user):
            built = [panel for p in panels if (panel := p.build(request, scope)) is not None]
            result.append((scope, built))
    return result
