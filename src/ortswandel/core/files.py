"""Uploaded files that respect who may see them.

:class:`ProtectedFileField` is a ``FileField`` for every upload of the platform (results,
publications, event materials; calls/jury and participation next):

* **who may download** — the file's URL is not under ``MEDIA_URL`` but the view
  :func:`serve_protected_file` (``/dateien/<app>/<model>/<pk>/<field>/<name>``), which answers only
  when ``user.has_perm(<app>.view_<model>, obj)`` (or the field's ``permission``) — the same rule
  as the object's page — and 404 otherwise (no hint that the object exists). ``MEDIA_ROOT`` is
  not served by any catch-all.
* **never executed** — served with the content type of its extension (never the uploader's),
  ``X-Content-Type-Options: nosniff``, a sandboxing CSP, and ``Content-Disposition: attachment``
  except for images; uploads are checked by extension, declared type and content signature
  (:func:`ortswandel.core.validators.validate_upload`).
* **not guessable** — stored as ``<prefix>/<year>/<random>/<name>`` (:class:`RandomUploadPath`).
* **no orphans** — deleting the row (also by cascade or a bulk delete) or replacing the file
  deletes the stored file once the transaction has committed (a rollback keeps it).

Behind nginx set ``ORTSWANDEL_FILES_ACCEL_PREFIX`` (e.g. ``/_geschuetzt/``, an ``internal``
location aliasing ``MEDIA_ROOT``): the view still checks the permission and sets the headers,
nginx then sends the bytes (``X-Accel-Redirect``).
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename, slugify

from .validators import INLINE_EXTENSIONS, extension_of, served_content_type, validate_upload

#: CSP for a served file: even if a browser rendered one, nothing in it runs or loads.
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; sandbox"


@deconstructible
class RandomUploadPath:
    """``upload_to`` with a random directory: ``<prefix>/<year>/<22 random chars>/<name>``.

    The original name is kept (slugified) for the download; the random part makes the path
    unguessable and unique.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance: Any, filename: str) -> str:
        name = PurePosixPath(filename.replace("\\", "/")).name
        extension = extension_of(name)
        stem = slugify(name[: -len(extension) - 1] if extension else name)[:80] or "datei"
        safe = get_valid_filename(f"{stem}.{extension}" if extension else stem)
        year = timezone.now().year
        return f"{self.prefix}/{year}/{secrets.token_urlsafe(16)}/{safe}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomUploadPath) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


class ProtectedFieldFile(FieldFile):
    @property
    def url(self) -> str:
        """The permission-checked download address (not ``MEDIA_URL``)."""
        self._require_file()  # type: ignore[attr-defined]
        return protected_file_url(self.instance, self.field.name, self.name or "")


class ProtectedFileField(models.FileField):
    """A ``FileField`` served only to those who may see its object (see the module docstring).

    ``permission``: the permission asked with the object (default ``<app>.view_<model>``).
    ``upload_to`` defaults to a :class:`RandomUploadPath` under ``prefix``.
    """

    attr_class = ProtectedFieldFile

    def __init__(
        self, *args: Any, prefix: str = "files", permission: str = "", **kwargs: Any
    ) -> None:
        self.prefix = prefix
        self.permission = permission
        kwargs.setdefault("upload_to", RandomUploadPath(prefix))
        kwargs.setdefault("validators", [validate_upload])
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["prefix"] = self.prefix
        if self.permission:
            kwargs["permission"] = self.permission
        return name, path, args, kwargs

    def view_permission(self) -> str:
        opts = self.model._meta
        return self.permission or f"{opts.app_label}.view_{opts.model_name}"

    def contribute_to_class(self, cls: Any, name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        if cls._meta.abstract:
            return
        uid = f"protected-file:{cls._meta.label_lower}.{name}"
        pre_save.connect(_remember_stored_name, sender=cls, dispatch_uid=f"{uid}:pre", weak=False)
        post_save.connect(_delete_replaced, sender=cls, dispatch_uid=f"{uid}:post", weak=False)
        post_delete.connect(_delete_with_row, sender=cls, dispatch_uid=f"{uid}:del", weak=False)


# --- lifecycle: a stored file lives exactly as long as the row that references it -----------------
# Signals rather than service calls: a file is part of its row (like a column), and rows also go
# by cascade (an event's materials) and bulk deletes, which no service sees.


def _protected_fields(model: Any) -> list[ProtectedFileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, ProtectedFileField)]


def _remember_stored_name(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None or instance._state.adding:
        return
    fields = _protected_fields(sender)
    stored = sender._base_manager.filter(pk=instance.pk).values(*[f.attname for f in fields])
    instance._protected_files_before = next(iter(stored), {})


def _delete_replaced(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    before = getattr(instance, "_protected_files_before", None) or {}
    instance._protected_files_before = {}
    for field in _protected_fields(sender):
        old = before.get(field.attname) or ""
        if old and old != getattr(instance, field.attname).name:
            _delete_on_commit(sender, field, old)


def _delete_with_row(sender: Any, instance: Any, **kwargs: Any) -> None:
    for field in _protected_fields(sender):
        name = getattr(instance, field.attname).name
        if name:
            _delete_on_commit(sender, field, name)


def _delete_on_commit(model: Any, field: ProtectedFileField, name: str) -> None:
    def delete() -> None:
        if model._base_manager.filter(**{field.attname: name}).exists():
            return  # another row still references the same stored file
        field.storage.delete(name)

    transaction.on_commit(delete)


# --- serving ----------


def protected_file_url(instance: Any, field_name: str, name: str) -> str:
    opts = instance._meta
    return reverse(
        "protected_file",
        kwargs={
            "app_label": opts.app_label,
            "model_name": opts.model_name,
            "pk": instance.pk,
            "field_name": field_name,
            "filename": PurePosixPath(name).name,
        },
    )


def _field_and_object(
    app_label: str, model_name: str, pk: int, field_name: str
) -> tuple[ProtectedFileField, Any]:
    try:
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
    except (LookupError, FieldDoesNotExist):
        raise Http404 from None
    if not isinstance(field, ProtectedFileField):
        raise Http404
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return field, obj


def serve_protected_file(
    request: HttpRequest,
    *,
    app_label: str,
    model_name: str,
    pk: int,
    field_name: str,
    filename: str,
) -> HttpResponse:
    """Stream one stored file to a user who may see its object; 404 for everybody else."""
    field, obj = _field_and_object(app_label, model_name, pk, field_name)
    if not request.user.has_perm(field.view_permission(), obj):
        raise Http404  # not 403: do not confirm that the object exists
    stored: FieldFile = getattr(obj, field.attname)
    if not stored.name or PurePosixPath(stored.name).name != filename:
        raise Http404  # a replaced file's old address
    public = bool(getattr(obj, "is_public", False))
    content_type = served_content_type(stored.name)
    inline = extension_of(stored.name) in INLINE_EXTENSIONS
    accel = getattr(settings, "ORTSWANDEL_FILES_ACCEL_PREFIX", "")
    response: Any
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(stored.name)
        response["Content-Disposition"] = _disposition(filename, inline=inline)
    else:
        try:
            handle = stored.storage.open(stored.name, "rb")
        except OSError:
            raise Http404 from None
        response = FileResponse(
            handle, content_type=content_type, as_attachment=not inline, filename=filename
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "no-cache" if public else "private, no-store"
    response["Vary"] = "Cookie"
    return response


def _disposition(filename: str, *, inline: bool) -> str:
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename*=UTF-8''{quote(filename)}"
