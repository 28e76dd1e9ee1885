"""Fixtures of the planning tests: a municipality with official data (Wittenberge)."""

from __future__ import annotations

import pytest

from ortswandel.core.env import data_dir
from ortswandel.sources.official import FILES

DATA = data_dir()
HAVE_DATA = all((DATA / rel).exists() for rel, *_ in FILES.values())
needs_data = pytest.mark.skipif(not HAVE_DATA, reason=f"official data not in {DATA}")

AGS = "12070424"  # Wittenberge, Stadt (Brandenburg): shrinking, the town of the issue


@pytest.fixture
def built():
    from ortswandel.scenario.build import build_scenario
    from ortswandel.sources.base_population import MUNICIPAL_YEAR
    from ortswandel.sources.official import official_data

    return build_scenario([AGS], MUNICIPAL_YEAR, horizon=25, data=official_data(DATA))
