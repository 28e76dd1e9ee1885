"""The workspace's charts, drawn with the shared SVG charts of :mod:`ortswandel.core.charts`
(each with a text alternative and its data as a table)."""

from __future__ import annotations

from typing import Any

from ortswandel.core.charts import Band, Chart, Series, bar_chart, line_chart, population_pyramid

from . import presenters
from .assumptions import CAPACITY_FIELDS
from .workspace import BASE

SOURCE = (
    "Ortswandel-Vorausberechnung auf Grundlage der amtlichen Statistik (Destatis, Statistische "
    "Ämter des Bundes und der Länder; dl-de/by-2-0, Daten verändert)"
)


def _years(result: dict[str, Any]) -> tuple[list[float], list[str]]:
    return [float(y) for y in result["years"]], [str(y) for y in result["years"]]


def totals(result: dict[str, Any]) -> Chart:
    x, labels = _years(result)
    return line_chart(
        title="Einwohner insgesamt",
        description=presenters.totals_text(result),
        x=x,
        x_labels=labels,
        series=[Series(n, result["totals"][n]) for n in result["scenarios"]],
        unit="Personen",
        x_title="Jahr",
        source=SOURCE,
        cid="ch-totals",
        table_open=False,
    )


def fan(fan_data: dict[str, Any]) -> Chart:
    q = fan_data["quantiles"]
    series = fan_data["scenarios"][BASE]
    x = [float(y) for y in fan_data["years"]]
    return line_chart(
        title=f"Unsicherheit: {fan_data['trajectories']} Zufallspfade (Basis)",
        description=presenters.fan_text(fan_data),
        x=x,
        x_labels=[str(y) for y in fan_data["years"]],
        series=[Series("Median", series[q.index(0.5)])],
        bands=[
            Band("80 % der Pfade", series[q.index(0.1)], series[q.index(0.9)]),
            Band("50 % der Pfade", series[q.index(0.25)], series[q.index(0.75)]),
        ],
        unit="Personen",
        x_title="Jahr",
        source=SOURCE,
        cid="ch-fan",
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
        title=f"Altersgruppen {y0} und {y1}",
        description=presenters.ages_text(result),
        categories=[f"{g} Jahre" for g in groups],
        series=series,
        unit="Personen",
        source=SOURCE,
        cid="ch-ages",
    )


def pyramid(result: dict[str, Any], name: str = BASE) -> Chart:
    pyr = result["pyramid"][name]
    return population_pyramid(
        title=f"Bevölkerungspyramide {pyr['years'][-1]} ({name}), Umriss: {pyr['years'][0]}",
        description=presenters.pyramid_text(result),
        age_labels=pyr["groups"],
        female=pyr["female"][-1],
        male=pyr["male"][-1],
        compare_female=pyr["female"][0],
        compare_male=pyr["male"][0],
        compare_label=str(pyr["years"][0]),
        source=SOURCE,
        cid=f"ch-pyr-{name}".replace(" ", "-"),
    )


def facility(result: dict[str, Any], key: str) -> Chart:
    label = dict(CAPACITY_FIELDS)[key]
    x, labels = _years(result)
    series = [
        Series(f"Bedarf {n}", result["infrastructure"][n][key]["demand"])
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
            series.append(Series(f"Plätze {n}", cap))
    base = result["infrastructure"][BASE][key]["demand"]
    text = (
        f"{label}: Bedarf im Basis-Szenario {presenters.de(base[0])} im Jahr {labels[0]}, "
        f"{presenters.de(base[-1])} im Jahr {labels[-1]}."
    )
    if caps:
        text += (
            " "
            + "; ".join(
                f"{n}: {presenters.de(c[-1])} Plätze im Jahr {labels[-1]}" for n, c in caps.items()
            )
            + "."
        )
    return line_chart(
        title=f"{label}: Bedarf und Plätze",
        description=text,
        x=x,
        x_labels=labels,
        series=series,
        unit="Plätze",
        zero_based=True,
        source=SOURCE,
        cid=f"ch-inf-{key}",
        table_open=False,
    )


def budget(result: dict[str, Any]) -> Chart:
    x, labels = _years(result)
    return line_chart(
        title="Haushalt: Saldo der berechneten Posten je Jahr",
        description=presenters.budget_text(result),
        x=x,
        x_labels=labels,
        series=[Series(n, result["budget"][n]["net"]) for n in result["scenarios"]],
        unit="EUR",
        source="Ortswandel; Annahmen siehe Haushaltsparameter",
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
