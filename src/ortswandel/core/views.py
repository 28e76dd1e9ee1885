from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import health
from .errors import NotFound, OrtswandelError, PayloadTooLarge
from .errors import PermissionDenied as OWPermissionDenied
from .middleware import render_error, wants_json


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Each dependency's state (:mod:`ortswandel.core.health`): 200 ``ok``/``degraded``, 503
    ``down`` when the database cannot be reached."""
    status, body = health.report()
    return JsonResponse(body, status=status)


def imprint(request: HttpRequest) -> HttpResponse:
    return render(request, "core/imprint.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def data_sources(request: HttpRequest) -> HttpResponse:
    return render(request, "core/data_sources.html")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return render_error(request, PayloadTooLarge.for_request_limit())
    return render_error(
        request, OrtswandelError(_("Die Anfrage ist fehlerhaft."), code="bad_request")
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, OWPermissionDenied())


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, NotFound())


def server_error(request: HttpRequest) -> HttpResponse:
    error = OrtswandelError(
        _("Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut."),
        code="server_error",
        status=500,
    )
    if wants_json(request):
        # the API's documented error shape, for a server error too
        return JsonResponse(error.as_dict(), status=500)
    return render(request, "core/error.html", {"error": error}, status=500)
