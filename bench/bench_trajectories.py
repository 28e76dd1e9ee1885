"""Benchmark: 1,000 random trajectories of one municipality over 25 years, and a Dask batch.

Prints the time for 1,000 trajectories (target < 0.2 s) for a typical, a larger and the
largest municipality, and runs a batch (municipalities x 2 scenarios x trajectories) on a local
Dask cluster and on a scheduler given by its address (a ``dask scheduler`` and ``dask worker``
started as separate processes), checking that both equal the single-process run.

Run: ``.venv/bin/python bench/bench_trajectories.py [--batch-areas 200] [--batch-trajectories 100]``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from distributed import Client

from ortswandel.engine import (
    ScaleMigration,
    Scenario,
    Uncertainty,
    project_trajectories,
    take_areas,
)
from ortswandel.engine.distributed import WORKER_MALLOC_ENV, BatchResult, run_batch, run_local

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_projection import build_inputs

UNCERTAINTY = Uncertainty(tfr_cv=0.1, e0_sd=1.0, migration_cv=0.3)


def main() -> None:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--batch-areas", type=int, default=200)
    ap.add_argument("--batch-trajectories", type=int, default=100)
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    inp = build_inputs()
    totals = inp.population.sum(axis=(1, 2))
    order = np.argsort(totals)
    picks = {
        "median": int(order[len(order) // 2]),
        "90th percentile": int(order[int(0.9 * len(order))]),
        "largest": int(order[-1]),
    }
    for label, idx in picks.items():
        one = take_areas(inp, [idx])
        project_trajectories(one, 50, uncertainty=UNCERTAINTY, seed=0)  # warm-up
        times, cpu = [], []
        for r in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            tr = project_trajectories(one, 1000, uncertainty=UNCERTAINTY, seed=r)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        q = tr.total_quantiles[:, -1, 0]
        print(
            f"1,000 trajectories x 25 years, {label} municipality {inp.area_ids[idx]} "
            f"({totals[idx]:,.0f} persons): wall best {min(times):.3f} s, median "
            f"{np.median(times):.3f} s; CPU best {min(cpu):.3f} s (target < 0.2 s); "
            f"2047 total q10/q50/q90 {q[0]:,.0f}/{q[1]:,.0f}/{q[2]:,.0f}"
        )
    sub = take_areas(inp, order[-args.batch_areas :])
    scen = [Scenario("Basis"), Scenario("niedrige Zuwanderung", (ScaleMigration(0.5),))]
    kw = {
        "chunk_size": 25,
        "trajectories": args.batch_trajectories,
        "uncertainty": UNCERTAINTY,
        "seed": 11,
    }
    t = time.perf_counter()
    local = run_local(sub, scen, **kw)
    t_local = time.perf_counter() - t
    t = time.perf_counter()
    dist = run_batch(sub, scen, n_workers=2, **kw)
    t_dist = time.perf_counter() - t
    with scheduler_with_workers(2) as address:
        t = time.perf_counter()
        remote = run_batch(sub, scen, address=address, **kw)
        t_remote = time.perf_counter() - t
    print(
        f"batch {args.batch_areas} municipalities x 2 scenarios x {args.batch_trajectories} "
        f"trajectories: single process {t_local:.2f} s; local Dask cluster (2 workers, incl. "
        f"start-up) {t_dist:.2f} s, identical: {same(dist, local)}; scheduler {address} "
        f"(2 worker processes started before) {t_remote:.2f} s, identical: {same(remote, local)}"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


def same(a: BatchResult, b: BatchResult) -> bool:
    """Bit-identical populations and quantiles for every scenario."""
    return a.population.keys() == b.population.keys() and all(
        np.array_equal(a.population[k], b.population[k])
        and np.array_equal(a.total_quantiles[k], b.total_quantiles[k])
        for k in b.population
    )


@contextlib.contextmanager
def scheduler_with_workers(n_workers: int) -> Iterator[str]:
    """A ``dask scheduler`` and ``dask worker`` started as separate processes (as on another
    machine); yields the scheduler address and stops both processes afterwards."""
    dask = Path(sys.executable).with_name("dask")
    with tempfile.TemporaryDirectory() as tmp:
        info = Path(tmp) / "scheduler.json"
        env = {**os.environ, **{k: str(v) for k, v in WORKER_MALLOC_ENV.items()}}
        procs = [
            subprocess.Popen(
                [
                    str(dask),
                    "scheduler",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--no-dashboard",
                    "--scheduler-file",
                    str(info),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        ]
        try:
            deadline = time.monotonic() + 60
            while not info.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            address = json.loads(info.read_text(encoding="utf-8"))["address"]
            procs.append(
                subprocess.Popen(
                    [
                        str(dask),
                        "worker",
                        address,
                        "--nworkers",
                        str(n_workers),
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                    ],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            with Client(address) as client:
                client.wait_for_workers(n_workers, timeout=60)
            yield address
        finally:
            for proc in reversed(procs):
                proc.terminate()
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
