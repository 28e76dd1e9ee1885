"""Background jobs of the planning app (run by the worker, see :mod:`ortswandel.core.jobs`);
``manage.py compute_outlook`` runs the outlook's service by hand."""

from __future__ import annotations

from ortswandel.core import jobs

from . import services
from .outlook.compute import outlook_refresh


def run_projection(run_id: str) -> str:
    """Trajectories of every scenario of one workspace run (idempotent: a finished run is
    left alone)."""
    services.projection_run_execute(run_id=run_id)
    return run_id


@jobs.periodic(name="planning.refresh_outlook", daily_at="04:10")
def refresh_outlook() -> str:
    """Recompute the all-Germany outlook when the official files changed (else a no-op)."""
    from .outlook_map import warm_maps

    run = outlook_refresh()
    if run is None:
        return "unchanged"
    maps = warm_maps(lands=True)  # in the cache before the first visitor asks (shared cache)
    return f"municipalities={run.municipalities} seconds={run.seconds} maps={maps}"
