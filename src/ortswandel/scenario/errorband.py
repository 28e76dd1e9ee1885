"""The measured error of the default assumptions, for showing next to a projection.

``bench/bench_backtest.py`` projects all districts from past launch years with the
builder's assumptions and writes the errors against the actual populations to
:data:`ERROR_BAND_JSON` (committed, so the web workspace needs no data directory):
for each horizon (years after the launch) and age band (``total``, ``0-5``, ``6-17``,
``65+``, ``75+``) the MAPE, median APE, bias and worst error in percent, and the same for
the baselines.

>>> error_text(3)  # doctest: +SKIP
'Diese Methode verfehlte die Einwohnerzahl der Kreise nach 3 Jahren im Mittel um 0,7 %.'
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

__all__ = ["ERROR_BAND_JSON", "error_band", "error_text", "mean_absolute_error"]

ERROR_BAND_JSON = Path(__file__).with_name("backtest_error.json")


@functools.lru_cache(maxsize=1)
def error_band() -> dict[str, Any]:
    """The whole measured error band (see the module docstring)."""
    band: dict[str, Any] = json.loads(ERROR_BAND_JSON.read_text(encoding="utf-8"))
    return band


def mean_absolute_error(horizon: int, band: str = "total") -> float | None:
    """MAPE in percent after ``horizon`` years (``None`` if that horizon was not measured;
    beyond the longest measured horizon the error is not extrapolated)."""
    entry = error_band()["by_horizon"].get(str(horizon))
    return None if entry is None else float(entry[band]["mape"])


def error_text(horizon: int, band: str = "total") -> str | None:
    """A German sentence for the UI, or ``None`` if not measured."""
    value = mean_absolute_error(horizon, band)
    if value is None:
        return None
    what = "die Einwohnerzahl" if band == "total" else f"die Altersgruppe {band}"
    years = "einem Jahr" if horizon == 1 else f"{horizon} Jahren"
    number = f"{value:.1f}".replace(".", ",")
    return f"Diese Methode verfehlte {what} der Kreise nach {years} im Mittel um {number} %."
