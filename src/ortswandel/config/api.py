"""The public JSON API (django-ninja); OpenAPI document and viewer at /api/docs.

Each app owns its router in ``<app>/api.py``; this module only mounts them and renders errors
in one shape: ``{"code": …, "message": …, "fields": {…}}`` (:class:`ortswandel.core.api.ErrorOut`,
declared for every status of every operation in the OpenAPI document). A server error under
``/api/`` has the same shape (``server_error``, rendered by ``core.views.server_error``).

Request bodies must be declared ``application/json`` (else ``415 unsupported_media_type``): a
cross-site HTML form can only send ``text/plain``, form or multipart bodies, so it cannot post to
the API (e.g. register people for an event) from another site. A body above
``DATA_UPLOAD_MAX_MEMORY_SIZE`` is ``413 payload_too_large``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

from ortswandel.core.errors import OrtswandelError, PayloadTooLarge, UnsupportedMediaType


def is_json_content_type(content_type: str) -> bool:
    """``application/json`` or a ``+json`` subtype (parameters such as charset ignored)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


class JsonBodyParser(Parser):
    """The default JSON parser, for bodies declared as JSON only."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        if not is_json_content_type(request.META.get("CONTENT_TYPE", "")):
            raise UnsupportedMediaType()
        return super().parse_body(request)


api = NinjaAPI(
    title="Ortswandel API",
    version="1",
    description=(
        "Offene Schnittstelle des Ortswandel-Wissensportals: Programme, Themen, Projekte, "
        "Ergebnisse, Kommunen, Suche und Veranstaltungen. Es werden keine personenbezogenen "
        "Daten ausgegeben. Amtliche Daten: © Statistisches Bundesamt (Destatis), dl-de/by-2-0."
    ),
    docs_url="/docs",
    urls_namespace="api",
    parser=JsonBodyParser(),
)


def _error(request: HttpRequest, status: int, code: str, message: str, fields=None) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(OrtswandelError)
def handle_ortswandel_error(request: HttpRequest, exc: OrtswandelError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


#: German messages for pydantic's error types (its English ``msg`` is never shown to people).
_MESSAGES = {
    "missing": gettext_lazy("Diese Angabe fehlt."),
    "string_type": gettext_lazy("Bitte einen Text angeben."),
    "bool_type": gettext_lazy("Bitte true oder false angeben."),
    "bool_parsing": gettext_lazy("Bitte true oder false angeben."),
    "int_type": gettext_lazy("Bitte eine ganze Zahl angeben."),
    "int_parsing": gettext_lazy("Bitte eine ganze Zahl angeben."),
    "int_from_float": gettext_lazy("Bitte eine ganze Zahl angeben."),
    "float_type": gettext_lazy("Bitte eine Zahl angeben."),
    "float_parsing": gettext_lazy("Bitte eine Zahl angeben."),
    "dict_type": gettext_lazy("Bitte ein JSON-Objekt angeben."),
    "model_type": gettext_lazy("Bitte ein JSON-Objekt angeben."),
    "model_attributes_type": gettext_lazy("Bitte ein JSON-Objekt angeben."),
    "list_type": gettext_lazy("Bitte eine Liste angeben."),
    "date": gettext_lazy("Bitte ein Datum im Format JJJJ-MM-TT angeben."),
    "invalid": gettext_lazy("Dieser Wert ist ungültig."),
    "string_pattern_mismatch": gettext_lazy("Der Text enthält unzulässige Zeichen."),
}
_LIMITS = {
    "string_too_long": (gettext_lazy("Höchstens %(n)s Zeichen."), "max_length"),
    "string_too_short": (gettext_lazy("Mindestens %(n)s Zeichen."), "min_length"),
    "greater_than_equal": (gettext_lazy("Der Wert ist zu klein (mindestens %(n)s)."), "ge"),
    "greater_than": (gettext_lazy("Der Wert ist zu klein (größer als %(n)s)."), "gt"),
    "less_than_equal": (gettext_lazy("Der Wert ist zu groß (höchstens %(n)s)."), "le"),
    "less_than": (gettext_lazy("Der Wert ist zu groß (kleiner als %(n)s)."), "lt"),
}


def _field_message(item: dict[str, Any]) -> str:
    """A German message for one pydantic validation error."""
    kind, ctx = str(item.get("type", "")), item.get("ctx") or {}
    if kind in _LIMITS:
        text, key = _LIMITS[kind]
        return str(text) % {"n": ctx.get(key, "?")}
    if kind in ("literal_error", "enum"):
        values = str(ctx.get("expected", "?")).replace(" or ", " oder ")
        return _("Erlaubt sind nur: %(values)s.") % {"values": values}
    if kind.startswith(("date", "datetime")):
        kind = "date"
    return str(_MESSAGES.get(kind, _MESSAGES["invalid"]))


@api.exception_handler(NinjaValidationError)
def handle_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for item in exc.errors:
        loc = [
            str(part)
            for part in item.get("loc", [])
            if part not in ("body", "query", "path", "payload")
        ]
        if not loc and item.get("type") == "missing":
            fields["request"] = _("Der Anfrage fehlt der JSON-Inhalt.")
            continue
        fields[".".join(loc) or "request"] = _field_message(item)
    return _error(request, 422, "invalid_input", _("Die Eingabe ist ungültig."), fields)


@api.exception_handler(Http404)
def handle_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Nicht gefunden.")


@api.exception_handler(RequestDataTooBig)
def handle_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return handle_ortswandel_error(request, PayloadTooLarge.for_request_limit())


@api.exception_handler(HttpError)
def handle_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, OrtswandelError):
        # raised by the body parser and wrapped by django-ninja (e.g. UnsupportedMediaType)
        return handle_ortswandel_error(request, exc.__cause__)
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # django-ninja's message for a body that is not JSON (wrong syntax or content type)
        return _error(
            request,
            400,
            "invalid_json",
            _("Der Inhalt der Anfrage ist kein gültiges JSON (Content-Type: application/json)."),
        )
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(AuthenticationError)
def handle_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Anmeldung erforderlich.")


def _mount() -> None:
    from ortswandel.calls.api import router as calls_router
    from ortswandel.catalogue.api import router as catalogue_router
    from ortswandel.datapool.api import router as datapool_router
    from ortswandel.events.api import router as events_router
    from ortswandel.municipalities.api import router as municipalities_router
    from ortswandel.newsletter.api import router as newsletter_router
    from ortswandel.participation.api import router as participation_router
    from ortswandel.planning.api import router as planning_router
    from ortswandel.search.api import router as search_router

    api.add_router("/", catalogue_router)
    api.add_router("/municipalities", municipalities_router)
    api.add_router("/search", search_router)
    api.add_router("/events", events_router)
    api.add_router("/datapool", datapool_router)
    api.add_router("/calls", calls_router)
    api.add_router("/participation", participation_router)
    api.add_router("/newsletter", newsletter_router)
    api.add_router("/planning", planning_router)


_mount()
