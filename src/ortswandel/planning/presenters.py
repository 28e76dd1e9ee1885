"""What the workspace page shows beside the tables: text alternatives of every chart, the
threshold years, the measured error band — German sentences built from the result dict."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ortswandel.core.charts import number

from .assumptions import CAPACITY_FIELDS

FACILITY_LABELS = dict(CAPACITY_FIELDS)
ITEM_LABELS = {
    "revenue_per_capita": "Sonstige Erträge",
    "key_allocations": "Schlüsselzuweisungen",
    "income_tax_share": "Einkommensteueranteil",
    "cost_per_capita": "Sonstige Kosten",
    "age_costs": "Kosten nach Alter",
    "age_revenues": "Erträge nach Alter",
    "housing_area_construction": "Neubaugebiet: Erstherstellung",
    "housing_area_operation": "Neubaugebiet: Betrieb",
    "housing_area_renewal": "Neubaugebiet: Erneuerung",
}


def de(value: float | None, digits: int = 0) -> str:
    """A number in the active language (German ``16.837``, ``0,7``); ``–`` if missing."""
    return number(value, digits)


def _change(first: float, last: float) -> str:
    if first <= 0:
        return ""
    pct = (last / first - 1) * 100
    return f"{'+' if pct >= 0 else '−'}{de(abs(pct), 1)} %"


def totals_text(result: dict[str, Any]) -> str:
    y0, y1 = result["years"][0], result["years"][-1]
    parts = []
    for n in result["scenarios"]:
        t = result["totals"][n]
        parts.append(
            _("%(name)s: von %(first)s (%(y0)s) auf %(last)s Einwohner (%(y1)s), %(change)s")
            % {
                "name": n,
                "first": de(t[0]),
                "y0": y0,
                "last": de(t[-1]),
                "y1": y1,
                "change": _change(t[0], t[-1]),
            }
        )
    return _("Einwohnerzahl.") + " " + "; ".join(parts) + "."


def ages_text(result: dict[str, Any]) -> str:
    base = result["age_groups"]["Basis"]
    y1 = result["years"][-1]
    parts = [
        _("%(g)s Jahre %(change)s") % {"g": g, "change": _change(v[0], v[-1])}
        for g, v in base.items()
        if v[0] > 0
    ]
    return (
        _("Veränderung der Altersgruppen bis %(year)s im Basis-Szenario:") % {"year": y1}
        + " "
        + ", ".join(parts)
        + "."
    )


def pyramid_text(result: dict[str, Any]) -> str:
    pyr = result["pyramid"]["Basis"]
    groups = pyr["groups"]
    out = []
    for j, y in enumerate(pyr["years"]):
        both = [f + m for f, m in zip(pyr["female"][j], pyr["male"][j], strict=True)]
        k = max(range(len(both)), key=both.__getitem__)
        old = sum(both[groups.index("65–69") :]) / max(sum(both), 1) * 100
        out.append(
            _("%(year)s: stärkste Gruppe %(group)s Jahre, Anteil 65+ %(share)s %%")
            % {"year": y, "group": groups[k], "share": de(old, 1)}
        )
    return _("Altersaufbau im Basis-Szenario.") + " " + "; ".join(out) + "."


def fan_text(fan: dict[str, Any]) -> str:
    y1 = fan["years"][-1]
    q = fan["quantiles"]
    lo, hi = q.index(0.1), q.index(0.9)
    parts = []
    for n, series in fan["scenarios"].items():
        parts.append(
            _(
                "%(name)s: Median %(median)s, mit 80 %% Wahrscheinlichkeit zwischen %(low)s und "
                "%(high)s Einwohnern im Jahr %(year)s"
            )
            % {
                "name": n,
                "median": de(series[q.index(0.5)][-1]),
                "low": de(series[lo][-1]),
                "high": de(series[hi][-1]),
                "year": y1,
            }
        )
    return (
        _("Unsicherheit aus %(n)s Zufallspfaden.") % {"n": de(fan["trajectories"])}
        + " "
        + "; ".join(parts)
        + "."
    )


def thresholds(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Threshold years: first year the places are exceeded or used below the threshold."""
    out = []
    for n in result["scenarios"]:
        for key, row in result["infrastructure"][n].items():
            if row.get("first_exceeded"):
                out.append(
                    {
                        "scenario": n,
                        "facility": _(FACILITY_LABELS[key]),
                        "kind": "exceeded",
                        "year": row["first_exceeded"],
                        "text": _(
                            "%(facility)s (%(name)s): Bedarf übersteigt die Plätze ab %(year)s"
                        )
                        % {
                            "facility": _(FACILITY_LABELS[key]),
                            "name": n,
                            "year": row["first_exceeded"],
                        },
                    }
                )
            if row.get("first_below"):
                out.append(
                    {
                        "scenario": n,
                        "facility": _(FACILITY_LABELS[key]),
                        "kind": "below",
                        "year": row["first_below"],
                        "text": _(
                            "%(facility)s (%(name)s): Auslastung unter der Schwelle ab %(year)s"
                        )
                        % {
                            "facility": _(FACILITY_LABELS[key]),
                            "name": n,
                            "year": row["first_below"],
                        },
                    }
                )
    return out


def budget_text(result: dict[str, Any]) -> str:
    parts = [
        _("%(name)s: Barwert %(npv)s EUR") % {"name": n, "npv": de(result["budget"][n]["npv"])}
        for n in result["scenarios"]
    ]
    return _("Haushalt (Saldo der berechneten Posten).") + " " + "; ".join(parts) + "."


def error_sentence(result: dict[str, Any]) -> str | None:
    """The headline of the error band: after 3 years (or the longest measured horizon)."""
    rows = result["error_band"]
    if not rows:
        return None
    row = next((r for r in rows if r["horizon"] == 3), rows[-1])
    h = row["horizon"]
    values = {
        "n": h,
        "mape": de(row["mape"], 1),
        "kids": de(row["mape_0_5"], 1),
        "old": de(row["mape_65"], 1),
    }
    return (
        ngettext(
            "Diese Methode lag nach %(n)d Jahr im Mittel um %(mape)s %% daneben (Einwohnerzahl "
            "der Kreise, Rückrechnung ab 2016–2019; Kinder 0–5: %(kids)s %%, 65+: %(old)s %%).",
            "Diese Methode lag nach %(n)d Jahren im Mittel um %(mape)s %% daneben (Einwohnerzahl "
            "der Kreise, Rückrechnung ab 2016–2019; Kinder 0–5: %(kids)s %%, 65+: %(old)s %%).",
            h,
        )
        % values
    )
