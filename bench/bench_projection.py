"""Benchmark: deterministic 25-year single-year projection of all 10,981 municipalities.

Prints the projection time, the memory-bound floor (allocating and writing one array of the
output's size, measured in the same run), the ratio, a straightforward per-area implementation
(loop over areas, NumPy over ages) for comparison, and peak memory.

Data: ``$ORTSWANDEL_DATA_DIR`` (default ``../shared/data`` beside the checkout). Base
populations are estimated by :mod:`ortswandel.sources.base_population`.

Run: ``.venv/bin/python bench/bench_projection.py [--repeat 5] [--baseline-areas N]``
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import tracemalloc

import numpy as np

from ortswandel.core.env import data_dir
from ortswandel.engine import (
    AgeGrid,
    NetMigration,
    ProjectionInputs,
    RogersCastro,
    gamma_schedule,
    project,
    rogers_castro_profile,
    survival_from_tables,
)
from ortswandel.sources.base_population import LIFE_TABLE_CSV, estimate_base_population
from ortswandel.sources.lifetables import read_destatis_life_tables

STEPS = 25
#: Assumptions of the benchmark scenario (not forecasts): TFR 1.4, mean age of mothers 31.5,
#: net migration 0.3 % of the population per year, Rogers-Castro age profile.
TFR, MEAN_AGE, NET_RATE = 1.4, 31.5, 0.003


def build_inputs() -> ProjectionInputs:
    """Inputs for all municipalities from the official files."""
    root = data_dir()
    base = estimate_base_population(root)
    tables = read_destatis_life_tables(root / LIFE_TABLE_CSV)
    grid = AgeGrid(1, 100)
    prof = rogers_castro_profile(grid, RogersCastro())
    totals = base.population.sum(axis=(1, 2))
    net = NET_RATE * totals[:, None, None] * np.stack([prof, prof])[None] / 2
    return ProjectionInputs(
        grid=grid,
        population=base.population,
        survival=survival_from_tables(tables["female"], tables["male"]),
        fertility=gamma_schedule(grid, TFR, MEAN_AGE),
        steps=STEPS,
        start_year=2022,
        net_migration=NetMigration(net),
        migration_timing="even",
        area_ids=base.ags,
    )


def per_area_baseline(inp: ProjectionInputs, areas: int) -> np.ndarray:
    """Straightforward implementation: one area after the other, NumPy over ages."""
    s = inp.survival[0, 0]
    f = inp.fertility[0, 0]
    srb = float(inp.sex_ratio_at_birth[0, 0])
    net = inp.net_migration.counts[0] if inp.net_migration is not None else None
    out = np.empty((inp.steps + 1, areas, 2, inp.grid.n))
    for a in range(areas):
        p = inp.population[a].copy()
        m = net[min(a, len(net) - 1)] * 0.5 if net is not None else np.zeros_like(p)
        out[0, a] = p
        for t in range(inp.steps):
            px = p + m
            new = np.empty_like(p)
            new[:, 1:] = px[:, :-1] * s[:, 1:]
            new[:, -1] += px[:, -1] * s[:, -1]
            new[:, 0] = 0.0
            new += m
            births = float((f * (px[0] + new[0])).sum()) * 0.5
            new[0, 0] += births / (1 + srb) * s[0, 0]
            new[1, 0] += births * srb / (1 + srb) * s[1, 0]
            p = np.maximum(new, 0.0)
            out[t + 1, a] = p
    return out


def floor(shape: tuple[int, ...]) -> float:
    """Seconds to allocate and write one float64 array of ``shape`` (memory-bound floor)."""
    t0 = time.perf_counter()
    arr = np.empty(shape)
    arr.fill(1.0)
    dt = time.perf_counter() - t0
    del arr
    return dt


def main() -> None:
    """Run the benchmark and print figures and ratios."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--baseline-areas", type=int, default=0, help="areas for the per-area loop (default: all)"
    )
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    t0 = time.perf_counter()
    inp = build_inputs()
    print(
        f"inputs: {inp.n_areas} municipalities, {inp.grid.n} ages, {STEPS} steps, "
        f"{inp.population.sum():,.0f} persons (built in {time.perf_counter() - t0:.2f} s)"
    )
    shape = (STEPS + 1, inp.n_areas, 2, inp.grid.n)
    print(f"output array: {np.prod(shape) * 8 / 1e6:.0f} MB {shape}")
    proj_times, floor_times = [], []
    res = project(inp)  # warm-up
    for _ in range(args.repeat):
        del res
        floor_times.append(floor(shape))
        t = time.perf_counter()
        res = project(inp)
        proj_times.append(time.perf_counter() - t)
    p_best, f_best = min(proj_times), min(floor_times)
    p_med, f_med = float(np.median(proj_times)), float(np.median(floor_times))
    print(f"projection : best {p_best:.3f} s, median {p_med:.3f} s")
    print(f"floor      : best {f_best:.3f} s, median {f_med:.3f} s (allocate + write output)")
    print(
        f"ratio      : best/best {p_best / f_best:.2f}x, median/median {p_med / f_med:.2f}x "
        "(target <= 5x)"
    )
    print(
        f"accounting : max |residual| {np.abs(res.accounting_residual()).max():.2e} persons, "
        f"clipped cells {len(res.clip_events)}"
    )
    n_base = args.baseline_areas or inp.n_areas
    ref = res.population[:, : min(n_base, 2000)].copy()
    del res
    t = time.perf_counter()
    base = per_area_baseline(inp, n_base)
    t_base = time.perf_counter() - t
    t_base_all = t_base * inp.n_areas / n_base
    diff = np.abs(base[:, : ref.shape[1]] - ref).max()
    print(
        f"per-area loop: {t_base:.2f} s for {n_base} areas "
        f"(all: {t_base_all:.2f} s) -> speed-up {t_base_all / p_best:.1f}x; "
        f"max |difference| {diff:.2e} persons"
    )
    del base
    tracemalloc.start()
    project(inp)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak memory: {peak / 1e6:.0f} MB traced during the projection "
        f"(process max RSS {rss:.0f} MB, target < 2048 MB)"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
