"""Jobs of the planning app, run by the worker; ``manage.py compute_outlook`` runs the same
service by hand."""

from __future__ import annotations

from ortswandel.core import jobs

from .outlook.compute import outlook_refresh


@jobs.periodic(name="planning.refresh_outlook", daily_at="04:10")
def refresh_outlook() -> str:
    """Recompute the all-Germany outlook when the official files changed (else a no-op)."""
    from .outlook_map import warm_maps

    run = outlook_refresh()
    if run is None:
        return "unchanged"
    maps = warm_maps(lands=True)  # in the cache before the first visitor asks (shared cache)
    return f"municipalities={run.municipalities} seconds={run.seconds} maps={maps}"
