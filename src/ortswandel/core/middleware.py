"""Cross-cutting HTTP concerns: the Content-Security-Policy, query strings without control
characters, and rendering of OrtswandelError."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .errors import InvalidInput, OrtswandelError
from .params import has_control_chars


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
            response["Content-Security-Policy"] = _allow_import_maps(response, policy)
        return response


_IMPORT_MAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


def _allow_import_maps(response: HttpResponse, policy: str) -> str:
    """Allow the import maps *this* response carries by their hash (CSP 3 counts an inline
    ``<script type="importmap">`` as an inline script). The admin's rich-text editor
    (django-prose-editor) loads its ES modules through one; every other inline script stays
    blocked."""
    if getattr(response, "streaming", False) or "html" not in response.get("Content-Type", ""):
        return policy
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(m).digest()).decode()}'"
        for m in _IMPORT_MAP.findall(response.content)
    ]
    if not hashes:
        return policy
    return policy.replace("script-src 'self'", "script-src 'self' " + " ".join(hashes), 1)


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


class QueryStringGuardMiddleware:
    """A German 400 (``invalid_characters``) for a query string whose names or values contain
    NUL or another control character, before any view runs.

    PostgreSQL rejects NUL in text with an error (a 500 where the value reached a query); no
    legitimate link carries control characters. Tab, line feed and carriage return are allowed
    (they can come from pasted text); :func:`ortswandel.core.params.check_text` is the same rule
    for single values.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if has_control_chars(name) or any(has_control_chars(value) for value in values):
                shown = "".join(ch for ch in name if ch.isprintable())[:40] or "?"
                return render_error(
                    request,
                    InvalidInput(
                        _("Unzulässige Steuerzeichen in der Adresse (Parameter „%(name)s“).")
                        % {"name": shown},
                        code="invalid_characters",
                        fields={shown: _("Unzulässige Steuerzeichen.")},
                    ),
                )
        return self.get_response(request)
