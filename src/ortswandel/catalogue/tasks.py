"""Periodic jobs of the knowledge portal, run by the worker (``manage.py run_worker``)."""

from __future__ import annotations

from ortswandel.core import jobs

from . import services


@jobs.periodic(name="catalogue.publish_scheduled", every_minutes=5)
def publish_scheduled() -> str:
    """Scheduled publishing: publish what is due (``publish_at`` has come)."""
    return f"published={len(services.content_publish_due())}"
