"""Shared plumbing of the benchmarks in ``bench/`` (not a benchmark itself: no ``bench_`` prefix,
so ``run_all.py`` does not run it).

One home for what every benchmark did on its own before:

* :func:`bench_database` — a fresh bench database (a SQLite file ``var/bench/<name>.sqlite3``, or
  a database ``ortswandel_bench_<name>`` on the server of ``DATABASE_URL``; the database named in
  the URL itself is never touched), Django set up, dropped afterwards unless ``keep``;
* :class:`Case` and :func:`measure` — warm-up, then timed runs round-robin in blocks so that drift
  in machine load hits every case alike; wall time and CPU time of this thread per run;
* :func:`percentile` — linear interpolation between the closest ranks (p in percent);
* :func:`minimal_urlconf` — the project's urls plus ``/bench-minimal/`` (``HttpResponse("ok")``
  through the full middleware stack), the baseline of the page benchmarks;
* :func:`report_line` — the uniform result line: figure, target and ratio, met or MISSED;
  :func:`print_table` — the per-case table of the page benchmarks;
* :func:`load_line` and :func:`load_notice` — the load average, and a note when it exceeded the
  number of CPUs (wall times then include waiting for a CPU; CPU times do not).

Import it from a script in ``bench/`` as ``import _harness`` (the script's folder is on
``sys.path`` when it is run as ``python bench/bench_x.py``).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import types
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

# --------------------------------------------------------------------------- database


@dataclass(frozen=True)
class BenchDatabase:
    """The bench database Django points at: its vendor, name and a DATABASE_URL for it (to hand
    to a server started as a separate process)."""

    vendor: str
    name: str
    url: str


def _database_url(settings: dict) -> str:
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings.get("PASSWORD") else "")
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{settings['NAME']}"


@contextmanager
def bench_database(
    name: str, *, keep: bool = False, server_name: str | None = None
) -> Iterator[BenchDatabase]:
    """Point Django at a fresh bench database, set Django up, yield, then drop the database.

    SQLite: the file ``var/bench/<name>.sqlite3`` (a previous run's file and its ``-wal``/``-shm``
    files removed first: a stale WAL beside a new file makes SQLite fail with "disk I/O error").
    PostgreSQL (``DATABASE_URL`` set): the database ``server_name`` (default
    ``ortswandel_bench_<name>``) on that server. ``keep`` keeps the database afterwards.
    """
    if os.environ.get("DATABASE_URL"):
        os.environ["ORTSWANDEL_TEST_DBNAME"] = server_name or f"ortswandel_bench_{name}"
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        database = BENCH_DIR / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.environ["ORTSWANDEL_TEST_SQLITE"] = str(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ortswandel.config.settings")
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    settings = connection.settings_dict
    try:
        yield BenchDatabase(connection.vendor, settings["NAME"], _database_url(settings))
    finally:
        connection.close()
        if not keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def import_register() -> None:
    """Load the full municipality register (``import_municipalities``, ``ORTSWANDEL_DATA_DIR``)
    into the bench database; print the count and the time."""
    import io

    from django.core.management import call_command

    from ortswandel.municipalities.models import Municipality

    started = time.perf_counter()
    call_command("import_municipalities", verbosity=0, stdout=io.StringIO())
    print(
        f"  municipality register: {Municipality.objects.count()} municipalities imported in "
        f"{time.perf_counter() - started:.1f} s"
    )


# --------------------------------------------------------------------------- measurement


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (p in percent, 0–100), interpolated linearly between closest ranks;
    NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Case:
    """One thing to time: ``run()`` does it once (e.g. one request). ``target_ms`` is the p95
    target (None: a baseline or a case without target). Filled by :func:`measure`: wall and CPU
    milliseconds per run and, where ``run()`` returns a response, its status codes."""

    name: str
    run: Callable[[], object]
    target_ms: float | None = None
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    queries: int = 0

    def p(self, q: float) -> float:
        """Wall-time percentile in ms."""
        return percentile(self.wall, q)

    def cpu_p(self, q: float) -> float:
        """CPU-time percentile in ms."""
        return percentile(self.cpu, q)


def measure(cases: list[Case], *, requests: int, warmup: int = 3, block: int = 20) -> list[Case]:
    """Warm every case up (``warmup`` runs each), then run each case about ``requests`` times,
    round-robin in blocks of ``block`` runs. Records wall time (``perf_counter``) and CPU time of
    this thread (``thread_time``: unaffected by other processes holding the CPU; includes
    SQLite's work, not a database server's) in ms, and status codes of responses."""
    for case in cases:
        for _ in range(warmup):
            case.run()
    block = max(1, min(block, requests))
    for _ in range(max(1, -(-requests // block))):
        for case in cases:
            for _ in range(block):
                cpu_started = time.thread_time()
                started = time.perf_counter()
                result = case.run()
                case.wall.append((time.perf_counter() - started) * 1000)
                case.cpu.append((time.thread_time() - cpu_started) * 1000)
                status = getattr(result, "status_code", None)
                if status is not None:
                    case.statuses[status] += 1
    return cases


def count_queries(run: Callable[[], object], samples: int = 3) -> int:
    """The largest number of database queries of ``samples`` runs of ``run()``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    most = 0
    for _ in range(samples):
        with CaptureQueriesContext(connection) as ctx:
            run()
        most = max(most, len(ctx.captured_queries))
    return most


