"""Upload checks: allowed file types (by extension, declared content type *and* content
signature) and size. The content type a file is served with comes from :data:`CONTENT_TYPES`
(by extension), never from what the uploader declared."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# extension -> accepted leading bytes (magic numbers)
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "odp": (b"PK\x03\x04",),
    "csv": (),
    "txt": (),
}


#: extension -> content types a browser may declare for it; the first is the one we serve.
CONTENT_TYPES: dict[str, tuple[str, ...]] = {
    "pdf": ("application/pdf", "application/x-pdf"),
    "png": ("image/png",),
    "jpg": ("image/jpeg", "image/pjpeg"),
    "jpeg": ("image/jpeg", "image/pjpeg"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",),
    "odt": ("application/vnd.oasis.opendocument.text",),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet",),
    "odp": ("application/vnd.oasis.opendocument.presentation",),
    "csv": ("text/csv", "text/plain", "application/csv", "text/x-csv", "application/vnd.ms-excel"),
    "txt": ("text/plain",),
}
#: Declared types that say nothing about the content (accepted for every extension): clients
#: that do not know a type send one of these (many send text/plain).
_GENERIC_TYPES = {
    "",
    "application/octet-stream",
    "binary/octet-stream",
    "application/zip",
    "application/x-zip-compressed",
    "text/plain",
}
#: Served inline (shown by the browser); everything else is a download.
INLINE_EXTENSIONS = {"png", "jpg", "jpeg"}


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def served_content_type(name: str) -> str:
    """The content type a stored file is served with (from its extension only)."""
    types = CONTENT_TYPES.get(extension_of(name))
    return types[0] if types else "application/octet-stream"


def _check_declared_type(file: UploadedFile, extension: str) -> None:
    # a fresh upload, or a model's FieldFile that wraps one (``_file``; never opens storage)
    uploads: tuple[Any, ...] = (file, getattr(file, "_file", None))
    declared = next((str(u.content_type) for u in uploads if getattr(u, "content_type", "")), "")
    declared = declared.split(";")[0].strip().lower()
    if declared in _GENERIC_TYPES or declared in CONTENT_TYPES.get(extension, ()):
        return
    raise ValidationError(
        _("Die Datei wurde als „%(type)s“ gesendet; das passt nicht zur Endung „.%(ext)s“.")
        % {"type": declared[:80], "ext": extension},
        code="file_content_type",
    )


def validate_upload(file: UploadedFile) -> None:
    """Reject files that are too large, of a type we do not accept, or that lie about their type."""
    name = getattr(file, "name", "") or ""
    extension = extension_of(name)
    if extension not in _SIGNATURES:
        raise ValidationError(
            _("Dateityp „.%(ext)s“ ist nicht erlaubt. Erlaubt sind: %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(sorted(_SIGNATURES))},
            code="file_type",
        )
    size = getattr(file, "size", 0) or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Die Datei ist %(mb).1f MB groß; erlaubt sind höchstens %(max)d MB.")
            % {"mb": size / 1024 / 1024, "max": MAX_UPLOAD_BYTES // 1024 // 1024},
            code="file_size",
        )
    _check_declared_type(file, extension)
    signatures = _SIGNATURES[extension]
    if signatures:
        position = file.tell() if hasattr(file, "tell") else 0
        file.seek(0)
        head = file.read(16)
        file.seek(position)
        if not any(head.startswith(sig) for sig in signatures):
            raise ValidationError(
                _("Der Inhalt der Datei passt nicht zur Endung „.%(ext)s“.") % {"ext": extension},
                code="file_signature",
            )
    elif extension in {"csv", "txt"}:
        position = file.tell() if hasattr(file, "tell") else 0
        file.seek(0)
        head = file.read(2048)
        file.seek(position)
        if b"\x00" in head:
            raise ValidationError(
                _("Textdateien dürfen keine Binärdaten enthalten."), code="file_signature"
            )
