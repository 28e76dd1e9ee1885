"""Building blocks of the JSON API shared by the apps' routers (django-ninja).

Every operation declares its error responses with :func:`error_responses`, so the OpenAPI
document lists each status the operation can answer with, all in one shape
(:class:`ErrorOut`): ``400`` (malformed query string or parameter, e.g. ``invalid_page``,
``invalid_characters``), ``422`` (a value of the wrong type or out of range) and ``500``
(``server_error``) for every operation, plus what the operation adds (``404``, ``409``,
``413``, ``415``, ``429``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ninja import Field, Schema

#: Statuses any operation can answer with (besides its success).
COMMON_ERRORS = (400, 422, 500)
#: Statuses of operations that read a JSON body.
BODY_ERRORS = (413, 415)


class ErrorOut(Schema):
    """The one error shape of the API (and of every JSON error of the site)."""

    code: str = Field(description="Maschinenlesbarer Fehlercode, z. B. invalid_input")
    message: str = Field(description="Deutsche Meldung für Menschen")
    fields: dict[str, str] = Field(description="Meldung je betroffener Angabe (kann leer sein)")


class PageMeta(Schema):
    total: int = Field(ge=0, description="Einträge insgesamt")
    page: int = Field(ge=1, description="diese Seite")
    page_size: int = Field(ge=1, description="Einträge je Seite")
    pages: int = Field(ge=1, description="Seiten insgesamt")


def enum_schema(values: Iterable[str]) -> dict[str, Any]:
    """``json_schema_extra`` documenting the allowed values of a text parameter that is
    validated by a shared parser (so that the API and the HTML page give the same 400)."""
    return {"enum": list(values)}


def error_responses(*statuses: int) -> dict[int, type[Schema]]:
    """``{status: ErrorOut}`` for :data:`COMMON_ERRORS` and ``statuses``."""
    return dict.fromkeys(sorted({*COMMON_ERRORS, *statuses}), ErrorOut)
