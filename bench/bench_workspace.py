"""Benchmark: the projection workspace of one municipality (issue 8 §4, "Speed and size").

What one click on "Vorausberechnung aktualisieren" computes: a 25-year projection with the
default assumptions plus three scenarios (a housing area, less migration, a closed Kita group),
demand and utilisation of seven facility types with classes by Land rules, and the budget with
the housing area's follow-up costs — :func:`ortswandel.planning.workspace.compute`, no cache.
Target: < 300 ms. Also measured in the same run: building the default scenario from the
official files (once per AGS and data version, then cached), the fan chart (1,000 trajectories
of the base, cached per settings) and the PDF report.

Data: ``$ORTSWANDEL_DATA_DIR`` (default ``../shared/data`` beside the checkout).
Run: ``.venv/bin/python bench/bench_workspace.py [--ags 12070424] [--repeat 20]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import _harness

TARGET_MS = 300.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ags", default="12070424", help="municipality (default Wittenberge)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ortswandel.config.settings")
    import django

    django.setup()
    from ortswandel.core.env import data_dir
    from ortswandel.planning import exports, workspace_charts
    from ortswandel.planning.workspace import (
        ScenarioChoice,
        Settings,
        base_defaults,
        compute,
        fan_chart,
    )
    from ortswandel.scenario.build import build_scenario
    from ortswandel.sources.base_population import MUNICIPAL_YEAR
    from ortswandel.sources.official import official_data

    data = official_data(data_dir())
    t0 = time.perf_counter()
    built = build_scenario([args.ags], MUNICIPAL_YEAR, horizon=25, data=data)
    cold_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    built = build_scenario([args.ags], MUNICIPAL_YEAR, horizon=25, data=data)
    warm_build = time.perf_counter() - t0
    launch = MUNICIPAL_YEAR
    settings = Settings(
        horizon=25,
        tfr=1.6,
        capacities={
            "kita_u3": 150,
            "kita_3_6": 450,
            "primary": 700,
            "secondary": 1000,
            "care_home": 500,
            "care_ambulatory": 200,
            "care_residential": 150,
        },
        scenarios=(
            ScenarioChoice("housing", "Neubaugebiet", launch + 3, per_year=30, years=4),
            ScenarioChoice("migration", "Weniger Zuzug", launch + 2, factor=0.5),
            ScenarioChoice(
                "kita", "Kita-Gruppe zu", launch + 5, facility="kita_3_6", groups=-1, group_size=25
            ),
        ),
    )
    compute(built, settings)  # warm-up (imports, first allocations)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = compute(built, settings)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times) * 1000
    p95 = _harness.percentile(times, 95) * 1000
    t0 = time.perf_counter()
    fan = fan_chart(built, settings)
    fan_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    charts = workspace_charts.all_charts(result, fan)
    charts_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pdf = exports.render(
        "pdf",
        result,
        fan=fan,
        defaults=base_defaults(built),
        settings=settings,
        charts=[charts["totals"], charts["fan"], charts["pyramid"], charts["budget"]],
    )
    pdf_s = time.perf_counter() - t0
    print(f"workspace benchmark: AGS {args.ags} ({built.areas[0]['name']}), 25 years, 3 scenarios")
    print(
        f"  default scenario from the official files: {cold_build * 1000:8.1f} ms cold, "
        f"{warm_build * 1000:.1f} ms with the data loaded (then cached per AGS)"
    )
    print(
        f"  projection + 3 scenarios + infrastructure + budget: median {median:.1f} ms, "
        f"p95 {p95:.1f} ms over {args.repeat} runs"
    )
    _harness.report_line("  median", median, TARGET_MS)
    print(f"  fan chart, 1,000 trajectories (base): {fan_s * 1000:.1f} ms (cached per settings)")
    print(
        f"  charts (SVG): {charts_s * 1000:.1f} ms; PDF report: {pdf_s * 1000:.1f} ms, "
        f"{len(pdf) / 1024:.0f} KB"
    )
    print(f"  {_harness.load_line()}")
    _harness.load_notice()


if __name__ == "__main__":
    main()
