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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TARGET_SECONDS = 60.0


def setup_database(keep: bool) -> Callable[[], None]:
    """Point Django at a fresh bench database and return the tear-down."""
    if os.environ.get("DATABASE_URL"):
        os.environ["ORTSWANDEL_TEST_DBNAME"] = "ortswandel_bench_datapool"
    else:
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        database = bench_dir / "datapool.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.environ["ORTSWANDEL_TEST_SQLITE"] = str(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ortswandel.config.settings")
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)

    def teardown() -> None:
        if not keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    return teardown


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
    teardown = setup_database(args.keep)
    try:
        from django.conf import settings
        from django.db import connection

        from ortswandel.datapool.models import ImportRun, Indicator, SpatialUnit, Value

        print(f"data directory: {settings.ORTSWANDEL_DATA_DIR}")
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
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
        print(
            f"first load / target: {first_wall / TARGET_SECONDS:.2f} "
            f"({first_wall:.1f} s of {TARGET_SECONDS:.0f} s)"
        )
        cpus = os.cpu_count() or 1
        print(f"load average: {load_before:.1f} before, {load_after:.1f} after ({cpus} CPUs)")
        if max(load_before, load_after) > cpus:
            print("note: the machine was busy with other work; wall times are inflated")
        return 0 if first_wall <= TARGET_SECONDS and unchanged else 1
    finally:
        teardown()


if __name__ == "__main__":
    sys.exit(main())
