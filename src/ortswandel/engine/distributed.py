"""Batch runs on Dask, chunked by area.

Large batches (all municipalities x several scenarios x 1,000 trajectories) are
split into chunks of areas; each chunk is an independent task. A local cluster is
started by default; pass ``address`` to use a running ``dask.distributed``
scheduler, or ``client`` to reuse one.

Reproducibility: chunk ``i`` of a probabilistic run uses the random stream
``default_rng([seed, i])``. :func:`run_local` runs the very same chunks in this
process, so a cluster run and a single-process run with the same ``chunk_size``
and ``seed`` give identical results, whatever the number of workers.

The engine itself does no I/O: this module only moves arrays between processes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import EngineValueError
from .projection import ProjectionInputs, project, take_areas
from .scenarios import Scenario
from .stochastic import Uncertainty, project_trajectories

__all__ = ["WORKER_MALLOC_ENV", "BatchResult", "run_batch", "run_local"]

F64 = NDArray[np.float64]

#: glibc settings for worker processes. distributed's default ``MALLOC_TRIM_THRESHOLD_`` of
#: 64 KiB hands freed memory back to the OS at once, so every temporary array of the engine
#: page-faults again: measured 3x the CPU time of the same chunk in one process. With these
#: values a chunk costs the same CPU time in a worker as in-process. Set them in the
#: environment of remote workers, too.
WORKER_MALLOC_ENV = {
    "MALLOC_TRIM_THRESHOLD_": 256 * 2**20,
    "MALLOC_MMAP_THRESHOLD_": 64 * 2**20,
    "MALLOC_TOP_PAD_": 64 * 2**20,
}


@dataclass(frozen=True)
class BatchResult:
    """Results per scenario name.

    ``population[name]`` is ``[T+1, A, 2, G]`` (deterministic) and
    ``total_quantiles[name]`` ``[Q, T+1, A]`` (probabilistic, else absent).
    """

    population: dict[str, F64]
    total_quantiles: dict[str, F64]


def _chunks(n_areas: int, chunk_size: int) -> list[NDArray[np.int64]]:
    if chunk_size < 1:
        raise EngineValueError(
            "chunk_size", f"must be >= 1; got {chunk_size}", "give the number of areas per task"
        )
    return [np.arange(a, min(a + chunk_size, n_areas)) for a in range(0, n_areas, chunk_size)]


def _run_chunk(
    inputs: ProjectionInputs,
    trajectories: int,
    uncertainty: Uncertainty | None,
    seed: int,
    chunk_index: int,
) -> tuple[F64, F64 | None]:
    pop = project(inputs).population
    if trajectories <= 0:
        return pop, None
    tr = project_trajectories(
        inputs, trajectories, uncertainty=uncertainty, seed=[seed, chunk_index]
    )
    return pop, tr.total_quantiles


def _tasks(
    base: ProjectionInputs, scenarios: Sequence[Scenario], chunk_size: int
) -> list[tuple[str, int, ProjectionInputs]]:
    out = []
    for sc in scenarios:
        inputs = sc.apply(base)
        for i, idx in enumerate(_chunks(base.n_areas, chunk_size)):
            out.append((sc.name, i, take_areas(inputs, idx)))
    return out


def _assemble(
    keys: list[tuple[str, int, ProjectionInputs]], results: list[tuple[F64, F64 | None]]
) -> BatchResult:
    pops: dict[str, list[F64]] = {}
    quants: dict[str, list[F64]] = {}
    for (name, _i, _inp), (pop, q) in zip(keys, results, strict=True):
        pops.setdefault(name, []).append(pop)
        if q is not None:
            quants.setdefault(name, []).append(q)
    return BatchResult(
        population={k: np.concatenate(v, axis=1) for k, v in pops.items()},
        total_quantiles={k: np.concatenate(v, axis=2) for k, v in quants.items()},
    )


def run_local(
    base: ProjectionInputs,
    scenarios: Sequence[Scenario] = (Scenario("Basis"),),
    *,
    chunk_size: int = 1000,
    trajectories: int = 0,
    uncertainty: Uncertainty | None = None,
    seed: int = 0,
) -> BatchResult:
    """The batch in this process, chunk after chunk (reference for :func:`run_batch`)."""
    keys = _tasks(base, scenarios, chunk_size)
    return _assemble(
        keys, [_run_chunk(inp, trajectories, uncertainty, seed, i) for _n, i, inp in keys]
    )


def run_batch(
    base: ProjectionInputs,
    scenarios: Sequence[Scenario] = (Scenario("Basis"),),
    *,
    chunk_size: int = 1000,
    trajectories: int = 0,
    uncertainty: Uncertainty | None = None,
    seed: int = 0,
    address: str | None = None,
    client: Any = None,
    n_workers: int = 2,
) -> BatchResult:
    """Run scenarios x area chunks (x trajectories) on a Dask cluster.

    Parameters
    ----------
    address : str, optional
        ``tcp://host:8786`` of a running scheduler; default: a new local cluster
        with ``n_workers`` worker processes (closed afterwards).
    client : distributed.Client, optional
        An existing client (takes precedence over ``address``).
    """
    import dask
    from distributed import Client, LocalCluster

    keys = _tasks(base, scenarios, chunk_size)
    owned: list[Callable[[], Any]] = []
    if client is None:
        if address is None:
            env = {
                f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in WORKER_MALLOC_ENV.items()
            }
            with dask.config.set(env):
                cluster = LocalCluster(
                    n_workers=n_workers, threads_per_worker=1, dashboard_address=None
                )
            owned.append(cluster.close)
            client = Client(cluster)
        else:
            client = Client(address)
        owned.insert(0, client.close)
    try:
        futures = [
            client.submit(_run_chunk, inp, trajectories, uncertainty, seed, i, pure=False)
            for _n, i, inp in keys
        ]
        results = client.gather(futures)
    finally:
        for close in owned:
            close()
    return _assemble(keys, results)
