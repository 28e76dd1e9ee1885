"""Teaser images and logos: upload validation, server-side renditions, serving with ``srcset``.

* **Validation** (:func:`validate_image`): the type is decided by the *content* (Pillow opens
  the file; only JPEG, PNG and WebP are accepted and the extension must match what is inside),
  at most :data:`MAX_IMAGE_BYTES`, at least ``min_width`` × ``min_height`` and at most
  :data:`MAX_SIDE` pixels per side (a decompression bomb is refused before it is decoded).
  Messages are German and name the limit.
* **Alternative text**: :class:`TeaserImageMixin` requires ``<field>_alt`` whenever an image is
  set (model ``clean()``: the admin shows the message next to the field).
* **Renditions** (:func:`renditions_update`): the original is never shown; WebP and JPEG
  (fallback) in :data:`WIDTHS` (never upscaled), EXIF orientation applied and metadata dropped,
  stored under ``renditions/<app>/<model>/<pk>/<field>/<hash>-<width>.<ext>`` (a new upload gets
  new names, so the files may be cached for a year). The description of the set is kept in
  ``<field>_renditions`` (JSON).
* **Serving** (:func:`serve_rendition`, ``/bilder/…``): only to who may see the object
  (``<app>.view_<model>``), like :mod:`ortswandel.core.files`; 404 for everybody else.
* **Markup**: ``{% picture obj "teaser_image" sizes="…" %}`` (``core_images`` template tags)
  renders ``<picture>`` with a WebP ``srcset``, a JPEG fallback, width/height against layout
  shift and ``loading="lazy"``.
"""

from __future__ import annotations

import hashlib
import io
from functools import partial
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .files import ProtectedFileField
from .validators import extension_of

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_SIDE = 8000
WIDTHS = (480, 960, 1440)
#: Pillow format → extensions that may carry it.
FORMATS = {"JPEG": {"jpg", "jpeg"}, "PNG": {"png"}, "WEBP": {"webp"}}
RENDITION_ROOT = "renditions"


def _pil() -> Any:
    from PIL import Image

    return Image


