"""Fertility schedules: age-specific rates, TFR, a parametric schedule.

Rates are births per woman and year, by age group of the mother at the start
of the step (shape ``[age]`` on an :class:`~ortswandel.engine.ages.AgeGrid`).
``TFR = width * sum(rates)``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .ages import AgeGrid
from .defaults import number
from .errors import AgeRangeError, EngineValueError, as_float_array, check_non_negative

__all__ = ["gamma_schedule", "scale_to_tfr", "tfr"]

#: Default standard deviation of the age of mothers at birth (years), with its source in
#: :data:`.defaults.DEFAULTS` ``"fertility_sd_age_of_mother"``: gamma-shaped schedules with
#: an SD of 5-6 years describe European low-fertility schedules (Hoem et al. 1981,
#: "Experiments in modelling recent Danish fertility curves", Demography 18).
DEFAULT_SD_AGE_OF_MOTHER = number("fertility_sd_age_of_mother")


def tfr(rates: ArrayLike, width: int) -> NDArray[np.float64]:
    """Total fertility rate (children per woman) of ``rates`` ``[..., age]``."""
    return np.asarray(as_float_array("fertility.rates", rates).sum(axis=-1) * width)


def scale_to_tfr(rates: ArrayLike, width: int, target: ArrayLike) -> NDArray[np.float64]:
    """Scale a schedule ``[..., age]`` so that its TFR equals ``target`` (broadcasts)."""
    r = as_float_array("fertility.rates", rates)
    t = as_float_array("fertility.tfr", target)
    check_non_negative("fertility.tfr", t)
    current = tfr(r, width)
    if np.any((current <= 0) & (t > 0)):
        raise EngineValueError(
            "fertility.rates", "all zero, cannot be scaled to a TFR > 0", "give a non-zero schedule"
        )
    factor = np.divide(t, current, out=np.zeros(np.broadcast(t, current).shape), where=current > 0)
    return np.asarray(r * factor[..., None])


def gamma_schedule(
    grid: AgeGrid,
    total_fertility: float,
    mean_age: float,
    *,
    sd: float = DEFAULT_SD_AGE_OF_MOTHER,
    first_age: int = 15,
    last_age: int = 49,
) -> NDArray[np.float64]:
    """Age-specific fertility rates from TFR and mean age of mother (gamma shape).

    The density of a gamma distribution with the given mean and SD, restricted to
    ``[first_age, last_age + 1)`` and renormalised, is averaged over each age group
    (10 points per year) and scaled so that ``width * sum(rates) == total_fertility``.

    Returns
    -------
    ndarray, shape ``[age]``
        Births per woman and year.
    """
    if not first_age < mean_age < last_age + 1:
        raise AgeRangeError(
            "fertility.mean_age",
            f"{mean_age} lies outside the fertile ages {first_age}-{last_age}",
            "give the mean age of mothers at birth, typically 28-33",
        )
    if first_age < 0 or last_age >= grid.open_age:
        raise AgeRangeError(
            "fertility.first_age",
            f"ages {first_age}-{last_age} outside 0-{grid.open_age - 1}",
            "keep fertile ages inside the closed age groups",
        )
    if sd <= 0 or total_fertility < 0:
        raise EngineValueError("fertility", "sd must be > 0 and TFR >= 0", "check the parameters")
    shape = (mean_age - first_age) ** 2 / sd**2
    scale = sd**2 / (mean_age - first_age)
    sub = 10
    x = np.arange(grid.open_age * sub) / sub + 0.5 / sub  # ages at sub-step midpoints
    y = x - first_age
    dens = np.zeros_like(x)
    ok = (y > 0) & (x < last_age + 1)
    log_d = (shape - 1) * np.log(y[ok]) - y[ok] / scale - math.lgamma(shape) - shape * np.log(scale)
    dens[ok] = np.exp(log_d)
    per_group = dens.reshape(-1, grid.width * sub).sum(axis=1)
    rates = np.zeros(grid.n)
    rates[:-1] = per_group
    total = rates.sum() * grid.width
    return rates * (total_fertility / total) if total > 0 else rates
