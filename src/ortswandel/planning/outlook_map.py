"""The choropleth of the outlook, drawn with the shared map renderer.

Paths come from :func:`ortswandel.municipalities.maps.choropleth_areas` (BKG boundaries, integer
coordinates at the drawing width, cached per process), colours and the SVG from
:func:`ortswandel.core.charts.choropleth`. The rendered chart is cached per outlook run (data
version), Land, indicator and language: one render per data version, not per request.

Page weight: the Germany map (10,990 polygons) is drawn at :data:`GERMANY_WIDTH` units without
links (rounding to whole units merges the vertices of small municipalities, which keeps the
path data small); a Land map at :data:`LAND_WIDTH`. The municipalities link to their pages from
the table, not from the map. The chart's own table lists only the extremes: the page's table
lists them all.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ortswandel.core.cache import versioned
from ortswandel.core.charts import Chart, choropleth, diverging_scale, percent, sequential_scale
from ortswandel.municipalities.maps import ATTRIBUTION, choropleth_areas
from ortswandel.municipalities.models import LAND_NAMES
from ortswandel.planning.models import OutlookRun

from .outlook.compute import OUTLOOK_VERSION
from .outlook.reads import Indicator

GERMANY_WIDTH = 640.0
LAND_WIDTH = 640.0
CHART_TABLE_ROWS = 20
MAP_ATTRIBUTION = ATTRIBUTION


def _build(
    land: str | None, indicator: Indicator, values: dict[str, float | None], run: OutlookRun
) -> Chart | None:
    # No links inside the map: charts.js makes the SVG one tab stop, and links in it would be
    # nested interactive controls (axe); the table below links every municipality.
    width = LAND_WIDTH if land else GERMANY_WIDTH
    drawn = choropleth_areas(values, land=land or "", width=width)
    if drawn is None:
        return None
    areas, viewbox, outlines = drawn
    known = [v for v in values.values() if v is not None]
    signed = indicator.diverging
    scale = (
        diverging_scale(known) if signed else sequential_scale(known, fmt=lambda v: percent(v, 1))
    )
    where = LAND_NAMES[land] if land else _("Deutschland")
    title = _("%(indicator)s %(a)s bis %(b)s, %(where)s") % {
        "indicator": indicator.label,
        "a": run.launch_year,
        "b": run.horizon_year,
        "where": where,
    }
    description = _(
        "Karte der Gemeinden in %(where)s, eingefärbt nach %(indicator)s laut "
        "Vorausberechnung mit Standardannahmen; Klassen siehe Legende. Alle Werte stehen in "
        "der Tabelle unter der Karte."
    ) % {"where": where, "indicator": indicator.label}
    return choropleth(
        title=title,
        description=description,
        areas=areas,
        scale=scale,
        viewbox=viewbox,
        value_label=str(indicator.label),
        fmt=lambda v: percent(v, 1, signed=signed),
        outlines=outlines,
        source=_("Vorausberechnung Ortswandel, Datenstand %(version)s; %(maps)s")
        % {"version": run.data_version, "maps": MAP_ATTRIBUTION},
        cid=f"outlook-map-{land or 'de'}",
        table_rows=CHART_TABLE_ROWS,
    )


def render_map(
    *, land: str | None, indicator: Indicator, values: dict[str, float | None], run: OutlookRun
) -> Chart | None:
    """The map (``None`` without boundary files), cached per run, Land, indicator, language."""
    return versioned(
        "planning:outlook-svg",
        lambda: _build(land, indicator, values, run),
        versions=[OUTLOOK_VERSION],
        parts=[run.pk, run.data_version, land, indicator.key, get_language()],
        timeout=24 * 3600,
        local=True,
    )


def warm_maps(*, lands: bool = False) -> int:
    """Draw the maps of the current run into the cache (the Germany map of every indicator,
    with ``lands`` also every Land's); returns how many were drawn. Called by the job."""
    from .outlook.reads import MAP_INDICATORS, current_run, map_values

    run = current_run()
    if run is None:
        return 0
    scopes: list[str | None] = [None, *(sorted(LAND_NAMES) if lands else [])]
    drawn = 0
    for land in scopes:
        for indicator in MAP_INDICATORS.values():
            values = map_values(land=land, indicator=indicator)
            drawn += render_map(land=land, indicator=indicator, values=values, run=run) is not None
    return drawn
