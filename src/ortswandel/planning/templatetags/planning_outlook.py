"""Template helpers of the outlook pages: percentages and sortable table headers."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _number(value: float, signed: bool) -> str:
    text = f"{value:+.1f}" if signed else f"{value:.1f}"
    return text.replace(".", ",").replace("-", "−")


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{_number(value, False)} %"


@register.filter
def signed_percent(value: float | None) -> str:
    return "–" if value is None else f"{_number(value, True)} %"


@register.simple_tag(takes_context=True)
def sort_header(context: Any, key: str, label: Any, current: str, *, numeric: bool = False) -> str:
    """A ``<th>`` whose link sorts by ``key`` (again: the other direction), with ``aria-sort``."""
    active = current.removeprefix("-") == key
    descending = current.startswith("-")
    target = ("" if descending else "-") + key if active else (("-" + key) if numeric else key)
    params = context["request"].GET.copy()
    params["sort"] = target
    params.pop("page", None)
    aria = ""
    if active:
        aria = "descending" if descending else "ascending"
    hint = _("absteigend sortieren") if target.startswith("-") else _("aufsteigend sortieren")
    return format_html(
        '<th scope="col"{}{}><a href="?{}">{}<span class="visually-hidden"> ({})</span></a></th>',
        format_html(' aria-sort="{}"', aria) if aria else "",
        mark_safe(' class="num"') if numeric else "",
        params.urlencode(),
        label,
        hint,
    )
