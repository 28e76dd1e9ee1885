"""Template filters of the participation pages: map positions and grid squares."""

from __future__ import annotations

from typing import Any

from django import template

from ortswandel.participation.selectors import grid_cell

register = template.Library()


@register.filter
def cell(idea: Any) -> str:
    """The grid square (``C7``) of an idea on the map; "" without a position."""
    return grid_cell(getattr(idea, "map_x", None), getattr(idea, "map_y", None))
