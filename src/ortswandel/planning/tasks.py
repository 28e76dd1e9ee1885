"""Jobs of the planning app, run by the worker; ``manage.py compute_outlook`` runs the same
service by hand."""

from __future__ import annotations

from ortswandel.core import jobs

from .outlook.compute import outlook_refresh


@jobs.periodic(name="planning.refresh_outlook", daily_at="04:10")
def refresh_outlook() -> str:
    """Recompute the all-Germany outlook when the official files changed (else a no-op)."""
    run = outlook_refresh()
    if run is None:
        return "unchanged"
    return f"municipalities={run.municipalities} seconds={run.seconds}"
