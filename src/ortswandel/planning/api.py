"""Planen API (mounted at ``/api/planning``)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Planen"])

# The projection workspace's operations (default scenario, run a scenario file) register
# themselves on ``router``.
from . import workspace_api  # noqa: E402, F401
