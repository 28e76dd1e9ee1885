"""The site's own address, for links that leave the request: mails, calendar files, feeds.

``ORTSWANDEL_BASE_URL`` (checked at deploy time by ``ortswandel.E001``/``W001``) is the one
source; links are never built from the ``Host`` header of whoever triggered the mail.
"""

from __future__ import annotations

from django.conf import settings

#: Used when ``ORTSWANDEL_BASE_URL`` is unset (development; a deploy check fails in production).
DEVELOPMENT_BASE_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    """``https://host`` without a trailing slash."""
    return (settings.ORTSWANDEL_BASE_URL or DEVELOPMENT_BASE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """``/kommunen/…`` → ``https://host/kommunen/…`` (``path`` must start with ``/``)."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url() needs a path starting with '/', got {path!r}")
    return base_url() + path