def minimal_urlconf(module_name: str = "bench_urls") -> str:
    """Register and return a urlconf module: the project's urls plus ``/bench-minimal/``
    (``HttpResponse("ok")`` through the full middleware stack), with the project's handlers."""
    from django.http import HttpResponse
    from django.urls import path

    from ortswandel.config import urls as project_urls

    def minimal(request):  # type: ignore[no-untyped-def]
        return HttpResponse("ok", content_type="text/plain")

    module = types.ModuleType(module_name)
    module.urlpatterns = [path("bench-minimal/", minimal), *project_urls.urlpatterns]  # type: ignore[attr-defined]
    for handler in ("handler400", "handler403", "handler404", "handler500"):
        setattr(module, handler, getattr(project_urls, handler))
    sys.modules[module.__name__] = module
    return module.__name__


# --------------------------------------------------------------------------- report


def report_line(
    label: str, value: float, target: float, *, unit: str = "ms", higher_is_better: bool = False
) -> bool:
    """Print ``label: value unit; target < target (ratio r) – met`` and return whether it is met.

    The ratio is value ÷ target (for a rate, ``higher_is_better``: target ÷ value), so that a
    ratio below 1 always means the target is met."""
    met = value >= target if higher_is_better else value < target
    ratio = (target / value if value else float("inf")) if higher_is_better else value / target
    sign = "≥" if higher_is_better else "<"
    print(
        f"{label}: {value:.2f} {unit}; target {sign} {target:g} {unit} "
        f"(ratio {ratio:.3f}) – {'met' if met else 'MISSED'}"
    )
    return met


def print_table(
    cases: list[Case],
    *,
    baseline: str | None = "minimal view",
    extra: dict[str, Callable[[Case], str]] | None = None,
    width: int = 34,
) -> bool:
    """One line per case: runs, wall p50/p95, p95 ÷ target, p95 ÷ the baseline case's p95, CPU
    p50/p95, queries, ``extra`` columns and the verdict. Returns whether every target is met."""
    extra = extra or {}
    base = next((c for c in cases if c.name == baseline), None)
    base_p95 = base.p(95) if base is not None else float("nan")
    header = (
        f"{'case':{width}} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p95/tgt':>8} {'p95/min':>8} "
        f"{'cpu p50':>8} {'cpu p95':>8} {'queries':>7}"
        + "".join(f" {name:>8}" for name in extra)
        + "  target"
    )
    print(header)
    print("-" * len(header))
    all_met = True
    for case in cases:
        p95 = case.p(95)
        if case.target_ms is None:
            verdict, to_target = ("baseline" if case is base else ""), "–"
        else:
            met = p95 < case.target_ms
            all_met = all_met and met
            verdict = f"{'ok' if met else 'MISSED'} (p95 < {case.target_ms:g} ms)"
            to_target = f"{p95 / case.target_ms:.2f}"
        codes = ",".join(f"{c}×{n}" for c, n in sorted(case.statuses.items()) if c != 200)
        if codes:
            verdict += f"  non-200: {codes}"
        print(
            f"{case.name:{width}} {len(case.wall):5d} {statistics.median(case.wall):8.2f} "
            f"{p95:8.2f} {to_target:>8} {p95 / base_p95:8.1f} {statistics.median(case.cpu):8.2f} "
            f"{case.cpu_p(95):8.2f} {case.queries:7d}"
            + "".join(f" {column(case):>8}" for column in extra.values())
            + f"  {verdict}"
        )
    print(
        "wall = server time in-process (Django test Client: routing, middleware, view, "
        "templates, DB; no HTTP); p95/tgt = p95 ÷ target; p95/min = p95 ÷ the minimal view's "
        "p95 of the same run; cpu = CPU time of the benchmark thread per run."
    )
    return all_met


def load_line() -> str:
    """``load average 1.2 on 2 CPUs`` (the one-minute figure)."""
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


def load_notice(*loads: float) -> None:
    """Print a note when the load average (now, or the highest of ``loads``) exceeds the number of
    CPUs: wall-clock figures then include waiting for a CPU (CPU times do not)."""
    highest = max((*loads, os.getloadavg()[0]))
    cpus = os.cpu_count() or 1
    if highest > cpus:
        print(
            f"NOTE: load average {highest:.1f} on {cpus} CPUs during the run: wall-clock figures "
            "include waiting for a CPU (CPU times do not)."
        )
