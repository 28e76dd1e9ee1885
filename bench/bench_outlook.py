#!/usr/bin/env python
"""All-Germany outlook benchmark: the default projection of every municipality (not a test).

Sets up its own database (a fresh SQLite file ``var/bench/outlook.sqlite3``, or a fresh
``ortswandel_bench_outlook`` database on the server of ``DATABASE_URL`` — the database named in
the URL is never touched) and runs the job's service :func:`outlook_refresh` (``force=True``)
twice in one process:

1. cold: reading and parsing the official files, building the default inputs of all ~10,800
   inhabited municipalities at once (``scenario.batch``), projecting them 20 years with the
   vectorised engine (blocks of 2,500 areas), summarising and bulk-writing the rows;
2. warm: the same with the parsed files kept in memory (what the worker does when the job runs
   again in the same process).

Printed per run: inputs, projection and write time, the total, and the ratio of the total to the
target of 10 s for all municipalities including the write; also the first render of the Germany
map (boundaries parsed, paths drawn, SVG cached). Exit code 1 if the warm total misses the target.

Usage: ``.venv/bin/python bench/bench_outlook.py [--keep]``
"""

from __future__ import annotations

import argparse
import sys
import time

import _harness

TARGET_SECONDS = 10.0


def run_once(label: str) -> float:
    from ortswandel.planning.outlook import compute

    timings: dict[str, float] = {}
    original = compute.compute_outlook

    def timed_compute(**kwargs):  # type: ignore[no-untyped-def]
        batch = original(**kwargs)
        timings["inputs"] = batch.seconds_inputs
        timings["projection"] = batch.seconds_projection
        timings["written_from"] = time.perf_counter()
        return batch

    compute.compute_outlook = timed_compute  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        run = compute.outlook_refresh(force=True)
        total = time.perf_counter() - started
    finally:
        compute.compute_outlook = original  # type: ignore[assignment]
    assert run is not None
    write = time.perf_counter() - timings["written_from"]
    print(
        f"{label}: {run.municipalities:,} municipalities {run.launch_year}–{run.horizon_year}: "
        f"inputs {timings['inputs']:.2f} s, projection {timings['projection']:.2f} s, "
        f"write {write:.2f} s"
    )
    _harness.report_line(f"{label}: total", total, TARGET_SECONDS, unit="s")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    with _harness.bench_database("outlook", keep=args.keep) as db:
        print(f"database: {db.vendor}, {_harness.load_line()}")
        run_once("cold")
        warm = run_once("warm")
        from ortswandel.planning.outlook_map import warm_maps

        started = time.perf_counter()
        maps = warm_maps()
        print(
            f"maps: {maps} Germany maps (one per indicator) drawn and cached in "
            f"{time.perf_counter() - started:.2f} s (first: parses the boundaries)"
        )
        _harness.load_notice()
    return 0 if warm <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
