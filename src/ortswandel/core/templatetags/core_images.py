"""``{% load core_images %}`` provides ``{% picture obj "teaser_image" sizes="…" css="…" %}``:
``<picture>`` with WebP and JPEG ``srcset`` (see :mod:`ortswandel.core.images`); nothing when the
object has no image."""

from __future__ import annotations

from typing import Any

from django.template import Library
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ortswandel.core.images import picture_data

register = Library()


@register.simple_tag
def picture(
    obj: Any,
    field: str = "teaser_image",
    sizes: str = "(min-width: 60rem) 30rem, 100vw",
    css: str = "",
    eager: bool = False,
) -> SafeString:
    data = picture_data(obj, field) if obj is not None else None
    if data is None:
        return mark_safe("")
    return format_html(
        '<picture class="{}"><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" '
        'decoding="async"></picture>',
        css,
        data["webp_srcset"],
        sizes,
        data["src"],
        data["jpg_srcset"],
        sizes,
        data["width"],
        data["height"],
        data["alt"],
        "eager" if eager else "lazy",
    )
