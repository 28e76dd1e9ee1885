"""Periodic jobs of the participation app (run by the worker)."""

from __future__ import annotations

from ortswandel.core import jobs

from . import services


@jobs.periodic(name="participation.announce_phases", every_minutes=15)
def announce_phases() -> str:
    return f"mails={services.phase_changes_notify()}"
