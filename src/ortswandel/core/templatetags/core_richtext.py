"""``{% load core_richtext %}`` provides ``{{ value|richtext }}``: editor content sanitised again
when it is rendered (it is sanitised on save too, :mod:`ortswandel.core.richtext`), so content
written by other paths (imports, old rows, a changed allowlist) never reaches a page unchecked."""

from __future__ import annotations

from django.template import Library
from django.utils.safestring import SafeString, mark_safe

from ortswandel.core.richtext import sanitize_html

register = Library()


@register.filter
def richtext(value: str | None) -> SafeString:
    return mark_safe(sanitize_html(value))  # noqa: S308 - sanitised by nh3 just now
