"""Record handlers of apps above the catalogue (events registers ``event``): what they are
given (:class:`RecordContext`) and how they register, without the catalogue importing them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.db import models

from ortswandel.catalogue.models import Programme
from ortswandel.core.typing import ActingUser

from .reading import KNOWN_RECORD_TYPES


class RecordContext(Protocol):
    """What a registered record handler gets: the acting user, the programmes by slug, and the
    writers that count changes (:meth:`upsert` through the catalogue services; :meth:`cite`)."""

    actor: ActingUser | None

    def programme(self, slug: str) -> Programme | None: ...

    def upsert(self, model: type[Any], *, key: dict[str, Any], values: dict[str, Any],
               where: str, create_values: dict[str, Any] | None = None) -> Any: ...  # fmt: skip

    def cite(self, obj: models.Model, field_name: str, urls: Any, statement: str = "") -> None: ...


RecordHandler = Callable[[list[dict[str, Any]], RecordContext], None]
_handlers: dict[str, RecordHandler] = {}


def register_record_handler(record_type: str, handler: RecordHandler) -> None:
    """Let an app above the catalogue import the records of ``record_type`` (events registers
    ``event``), in the importer's transaction, without the catalogue importing it."""
    if record_type not in KNOWN_RECORD_TYPES:
        raise ValueError(f"unknown record type {record_type!r}")
    _handlers[record_type] = handler


def registered_handlers() -> dict[str, RecordHandler]:
    """The registered handlers by record type (registration order)."""
    return _handlers
