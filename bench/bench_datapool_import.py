#!/usr/bin/env python
"""Data pool benchmark: import every file of the data directory (not a test).

Sets up its own database (a fresh SQLite file ``var/bench/datapool.sqlite3``, or a fresh
``ortswandel_bench_datapool`` database on the server of ``DATABASE_URL`` when that is set — the
database named in the URL itself is never touched), then runs ``import_datapool`` twice:

1. the first load: spatial units (GV100AD), territorial changes, and every table of the catalog
   (census 2022, district tables, single-year national and Land population, births, deaths,
   the coordinated projection with its assumptions, life tables), with aggregation;
2. the same again (idempotent: nothing is written, every value compared).

Printed: wall and CPU time of each run (CPU = this process: parsing, checking, aggregating and,
on SQLite, the database's work; not the PostgreSQL server's), values stored, the slowest files
(from the import log), the load average, and the first load's wall time as a ratio to the target
of 60 s. Exit code 1 if the first load takes longer than the target.

Usage: ``.venv/bin/python bench/bench_datapool_import.py [--keep]``
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time

import _harness

TARGET_SECONDS = 60.0


def timed_import() -> tuple[float, float, str]:
    from django.core.management import call_command

    out = io.StringIO()
    wall, cpu = time.perf_counter(), time.process_time()
    call_command("import_datapool", stdout=out, stderr=sys.stderr)
    return time.perf_counter() - wall, time.process_time() - cpu, out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    with _harness.bench_database("datapool", keep=args.keep) as db:
        from django.conf import settings

        from ortswandel.datapool.models import ImportRun, Indicator, SpatialUnit, Value

        print(f"data directory: {settings.ORTSWANDEL_DATA_DIR}")
        print(f"database: {db.vendor} ({db.name})")
        load_before = os.getloadavg()[0]
        first_wall, first_cpu, _out = timed_import()
        values = Value.objects.count()
        runs = list(ImportRun.objects.order_by("-seconds")[:5])
        second_wall, second_cpu, second_out = timed_import()
        load_after = os.getloadavg()[0]
        unchanged = Value.objects.count() == values and " geändert, 0 entfernt" in second_out

        print(
            f"stored: {values:,} values, {Indicator.objects.count()} indicators, "
            f"{SpatialUnit.objects.count():,} spatial units"
        )
        print(f"first load : wall {first_wall:6.1f} s   cpu {first_cpu:6.1f} s")
        print(
            f"second load: wall {second_wall:6.1f} s   cpu {second_cpu:6.1f} s   "
            f"(idempotent: {'yes' if unchanged else 'NO'})"
        )
        print("slowest files of the first load:")
        for run in runs:
            print(f"  {run.seconds:6.1f} s  {run.dataset:<24} {run.created:>8,} values")
        met = _harness.report_line("first load", first_wall, TARGET_SECONDS, unit="s")
        cpus = os.cpu_count()
        print(f"load average: {load_before:.1f} before, {load_after:.1f} after ({cpus} CPUs)")
        _harness.load_notice(load_before, load_after)
        return 0 if met and unchanged else 1


if __name__ == "__main__":
    sys.exit(main())