def validate_image(file: UploadedFile, *, min_width: int = 640, min_height: int = 320) -> None:
    """Reject what is not a usable teaser image (see the module docstring)."""
    image_module = _pil()
    size = getattr(file, "size", 0) or 0
    if size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("Das Bild ist %(mb).1f MB groß; erlaubt sind höchstens %(max)d MB.")
            % {"mb": size / 1024 / 1024, "max": MAX_IMAGE_BYTES // 1024 // 1024},
            code="image_size",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with image_module.open(file) as image:
            kind = image.format
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise ValidationError(
                    _(
                        "Das Bild ist %(w)d × %(h)d Pixel groß; erlaubt sind höchstens "
                        "%(max)d Pixel je Seite."
                    )
                    % {"w": width, "h": height, "max": MAX_SIDE},
                    code="image_dimensions",
                )
            image.verify()
    except ValidationError:
        raise
    except (image_module.DecompressionBombError, image_module.DecompressionBombWarning):
        raise ValidationError(
            _("Das Bild hat zu viele Pixel; erlaubt sind höchstens %(max)d Pixel je Seite.")
            % {"max": MAX_SIDE},
            code="image_dimensions",
        ) from None
    except Exception:
        raise ValidationError(
            _("Die Datei ist kein lesbares Bild. Erlaubt sind JPEG, PNG und WebP."),
            code="image_type",
        ) from None
    finally:
        file.seek(position)
    if kind not in FORMATS:
        raise ValidationError(
            _("Das Bild ist im Format %(kind)s; erlaubt sind JPEG, PNG und WebP.")
            % {"kind": kind or "?"},
            code="image_type",
        )
    extension = extension_of(getattr(file, "name", "") or "")
    if extension not in FORMATS[kind]:
        raise ValidationError(
            _("Der Inhalt ist ein %(kind)s-Bild, die Endung „.%(ext)s“ passt nicht dazu.")
            % {"kind": kind, "ext": extension or "?"},
            code="image_extension",
        )
    if width < min_width or height < min_height:
        raise ValidationError(
            _(
                "Das Bild ist %(w)d × %(h)d Pixel groß; es muss mindestens %(min_w)d × %(min_h)d "
                "Pixel groß sein."
            )
            % {"w": width, "h": height, "min_w": min_width, "min_h": min_height},
            code="image_dimensions",
        )


def validate_teaser_image(file: UploadedFile) -> None:
    validate_image(file, min_width=640, min_height=320)


def validate_logo(file: UploadedFile) -> None:
    validate_image(file, min_width=120, min_height=60)


def image_field(verbose_name: Any, *, logo: bool = False) -> ProtectedFileField:
    """The upload field of a teaser image (or logo): protected like every upload, validated by
    content."""
    return ProtectedFileField(
        verbose_name,
        prefix="images",
        blank=True,
        validators=[validate_logo if logo else validate_teaser_image],
        help_text=gettext_lazy(
            "JPEG, PNG oder WebP, höchstens 8 MB, mindestens %(size)s Pixel. Es wird "
            "automatisch in passenden Größen (WebP und JPEG) ausgeliefert."
        )
        % {"size": "120 × 60" if logo else "640 × 320"},
    )


class TeaserImageMixin(models.Model):
    """A teaser image with its required alternative text and its renditions."""

    teaser_image = image_field(gettext_lazy("Teaserbild"))
    teaser_image_alt = models.CharField(
        gettext_lazy("Alternativtext des Teaserbilds"),
        max_length=250,
        blank=True,
        help_text=gettext_lazy(
            "Pflicht, wenn ein Bild gesetzt ist: Was zeigt das Bild? (für Menschen, die es "
            "nicht sehen)"
        ),
    )
    teaser_image_renditions = models.JSONField(default=dict, blank=True, editable=False)

    #: Image fields of the model (each with ``<name>_alt`` and ``<name>_renditions``).
    image_fields: tuple[str, ...] = ("teaser_image",)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        errors = {}
        for name in self.image_fields:
            if getattr(self, name) and not (getattr(self, f"{name}_alt") or "").strip():
                errors[f"{name}_alt"] = _(
                    "Bitte beschreiben Sie das Bild in einem Alternativtext (Pflicht, wenn ein "
                    "Bild hochgeladen ist)."
                )
        if errors:
            raise ValidationError(errors)


@receiver(post_delete, dispatch_uid="core.images.delete_renditions")
def _delete_renditions_with_row(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Renditions live as long as their row (the original is removed by ProtectedFileField)."""
    if not isinstance(instance, TeaserImageMixin):
        return
    for field in instance.image_fields:
        transaction.on_commit(partial(_delete_dir, _rendition_dir(instance, field)))


def _rendition_dir(obj: Any, field: str) -> str:
    opts = obj._meta
    return f"{RENDITION_ROOT}/{opts.app_label}/{opts.model_name}/{obj.pk}/{field}"


def renditions_update(obj: Any, field: str) -> dict[str, Any]:
    """(Re)build the renditions of ``obj.<field>`` and store their description in
    ``<field>_renditions``; removes the previous set. Returns the description (``{}`` without
    an image)."""
    image_module = _pil()
    from PIL import ImageOps

    stored = getattr(obj, field)
    directory = _rendition_dir(obj, field)
    _delete_dir(directory)
    info: dict[str, Any] = {}
    if stored and stored.name:
        digest = hashlib.sha256(stored.name.encode()).hexdigest()[:12]
        with stored.storage.open(stored.name, "rb") as handle, image_module.open(handle) as src:
            image = ImageOps.exif_transpose(src)
            has_alpha = image.mode in {"RGBA", "LA", "P"}
            image = image.convert("RGBA" if has_alpha else "RGB")
            width, height = image.size
            widths = [w for w in WIDTHS if w < width] + [min(width, WIDTHS[-1])]
            files: dict[str, list[list[Any]]] = {"webp": [], "jpg": []}
            for target in sorted(set(widths)):
                resized = image.resize(
                    (target, max(1, round(height * target / width))), image_module.LANCZOS
                )
                for ext in ("webp", "jpg"):
                    buffer = io.BytesIO()
                    if ext == "webp":
                        resized.save(buffer, "WEBP", quality=80, method=4)
                    else:
                        flat = resized
                        if has_alpha:
                            flat = image_module.new("RGB", resized.size, (255, 255, 255))
                            flat.paste(resized, mask=resized.getchannel("A"))
                        flat.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
                    name = f"{directory}/{digest}-{target}.{ext}"
                    default_storage.save(name, ContentFile(buffer.getvalue()))
                    files[ext].append([target, name.rsplit("/", 1)[1]])
        info = {"width": width, "height": height, "files": files}
    type(obj).objects.filter(pk=obj.pk).update(**{f"{field}_renditions": info})
    setattr(obj, f"{field}_renditions", info)
    return info


def renditions_update_on_commit(obj: Any) -> None:
    """Rebuild the renditions of every image field of ``obj`` whose file changed, once the
    transaction has committed (a rollback leaves no files)."""
    for field in getattr(obj, "image_fields", ()):
        stored = getattr(obj, field)
        info = getattr(obj, f"{field}_renditions") or {}
        current = stored.name if stored else ""
        built_for = info.get("source", "")
        if current == built_for and (info or not current):
            continue

        def build(obj: Any = obj, field: str = field, current: str = current) -> None:
            info = renditions_update(obj, field)
            if info:
                info["source"] = current
                type(obj).objects.filter(pk=obj.pk).update(**{f"{field}_renditions": info})

        transaction.on_commit(build)


def _delete_dir(directory: str) -> None:
    try:
        _dirs, names = default_storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        default_storage.delete(f"{directory}/{name}")


def rendition_url(obj: Any, field: str, name: str) -> str:
    opts = obj._meta
    return reverse(
        "image_rendition",
        kwargs={
            "app_label": opts.app_label,
            "model_name": opts.model_name,
            "pk": obj.pk,
            "field_name": field,
            "filename": name,
        },
    )


def picture_data(obj: Any, field: str) -> dict[str, Any] | None:
    """What the ``picture`` tag needs: srcsets of WebP and JPEG, fallback URL, size, alt."""
    info = getattr(obj, f"{field}_renditions", None) or {}
    files = info.get("files")
    if not files or not files.get("jpg"):
        return None

    def srcset(ext: str) -> str:
        return ", ".join(f"{rendition_url(obj, field, n)} {w}w" for w, n in files.get(ext, []))

    jpgs = files["jpg"]
    fallback = next((n for w, n in jpgs if w >= 960), jpgs[-1][1])
    largest = jpgs[-1][0]
    return {
        "webp_srcset": srcset("webp"),
        "jpg_srcset": srcset("jpg"),
        "src": rendition_url(obj, field, fallback),
        "width": largest,
        "height": round(info["height"] * largest / info["width"]),
        "alt": getattr(obj, f"{field}_alt", "") or "",
    }


def serve_rendition(
    request: HttpRequest,
    *,
    app_label: str,
    model_name: str,
    pk: int,
    field_name: str,
    filename: str,
) -> HttpResponse:
    """One rendition, to those who may see the object; 404 for everybody else."""
    try:
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
    except (LookupError, FieldDoesNotExist):
        raise Http404 from None
    if not isinstance(field, ProtectedFileField) or field_name not in getattr(
        model, "image_fields", ()
    ):
        raise Http404
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None or not request.user.has_perm(f"{app_label}.view_{model_name}", obj):
        raise Http404
    info = getattr(obj, f"{field_name}_renditions", None) or {}
    names = {n for files in (info.get("files") or {}).values() for _w, n in files}
    if filename not in names:
        raise Http404
    try:
        handle = default_storage.open(f"{_rendition_dir(obj, field_name)}/{filename}", "rb")
    except OSError:
        raise Http404 from None
    content_type = "image/webp" if filename.endswith(".webp") else "image/jpeg"
    response: Any = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    public = bool(getattr(obj, "is_public", False))
    # Names change with every new upload: public renditions may be cached for a year.
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if public else "private, no-store"
    )
    return response
