"""What other apps add to the municipality page (and to its API detail).

The municipality register sits below the apps whose content refers to municipalities (the
catalogue's projects, for instance), so this app imports none of them. An app adds its part of
the page by registering a contributor in its ``AppConfig.ready()``::

    register_page_contributor(contribute, clear_cache=clear_cache)

``contribute(page)`` fills its fields of :class:`~ortswandel.municipalities.selectors.
MunicipalityPage` in place; ``clear_cache()`` (optional) forgets per-process caches together with
:func:`~ortswandel.municipalities.selectors.clear_caches`. Contributors run in registration order
(that of ``INSTALLED_APPS``); registering the same function twice has no effect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PageContributor = Callable[[Any], None]

_contributors: dict[PageContributor, Callable[[], None] | None] = {}


def register_page_contributor(
    contribute: PageContributor, *, clear_cache: Callable[[], None] | None = None
) -> None:
    _contributors[contribute] = clear_cache


def page_contributors() -> list[PageContributor]:
    return list(_contributors)


def clear_contributor_caches() -> None:
    for clear in _contributors.values():
        if clear is not None:
            clear()
