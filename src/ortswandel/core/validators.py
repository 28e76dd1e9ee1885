"""Upload checks: allowed file types (by extension *and* content signature) and size."""

from __future__ import annotations

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


def validate_upload(file: UploadedFile) -> None:
    """Reject files that are too large, of a type we do not accept, or that lie about their type."""
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
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
