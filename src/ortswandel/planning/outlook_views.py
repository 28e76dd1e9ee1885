"""Map pages of the all-Germany outlook: ``/planen/karte/`` and ``/planen/karte/<land>/``.

A choropleth of one indicator (chosen in a form that works without JavaScript), its legend, a
text alternative, and a sortable, paginated table of the municipalities; labelled as a
projection with the measured error band, the source and the date of the computation.
"""

from __future__ import annotations

import statistics
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ortswandel.core.charts import number, percent
from ortswandel.core.errors import InvalidInput
from ortswandel.core.paging import parse_page
from ortswandel.municipalities.models import LAND_NAMES

from .outlook import reads
from .outlook_map import MAP_ATTRIBUTION, render_map


def _fmt(value: float | None, signed: bool) -> str:
    return percent(value, 1, signed=signed)


def text_alternative(
    values: dict[str, float | None], names: dict[str, str], indicator: reads.Indicator
) -> list[str]:
    """Sentences that say what the map shows (German msgids)."""
    known = sorted(((v, a) for a, v in values.items() if v is not None), key=lambda t: t[0])
    if not known:
        return [_("Für dieses Gebiet liegen keine Werte vor.")]
    numbers = [v for v, _a in known]
    signed = indicator.diverging
    out = [
        _("%(n)s Gemeinden; Median %(median)s, von %(low)s bis %(high)s.")
        % {
            "n": number(len(known)),
            "median": _fmt(statistics.median(numbers), signed),
            "low": _fmt(numbers[0], signed),
            "high": _fmt(numbers[-1], signed),
        }
    ]
    if signed:
        falling = sum(1 for v in numbers if v < 0)
        out.append(
            _("In %(falling)s von %(n)s Gemeinden sinkt der Wert, in %(rising)s steigt er.")
            % {
                "falling": number(falling),
                "rising": number(len(numbers) - falling),
                "n": number(len(numbers)),
            }
        )
    lowest = ", ".join(f"{names.get(a, a)} ({_fmt(v, signed)})" for v, a in known[:3])
    highest = ", ".join(f"{names.get(a, a)} ({_fmt(v, signed)})" for v, a in known[::-1][:3])
    out.append(_("Niedrigste Werte: %(list)s.") % {"list": lowest})
    out.append(_("Höchste Werte: %(list)s.") % {"list": highest})
    return out


def outlook_map(request: HttpRequest, land: str | None = None) -> HttpResponse:
    land = reads.parse_land(land)
    errors: dict[str, str] = {}
    try:
        indicator = reads.parse_indicator(request.GET.get("indicator"))
    except InvalidInput as exc:
        errors.update(exc.fields)
        indicator = reads.parse_indicator(None)
    try:
        sort = reads.parse_sort(request.GET.get("sort"))
    except InvalidInput as exc:
        errors.update(exc.fields)
        sort = "name"
    page_number = parse_page(request.GET.get("page"))
    run = reads.current_run()
    context: dict[str, Any] = {
        "nav": "planning",
        "land": land,
        "land_name": LAND_NAMES.get(land or "", ""),
        "laender": sorted(LAND_NAMES.items()),
        "indicators": list(reads.MAP_INDICATORS.values()),
        "indicator": indicator,
        "sort": sort,
        "errors": errors,
        "run": run,
    }
    status = 400 if errors else 200
    if run is None:
        return render(request, "planning/outlook_map.html", context, status=status)
    horizon = run.horizon_year - run.launch_year
    table = reads.outlook_table(land=land, sort=sort, page=page_number)
    values = reads.map_values(land=land, indicator=indicator)
    names = reads.municipality_names(land=land)
    context.update(
        table=table,
        page_obj=table,
        map=render_map(land=land, indicator=indicator, values=values, run=run),
        map_attribution=MAP_ATTRIBUTION,
        summary=text_alternative(values, names, indicator),
        error_band=reads.error_band_note(horizon),
        columns=[
            ("population", _("Einwohner %(year)s") % {"year": run.launch_year}),
            *((i.key, i.label) for i in reads.MAP_INDICATORS.values()),
        ],
    )
    return render(request, "planning/outlook_map.html", context, status=status)
