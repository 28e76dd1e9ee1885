"""Template helpers of the outlook pages: percentages and sortable table headers."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ortswandel.core import charts

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """``12,3 %`` (formatted for the active language; ``–`` when unknown)."""
    return charts.percent(value, 1)


@register.filter
def signed_percent(value: float | None) -> str:
    """``+12,3 %`` / ``−4,0 %``."""
    return charts.percent(value, 1, signed=True)


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
