"""What the workspace page shows beside the tables: text alternatives of every chart, the
threshold years, the measured error band — German sentences built from the result dict."""

from __future__ import annotations

from typing import Any

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
    """German number format (``16.837``, ``0,7``); ``–`` for a missing value."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


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
            f"{n}: von {de(t[0])} ({y0}) auf {de(t[-1])} Einwohner ({y1}), {_change(t[0], t[-1])}"
        )
    return "Einwohnerzahl. " + "; ".join(parts) + "."


def ages_text(result: dict[str, Any]) -> str:
    base = result["age_groups"]["Basis"]
    y1 = result["years"][-1]
    parts = [f"{g} Jahre {_change(v[0], v[-1])}" for g, v in base.items() if v[0] > 0]
    return f"Veränderung der Altersgruppen bis {y1} im Basis-Szenario: " + ", ".join(parts) + "."


def pyramid_text(result: dict[str, Any]) -> str:
    pyr = result["pyramid"]["Basis"]
    groups = pyr["groups"]
    out = []
    for j, y in enumerate(pyr["years"]):
        both = [f + m for f, m in zip(pyr["female"][j], pyr["male"][j], strict=True)]
        k = max(range(len(both)), key=both.__getitem__)
        old = sum(both[groups.index("65–69") :]) / max(sum(both), 1) * 100
        out.append(f"{y}: stärkste Gruppe {groups[k]} Jahre, Anteil 65+ {de(old, 1)} %")
    return "Altersaufbau im Basis-Szenario. " + "; ".join(out) + "."


def fan_text(fan: dict[str, Any]) -> str:
    y1 = fan["years"][-1]
    q = fan["quantiles"]
    lo, hi = q.index(0.1), q.index(0.9)
    parts = []
    for n, series in fan["scenarios"].items():
        parts.append(
            f"{n}: Median {de(series[q.index(0.5)][-1])}, mit 80 % Wahrscheinlichkeit zwischen "
            f"{de(series[lo][-1])} und {de(series[hi][-1])} Einwohnern im Jahr {y1}"
        )
    return f"Unsicherheit aus {de(fan['trajectories'])} Zufallspfaden. " + "; ".join(parts) + "."


def thresholds(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Threshold years: first year the places are exceeded or used below the threshold."""
    out = []
    for n in result["scenarios"]:
        for key, row in result["infrastructure"][n].items():
            if row.get("first_exceeded"):
                out.append(
                    {
                        "scenario": n,
                        "facility": FACILITY_LABELS[key],
                        "kind": "exceeded",
                        "year": row["first_exceeded"],
                        "text": f"{FACILITY_LABELS[key]} ({n}): Bedarf übersteigt die Plätze "
                        f"ab {row['first_exceeded']}",
                    }
                )
            if row.get("first_below"):
                out.append(
                    {
                        "scenario": n,
                        "facility": FACILITY_LABELS[key],
                        "kind": "below",
                        "year": row["first_below"],
                        "text": f"{FACILITY_LABELS[key]} ({n}): Auslastung unter der Schwelle "
                        f"ab {row['first_below']}",
                    }
                )
    return out


def budget_text(result: dict[str, Any]) -> str:
    parts = [f"{n}: Barwert {de(result['budget'][n]['npv'])} EUR" for n in result["scenarios"]]
    return "Haushalt (Saldo der berechneten Posten). " + "; ".join(parts) + "."


def error_sentence(result: dict[str, Any]) -> str | None:
    """The headline of the error band: after 3 years (or the longest measured horizon)."""
    rows = result["error_band"]
    if not rows:
        return None
    row = next((r for r in rows if r["horizon"] == 3), rows[-1])
    h = row["horizon"]
    years = "einem Jahr" if h == 1 else f"{h} Jahren"
    return (
        f"Diese Methode lag nach {years} im Mittel um {de(row['mape'], 1)} % daneben "
        f"(Einwohnerzahl der Kreise, Rückrechnung ab 2016–2019; Kinder 0–5: "
        f"{de(row['mape_0_5'], 1)} %, 65+: {de(row['mape_65'], 1)} %)."
    )
