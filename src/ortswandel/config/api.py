"""The public JSON API (django-ninja); OpenAPI document and viewer at /api/docs.

Each app owns its router in ``<app>/api.py``; this module only mounts them and renders errors
in one shape: ``{"code": …, "message": …, "fields": {…}}``.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ortswandel.core.errors import OrtswandelError

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
)


def _error(request: HttpRequest, status: int, code: str, message: str, fields=None) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(OrtswandelError)
def handle_ortswandel_error(request: HttpRequest, exc: OrtswandelError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(NinjaValidationError)
def handle_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for item in exc.errors:
        loc = [
            str(part)
            for part in item.get("loc", [])
            if part not in ("body", "query", "path", "payload")
        ]
        fields[".".join(loc) or "request"] = str(item.get("msg", "ungültig"))
    return _error(request, 422, "invalid_input", "Die Eingabe ist ungültig.", fields)


@api.exception_handler(Http404)
def handle_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Nicht gefunden.")


@api.exception_handler(HttpError)
def handle_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(AuthenticationError)
def handle_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "Anmeldung erforderlich.")


def _mount() -> None:
    from ortswandel.catalogue.api import router as catalogue_router
    from ortswandel.events.api import router as events_router
    from ortswandel.municipalities.api import router as municipalities_router
    from ortswandel.search.api import router as search_router

    api.add_router("/", catalogue_router)
    api.add_router("/municipalities", municipalities_router)
    api.add_router("/search", search_router)
    api.add_router("/events", events_router)


_mount()
