"""Template filters of the workspace: German numbers in tables."""

from __future__ import annotations

from typing import Any

from django import template

from ortswandel.planning.presenters import de

register = template.Library()


@register.filter
def cell(value: Any) -> str:
    """A table cell: whole numbers grouped (``16.837``), shares as percent-ready decimals."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and abs(value) < 10 and value != int(value):
        return de(value, 2)
    return de(float(value))


@register.filter
def pct(value: Any) -> str:
    if value is None:
        return "–"
    return de(float(value) * 100) + " %"
