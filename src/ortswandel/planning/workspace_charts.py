"""The workspace's charts, drawn with the shared SVG charts of :mod:`ortswandel.core.charts`
(each with a text alternative and its data as a table)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ortswandel.core.charts import Band, Chart, Series, bar_chart, line_chart, population_pyramid

from . import presenters
from .assumptions import CAPACITY_FIELDS
from .workspace import BASE


def _source() -> str:
    return _(
        "Ortswandel-Vorausberechnung auf Grundlage der amtlichen Statistik (Destatis, "
        "Statistische Ämter des Bundes und der Länder; dl-de/by-2-0, Daten verändert)"
    )


def _years(result: dict[str, Any]) -> tuple[list[float], list[str]]:
    return [float(y) for y in result["years"]], [str(y) for y in result["years"]]


def totals(result: dict[str, Any]) -> Chart:
    x, labels = _years(result)
    return line_chart(
        title=_("Einwohner insgesamt"),
        description=presenters.totals_text(result),
        x=x,
        x_labels=labels,
        series=[Series(n, result["totals"][n]) for n in result["scenarios"]],
        unit=_("Personen"),
        x_title=_("Jahr"),
        source=_source(),
        cid="ch-totals",
        table_open=False,
    )


def fan(fan_data: dict[str, Any], name: str = BASE) -> Chart:
    q = fan_data["quantiles"]
    series = fan_data["scenarios"][name]
    x = [float(y) for y in fan_data["years"]]
    return line_chart(
        title=_("Unsicherheit: %(n)s Zufallspfade (%(name)s)")
        % {"n": fan_data["trajectories"], "name": name},
        description=presenters.fan_text(
            {**fan_data, "scenarios": {name: fan_data["scenarios"][name]}}
        ),
        x=x,
        x_labels=[str(y) for y in fan_data["years"]],
        series=[Series("Median", series[q.index(0.5)])],
        bands=[
            Band(_("80 % der Pfade"), series[q.index(0.1)], series[q.index(0.9)]),
            Band(_("50 % der Pfade"), series[q.index(0.25)], series[q.index(0.75)]),
        ],
        unit=_("Personen"),
        x_title=_("Jahr"),
        source=_source(),
        cid="ch-fan" if name == BASE else "",
        table_open=False,
    )


def age_groups(result: dict[str, Any]) -> Chart:
    y0, y1 = result["years"][0], result["years"][-1]
    groups = list(result["age_groups"][BASE])
    series = [Series(f"{y0}", [result["age_groups"][BASE][g][0] for g in groups])]
    series += [
        Series(f"{y1} {n}", [result["age_groups"][n][g][-1] for g in groups])
        for n in result["scenarios"]
    ]
    return bar_chart(
        title=_("Altersgruppen %(y0)s und %(y1)s") % {"y0": y0, "y1": y1},
        description=presenters.ages_text(result),
        categories=[_("%(g)s Jahre") % {"g": g} for g in groups],
        series=series,
        unit=_("Personen"),
        source=_source(),
        cid="ch-ages",
    )


def pyramid(result: dict[str, Any], name: str = BASE) -> Chart:
    pyr = result["pyramid"][name]
    return population_pyramid(
        title=_("Bevölkerungspyramide %(y1)s (%(name)s), Umriss: %(y0)s")
        % {"y1": pyr["years"][-1], "name": name, "y0": pyr["years"][0]},
        description=presenters.pyramid_text(result),
        age_labels=pyr["groups"],
        female=pyr["female"][-1],
        male=pyr["male"][-1],
        compare_female=pyr["female"][0],
        compare_male=pyr["male"][0],
        compare_label=str(pyr["years"][0]),
        source=_source(),
        cid=f"ch-pyr-{name}".replace(" ", "-"),
    )


def facility(result: dict[str, Any], key: str) -> Chart:
    label = _(dict(CAPACITY_FIELDS)[key])
    x, labels = _years(result)
    series = [
        Series(_("Bedarf %(name)s") % {"name": n}, result["infrastructure"][n][key]["demand"])
        for n in result["scenarios"]
    ]
    caps = {
        n: result["infrastructure"][n][key]["capacity"]
        for n in result["scenarios"]
        if "capacity" in result["infrastructure"][n][key]
    }
    seen: list[list[float]] = []
    for n, cap in caps.items():
        if cap not in seen:
            seen.append(cap)
            series.append(Series(_("Plätze %(name)s") % {"name": n}, cap))
    base = result["infrastructure"][BASE][key]["demand"]
    text = _(
        "%(label)s: Bedarf im Basis-Szenario %(first)s im Jahr %(y0)s, %(last)s im Jahr %(y1)s."
    ) % {
        "label": label,
        "first": presenters.de(base[0]),
        "y0": labels[0],
        "last": presenters.de(base[-1]),
        "y1": labels[-1],
    }
    if caps:
        text += (
            " "
            + "; ".join(
                _("%(name)s: %(places)s Plätze im Jahr %(year)s")
                % {"name": n, "places": presenters.de(c[-1]), "year": labels[-1]}
                for n, c in caps.items()
            )
            + "."
        )
    return line_chart(
        title=_("%(label)s: Bedarf und Plätze") % {"label": label},
        description=text,
        x=x,
        x_labels=labels,
        series=series,
        unit=_("Plätze"),
        zero_based=True,
        source=_source(),
        cid=f"ch-inf-{key}",
        table_open=False,
    )


def budget(result: dict[str, Any]) -> Chart:
    x, labels = _years(result)
    return line_chart(
        title=_("Haushalt: Saldo der berechneten Posten je Jahr"),
        description=presenters.budget_text(result),
        x=x,
        x_labels=labels,
        series=[Series(n, result["budget"][n]["net"]) for n in result["scenarios"]],
        unit="EUR",
        source=_("Ortswandel; Annahmen siehe Haushaltsparameter"),
        cid="ch-budget",
        table_open=False,
    )


def all_charts(result: dict[str, Any], fan_data: dict[str, Any]) -> dict[str, Any]:
    return {
        "totals": totals(result),
        "fan": fan(fan_data),
        "ages": age_groups(result),
        "pyramid": pyramid(result),
        "infrastructure": [facility(result, key) for key, _label in CAPACITY_FIELDS],
        "budget": budget(result),
    }
