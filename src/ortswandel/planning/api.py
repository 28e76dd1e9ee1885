"""Planen API (mounted at ``/api/planning``)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Planen"])

# The projection workspace's operations (default scenario, run a scenario file) register
# themselves on ``router``.
from . import workspace_api  # noqa: E402, F401

# --- outlook and challenges (issue 8 §4, ortswandel.planning.outlook_api) ---------------------
from .outlook_api import router as _outlook_router  # noqa: E402

router.add_router("", _outlook_router)
