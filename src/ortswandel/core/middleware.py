"""Cross-cutting HTTP concerns: the Content-Security-Policy and rendering of OrtswandelError."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .errors import OrtswandelError


class ContentSecurityPolicyMiddleware:
    """Adds a strict CSP (no inline scripts, no third-party hosts) to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            if request.path.startswith("/api/docs"):
                # The OpenAPI viewer is served from our own static files; it needs no exception.
                pass
            response["Content-Security-Policy"] = policy
        return response


def wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def render_error(request: HttpRequest, error: OrtswandelError) -> HttpResponse:
    if wants_json(request):
        return JsonResponse(error.as_dict(), status=error.status)
    return render(request, "core/error.html", {"error": error}, status=error.status)


class OrtswandelErrorMiddleware:
    """Turns an uncaught :class:`OrtswandelError` from a view into a 4xx page or JSON body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OrtswandelError):
            return render_error(request, exception)
        return None
