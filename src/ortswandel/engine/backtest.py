"""Simple benchmark projections and forecast-error measures for backtests.

Benchmarks (all vectorised over areas):

* :func:`hamilton_perry_single` — Hamilton & Perry (1962) cohort-change ratios on single
  years of age with yearly steps: ``P(t+1, x) = CCR(x) P(t, x-1)``, the open group
  ``CCR (P(t, N-2) + P(t, N-1))``, age 0 from the ratio of infants to women 15–49
  (child–woman ratio) times the projected women.
* :func:`constant_growth` — every age group grows at its own average yearly rate of the
  base period.
* :func:`no_change` — the population stays as it is.

Errors (:func:`forecast_errors`): percentage errors ``100 (F - A) / A`` per area; MAPE
(mean absolute), median absolute and bias (mean signed), in percent.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import EngineValueError, as_float_array, check_non_negative

__all__ = ["constant_growth", "forecast_errors", "hamilton_perry_single", "no_change"]

F64 = NDArray[np.float64]
_WOMEN = slice(15, 50)


def hamilton_perry_single(history: ArrayLike, steps: int) -> F64:
    """Project single-year populations with pooled cohort-change ratios.

    Parameters
    ----------
    history : array_like, shape ``[Y, A, 2, N]``
        Populations at ``Y >= 2`` consecutive year ends (sex female = 0, male = 1; ages
        ``0..N-2`` and the open group ``N-1``). Ratios are pooled over the ``Y - 1`` yearly
        changes (sum of the later populations over the sum of the earlier ones).
    steps : int
        Years to project from the last population.

    Returns
    -------
    ndarray ``[steps + 1, A, 2, N]``
        The last population and the projected ones.
    """
    h = as_float_array("history", history)
    check_non_negative("history", h)
    if h.ndim != 4 or h.shape[0] < 2 or h.shape[2] != 2 or h.shape[3] < 52 or steps < 1:
        raise EngineValueError(
            "history", f"shape {list(h.shape)}", "give [years >= 2, areas, 2, ages >= 52]"
        )
    prev, now = h[:-1].sum(axis=0), h[1:].sum(axis=0)
    ccr = np.zeros_like(now)
    with np.errstate(divide="ignore", invalid="ignore"):
        ccr[..., 1:-1] = np.where(prev[..., :-2] > 0, now[..., 1:-1] / prev[..., :-2], 1.0)
        den = prev[..., -2] + prev[..., -1]
        ccr[..., -1] = np.where(den > 0, now[..., -1] / den, 1.0)
        women = now[:, 0, _WOMEN].sum(axis=-1)
        cwr = np.where(women[:, None] > 0, now[..., 0] / women[:, None], 0.0)  # [A, 2]
    out = np.empty((steps + 1, *now.shape))
    out[0] = h[-1]
    for t in range(steps):
        p = out[t]
        nxt = np.empty_like(p)
        nxt[..., 1:-1] = ccr[..., 1:-1] * p[..., :-2]
        nxt[..., -1] = ccr[..., -1] * (p[..., -2] + p[..., -1])
        nxt[..., 0] = cwr * nxt[:, 0, _WOMEN].sum(axis=-1)[:, None]
        out[t + 1] = nxt
    return out


def constant_growth(history: ArrayLike, steps: int) -> F64:
    """Each cell ``[..., k]`` grows at its average yearly rate over ``history [Y, ...]``.

    Returns ``[steps + 1, ...]`` (the last population and the projected ones); cells that
    were 0 at the start of the base period stay as they are.
    """
    h = as_float_array("history", history)
    check_non_negative("history", h)
    if h.shape[0] < 2 or steps < 1:
        raise EngineValueError("history", "needs >= 2 years and steps >= 1", "check inputs")
    years = h.shape[0] - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(h[0] > 0, (h[-1] / h[0]) ** (1.0 / years), 1.0)
    t = np.arange(steps + 1).reshape((-1,) + (1,) * (h.ndim - 1))
    return np.asarray(h[-1][None] * growth[None] ** t)


def no_change(last: ArrayLike, steps: int) -> F64:
    """The population ``last`` repeated ``steps + 1`` times."""
    p = as_float_array("last", last)
    return np.broadcast_to(p, (steps + 1, *p.shape)).copy()


def forecast_errors(forecast: ArrayLike, actual: ArrayLike) -> dict[str, float]:
    """``mape``, ``median_ape``, ``bias`` and ``max_ape`` in percent over the areas."""
    f = as_float_array("forecast", forecast)
    a = as_float_array("actual", actual)
    if f.shape != a.shape or (a <= 0).any():
        raise EngineValueError("actual", "must match the forecast and be > 0", "check inputs")
    pe = 100.0 * (f - a) / a
    ape = np.abs(pe)
    return {
        "mape": float(ape.mean()),
        "median_ape": float(np.median(ape)),
        "bias": float(pe.mean()),
        "max_ape": float(ape.max()),
    }
