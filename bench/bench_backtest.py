"""Backtest: default assumptions from history against what happened, for all districts.

For every launch year ``L`` (2016–2019: each needs one year of migration history, the
district table covers 31.12.2015–2020) and horizon ``h`` with ``L + h <= 2020``, the
districts are projected with the scenario builder's assumptions
(:func:`ortswandel.scenario.assumptions.district_assumptions`, data up to ``L`` only) and
compared with the official populations of 31.12.``L+h`` (12411-0018): total and the age
bands 0–5, 6–17, 65+, 75+. Side by side, measured in the same run on the same single-year
data and base period:

* Hamilton–Perry: cohort-change ratios by single year of age, child–woman ratio;
* constant growth: each of the 17 age groups grows at its own rate of the base period;
* no change.

Printed per horizon (pooled over the launch years): MAPE, median APE and bias (mean signed
percentage error) over districts. The target: at 3 years, better than every baseline in
every band and total MAPE <= 1.0 %. The mean absolute error by horizon is written as JSON
for the web workspace (``src/ortswandel/scenario/backtest_error.json``, read by
:mod:`ortswandel.scenario.errorband`).

Run: ``.venv/bin/python bench/bench_backtest.py [--no-write]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
from pathlib import Path

import numpy as np

from ortswandel.core.env import data_dir
from ortswandel.engine import project
from ortswandel.engine.backtest import (
    constant_growth,
    forecast_errors,
    hamilton_perry_single,
    no_change,
)
from ortswandel.engine.residual import group_sums
from ortswandel.scenario.assumptions import MigrationOptions, district_assumptions
from ortswandel.scenario.errorband import ERROR_BAND_JSON
from ortswandel.sources.derived import district_single_years, land_standard, period_death_rates
from ortswandel.sources.official import official_data

BANDS = {"total": None, "0-5": (0, 6), "6-17": (6, 18), "65+": (65, None), "75+": (75, None)}
METHODS = ("model", "hamilton_perry", "constant_growth", "no_change")
LABELS = {
    "model": "Ortswandel",
    "hamilton_perry": "Hamilton-Perry",
    "constant_growth": "konst. Wachstum",
    "no_change": "keine Änderung",
}


def _band_groups(starts: tuple[int, ...]) -> dict[str, list[int]]:
    out = {}
    for band, rng in BANDS.items():
        if rng is None:
            out[band] = list(range(len(starts)))
        else:
            lo, hi = rng
            out[band] = [i for i, s in enumerate(starts) if s >= lo and (hi is None or s < hi)]
    return out


def forecasts(data, launch: int, horizon: int, opts: MigrationOptions) -> dict[str, np.ndarray]:
    """Forecasts ``[district, 17]`` (both sexes) of every method for ``launch + horizon``."""
    hist = data.districts
    starts = hist.group_starts
    base_years = opts.base_years or (launch,)
    first = min(base_years) - 1
    assume = district_assumptions(data, launch, opts)
    res = project(assume.inputs(np.arange(len(assume.ags5)), horizon))
    m = period_death_rates(data, launch).m
    singles = np.stack(
        [
            district_single_years(data, y, land_standard(data, y, m))
            for y in range(first, launch + 1)
        ]
    )
    grouped = np.stack([hist.at(y) for y in range(first, launch + 1)]).sum(axis=2)
    return {
        "model": group_sums(res.population[horizon], starts).sum(axis=1),
        "hamilton_perry": group_sums(hamilton_perry_single(singles, horizon)[horizon], starts).sum(
            axis=1
        ),
        "constant_growth": constant_growth(grouped, horizon)[horizon],
        "no_change": no_change(grouped[-1], horizon)[horizon],
    }


def forecasts_model_only(data, launch: int, horizon: int) -> np.ndarray:
    """Model totals per district for ``launch + horizon``."""
    assume = district_assumptions(data, launch)
    res = project(assume.inputs(np.arange(len(assume.ags5)), horizon))
    return res.population[horizon].sum(axis=(1, 2))


def main() -> None:  # noqa: PLR0912, PLR0915 - one report
    """Run the backtest, print the table and write the error band."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--no-write", action="store_true", help="do not write the JSON file")
    args = ap.parse_args()
    t0 = time.perf_counter()
    data = official_data(data_dir())
    hist = data.districts
    groups = _band_groups(hist.group_starts)
    last = hist.years[-1]
    launches = [y for y in hist.years if y - 1 in hist.years and y < last]
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"districts: {len(hist.ags5)}; launch years {launches}; actual populations to {last}")
    errors: dict[int, dict[str, dict[str, list[float]]]] = {}
    per_launch = []
    for launch in launches:
        for horizon in range(1, last - launch + 1):
            fc = forecasts(data, launch, horizon, MigrationOptions())
            actual = hist.at(launch + horizon).sum(axis=1)
            row = {}
            for method, f in fc.items():
                for band, gi in groups.items():
                    pe = 100 * (f[:, gi].sum(-1) / actual[:, gi].sum(-1) - 1)
                    errors.setdefault(horizon, {}).setdefault(method, {}).setdefault(
                        band, []
                    ).extend(pe.tolist())
                    row[(method, band)] = forecast_errors(f[:, gi].sum(-1), actual[:, gi].sum(-1))[
                        "mape"
                    ]
            per_launch.append((launch, horizon, row))
    print("\nMAPE by launch year (%), total | 0-5 | 6-17 | 65+ | 75+:")
    for launch, horizon, row in per_launch:
        cells = "  ".join(
            f"{LABELS[m][:8]:>8s} " + "/".join(f"{row[(m, b)]:.2f}" for b in BANDS) for m in METHODS
        )
        print(f"  {launch}+{horizon}: {cells}")
    summary: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    target_ok = True
    for horizon in sorted(errors):
        n_launch = sum(1 for ln, h, _r in per_launch if h == horizon)
        print(f"\nHorizon {horizon} year(s) ({n_launch} launch years x {len(hist.ags5)} districts)")
        print(f"  {'method':16s} " + " ".join(f"{b:>22s}" for b in BANDS))
        print(f"  {'':16s} " + " ".join(f"{'MAPE  MdAPE   bias':>22s}" for _b in BANDS))
        for method in METHODS:
            cells = []
            for band in BANDS:
                pe = np.asarray(errors[horizon][method][band])
                st = {
                    "mape": float(np.abs(pe).mean()),
                    "median_ape": float(np.median(np.abs(pe))),
                    "bias": float(pe.mean()),
                    "max_ape": float(np.abs(pe).max()),
                }
                summary.setdefault(str(horizon), {}).setdefault(method, {})[band] = st
                cells.append(f"{st['mape']:6.2f} {st['median_ape']:6.2f} {st['bias']:+7.2f}")
            print(f"  {LABELS[method]:16s} " + " ".join(f"{c:>22s}" for c in cells))
        best = all(
            summary[str(horizon)]["model"][b]["mape"]
            < min(summary[str(horizon)][m][b]["mape"] for m in METHODS[1:])
            for b in BANDS
        )
        print(f"  model better than every baseline in every band: {best}")
        if horizon == 3:
            total = summary["3"]["model"]["total"]["mape"]
            target_ok = best and total <= 1.0
            print(f"  target (3 years: better everywhere, total MAPE <= 1.0 %): {target_ok}")
    # the refugee years: a longer base period that includes 2016, measured at 2017 + 3
    if 2017 in launches and last >= 2020:
        actual = hist.at(2020).sum(axis=(1, 2))
        for years in ((2016, 2017), (2017,)):
            f = forecasts(data, 2017, 3, MigrationOptions(base_years=years))["model"].sum(-1)
            ape = np.abs(f / actual - 1) * 100
            print(
                f"launch 2017 + 3, migration of {'+'.join(map(str, years))}: total MAPE "
                f"{ape.mean():.2f} %, worst district {ape.max():.1f} % "
                f"({hist.ags5[int(ape.argmax())]})"
            )
    first = hist.years[0]
    if first + 3 <= last:  # no district history before the first year: the Land's rates
        f = forecasts_model_only(data, first, 3)
        actual = hist.at(first + 3).sum(axis=(1, 2))
        e = forecast_errors(f, actual)
        print(
            f"launch {first} + 3 (no district migration history: the Land's rates of {first}, "
            f"refugee year; not in the table): total MAPE {e['mape']:.2f} %, bias "
            f"{e['bias']:+.2f} %"
        )
    band = {
        "created": dt.date.today().isoformat(),  # noqa: DTZ011 - a calendar date, no time
        "method": "Ortswandel default assumptions (ortswandel.scenario.assumptions)",
        "level": "Kreise (districts)",
        "districts": len(hist.ags5),
        "launch_years": launches,
        "actual_until": last,
        "unit": "percent of the actual population (mean absolute percentage error etc.)",
        "by_horizon": {h: v["model"] for h, v in summary.items()},
        "baselines": {h: {m: v[m] for m in METHODS[1:]} for h, v in summary.items()},
        "source": "bench/bench_backtest.py; data: GENESIS 12411-0018 and the tables of "
        "ortswandel.sources.official (dl-de/by-2-0)",
    }
    path = Path(ERROR_BAND_JSON)
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    same = {k: v for k, v in old.items() if k != "created"} == json.loads(
        json.dumps({k: v for k, v in band.items() if k != "created"})
    )
    if same:
        print(f"error band unchanged ({path})")
    elif not args.no_write:
        path.write_text(json.dumps(band, indent=1) + "\n", encoding="utf-8")
        print(f"error band written to {path}")
    print(
        f"time: {time.perf_counter() - t0:.1f} s; load average at the end: {os.getloadavg()[0]:.1f}"
    )
    if not target_ok:
        print("TARGET MISSED")


if __name__ == "__main__":
    main()
