"""The choropleth of the outlook (placeholder until the shared map renderer is merged)."""

from __future__ import annotations

from typing import Any

from ortswandel.planning.models import OutlookRun

from .outlook.reads import Indicator


def render_map(
    *, land: str | None, indicator: Indicator, values: dict[str, float | None], run: OutlookRun
) -> Any:
    return None
