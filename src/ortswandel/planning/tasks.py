"""Background jobs of the planning app (run by the worker, see :mod:`ortswandel.core.jobs`)."""

from __future__ import annotations

from . import services


def run_projection(run_id: str) -> str:
    """Trajectories of every scenario of one workspace run (idempotent: a finished run is
    left alone)."""
    services.projection_run_execute(run_id=run_id)
    return run_id
