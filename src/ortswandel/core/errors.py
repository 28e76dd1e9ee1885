"""One error hierarchy for everything a person can act on.

Every error carries a machine-readable ``code``, a German message (translatable) and optional
per-field messages. It is rendered in one place: :mod:`ortswandel.core.middleware` for HTML and
:func:`ortswandel.config.api.handle_ortswandel_error` for JSON
(``{"code": …, "message": …, "fields": {…}}``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _


class OrtswandelError(Exception):
    """Base class. Subclasses set ``code``, ``status`` and a default ``message``."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    default_message: ClassVar[Any] = _("Die Anfrage konnte nicht verarbeitet werden.")

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, str] | None = None,
        status: int | None = None,
    ) -> None:
        self.message = str(message if message is not None else self.default_message)
        if code is not None:
            self.code = code  # type: ignore[misc]
        if status is not None:
            self.status = status  # type: ignore[misc]
        self.fields = {k: str(v) for k, v in (fields or {}).items()}
        super().__init__(self.message)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class InvalidInput(OrtswandelError):
    code = "invalid_input"
    status = 400
    default_message = _("Die Eingabe ist ungültig.")


class NotFound(OrtswandelError):
    code = "not_found"
    status = 404
    default_message = _("Die angeforderte Seite oder Ressource wurde nicht gefunden.")


class PermissionDenied(OrtswandelError):
    code = "permission_denied"
    status = 403
    default_message = _("Dafür fehlt Ihnen die Berechtigung.")


class Conflict(OrtswandelError):
    code = "conflict"
    status = 409
    default_message = _("Die Aktion steht im Konflikt mit dem aktuellen Zustand.")


class Unprocessable(OrtswandelError):
    code = "unprocessable"
    status = 422
    default_message = _("Die Angaben sind unvollständig oder widersprüchlich.")


class RateLimited(OrtswandelError):
    code = "rate_limited"
    status = 429
    default_message = _("Zu viele Anfragen. Bitte versuchen Sie es in einer Minute erneut.")


class PayloadTooLarge(OrtswandelError):
    code = "payload_too_large"
    status = 413
    default_message = _("Die Anfrage ist zu groß.")

    @classmethod
    def for_request_limit(cls) -> PayloadTooLarge:
        """The error for a body above ``DATA_UPLOAD_MAX_MEMORY_SIZE``, naming the limit."""
        from django.conf import settings

        megabytes = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / 1024 / 1024
        return cls(_("Die Anfrage ist zu groß (höchstens %(n)s MB).") % {"n": f"{megabytes:g}"})


class UnsupportedMediaType(OrtswandelError):
    code = "unsupported_media_type"
    status = 415
    default_message = _("Der Inhalt der Anfrage muss JSON sein (Content-Type: application/json).")
