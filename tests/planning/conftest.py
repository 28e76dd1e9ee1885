"""Fixtures of the planning tests: a municipality with official data (Wittenberge); a small
synthetic outlook run (fast, no data directory)."""

from __future__ import annotations

import numpy as np
import pytest

from ortswandel.core.env import data_dir
from ortswandel.planning.outlook.compute import OutlookBatch, outlook_write, summarise
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


# --- the all-Germany outlook (helper "outlook") ---------------------------------------------
def population(total: float, *, old: float = 0.2, kids: float = 0.05) -> np.ndarray:
    """``[2, 101]`` persons: ``kids`` share at 6–9, ``old`` share at 80+, the rest at 30–59."""
    pop = np.zeros((2, 101))
    pop[:, 6:10] = total * kids / 8
    pop[:, 80:] = total * old / 42
    pop[:, 30:60] = total * (1 - kids - old) / 60
    return pop


def synthetic_batch(rows: dict[str, tuple[np.ndarray, np.ndarray]]) -> OutlookBatch:
    ags = tuple(rows)
    now = np.stack([rows[a][0] for a in ags])
    later = np.stack([rows[a][1] for a in ags])
    return OutlookBatch(
        ags=ags,
        columns=summarise(now, later),
        launch_year=2022,
        horizon_year=2042,
        sources=[{"key": "gv100ad", "title": "GV100AD", "file": "x", "attribution": "Destatis"}],
        estimates=["Testschätzung"],
        seconds_inputs=0.1,
        seconds_projection=0.2,
    )


@pytest.fixture
def shrinking(db):
    """Two municipalities in the register: Wittenberge shrinks and ages, Stahnsdorf grows."""
    from tests.conftest import _municipality

    witt = _municipality("12070424", "Wittenberge")
    stahn = _municipality("12069616", "Stahnsdorf")
    batch = synthetic_batch(
        {
            witt.ags: (
                population(17000, old=0.1, kids=0.04),
                population(14000, old=0.16, kids=0.03),
            ),
            stahn.ags: (population(16000), population(18000)),
        }
    )
    run = outlook_write(batch=batch, version="test-1")
    return {"wittenberge": witt, "stahnsdorf": stahn, "run": run}
