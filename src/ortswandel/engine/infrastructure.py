"""Infrastructure demand from age-specific use rates, checked against capacities.

``demand[t, a] = sum over sex, age of rate[sex, age] * population[t, a, sex, age]``
(persons using the service). Use rates are ``[2, G]`` (or ``[A, 2, G]``), users
per person, built with :func:`band_rates` or the helpers for Kita, school and
care need below. Defaults are documented in :mod:`.defaults`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .ages import AgeGrid
from .defaults import DEFAULTS, LAND_CODES
from .errors import EngineValueError, as_float_array, check_non_negative

__all__ = [
    "CapacityCheck",
    "band_rates",
    "care_rates",
    "check_capacity",
    "classes_needed",
    "demand",
    "kita_rates",
    "school_rates",
]

F64 = NDArray[np.float64]


def band_rates(grid: AgeGrid, bands: list[tuple[int, int | None, float, float]]) -> F64:
    """Use rates ``[2, G]`` from bands ``(lo, hi, female_rate, male_rate)`` over ``[lo, hi)``.

    On a 5-year grid a band covering part of a group gets the rate times the share
    of the group's years it covers (ages uniform within the group).
    """
    rates = np.zeros((2, grid.n))
    starts = grid.starts
    ends = np.append(starts[1:], max(starts[-1] + grid.width, 200))
    for lo, hi, rf, rm in bands:
        upper = 10_000 if hi is None else hi
        overlap = np.clip(np.minimum(ends, upper) - np.maximum(starts, lo), 0, None)
        share = overlap / (ends - starts)
        rates[0] += rf * share
        rates[1] += rm * share
    check_non_negative("use_rates", rates)
    return rates


def kita_rates(grid: AgeGrid, *, u3_by_age: tuple[float, float, float] | None = None,
               rate_3_6: float | None = None, entry_age: int | None = None) -> dict[str, F64]:
    """Use rates for Kita under 3 (``"kita_u3"``) and from 3 to school entry (``"kita_3_6"``)."""
    u3 = u3_by_age or DEFAULTS["kita_u3_rate_by_age"].value
    r36 = rate_3_6 if rate_3_6 is not None else float(DEFAULTS["kita_3_6_rate"].value)  # type: ignore[arg-type]
    entry = entry_age if entry_age is not None else int(DEFAULTS["school_entry_age"].value)  # type: ignore[arg-type]
    assert isinstance(u3, tuple)  # noqa: S101 - typed default
    return {
        "kita_u3": band_rates(grid, [(a, a + 1, r, r) for a, r in enumerate(u3)]),
        "kita_3_6": band_rates(grid, [(3, entry, r36, r36)]),
    }


def primary_years(land: str | None) -> int:
    """Years of primary school in ``land`` (abbreviation ``"BE"`` or AGS prefix ``"11"``)."""
    years = DEFAULTS["primary_school_years"].value
    assert isinstance(years, dict)  # noqa: S101 - typed default
    code = LAND_CODES.get(land or "", land or "")
    return int(years.get(code, years["default"]))


def school_rates(grid: AgeGrid, *, land: str | None = None, entry_age: int | None = None,
                 secondary_until: int = 16) -> dict[str, F64]:
    """Use rates for primary (``"primary"``) and lower secondary (``"secondary"``) school.

    Primary: ages ``entry_age`` .. ``entry_age + years - 1`` (4 years, 6 in BE and BB);
    secondary: from the end of primary school to ``secondary_until`` (exclusive).
    """
    entry = entry_age if entry_age is not None else int(DEFAULTS["school_entry_age"].value)  # type: ignore[arg-type]
    end = entry + primary_years(land)
    return {
        "primary": band_rates(grid, [(entry, end, 1.0, 1.0)]),
        "secondary": band_rates(grid, [(end, secondary_until, 1.0, 1.0)]),
    }


def care_rates(grid: AgeGrid) -> F64:
    """Share of persons in need of care by sex and age (Pflegestatistik 2021)."""
    r = DEFAULTS["care_rates_2021"].value
    assert isinstance(r, dict)  # noqa: S101 - typed default
    return band_rates(grid, [
        (0, 75, r["under_75"], r["under_75"]),
        (75, 85, r["75_84_f"], r["75_84_m"]),
        (85, 90, r["85_89_f"], r["85_89_m"]),
        (90, None, r["90_plus_f"], r["90_plus_m"]),
    ])


def demand(population: ArrayLike, rates: ArrayLike) -> F64:
    """Users per year and area.

    Parameters
    ----------
    population : array_like, shape ``[T+1, A, 2, G]`` (or ``[..., 2, G]``)
    rates : array_like, shape ``[2, G]`` or ``[A, 2, G]``

    Returns
    -------
    ndarray, shape ``[T+1, A]``
    """
    p = as_float_array("population", population)
    r = as_float_array("use_rates", rates)
    check_non_negative("use_rates", r)
    return np.asarray((p * r).sum(axis=(-2, -1)))


@dataclass(frozen=True)
class CapacityCheck:
    """Utilisation of a capacity over time.

    Attributes
    ----------
    utilisation : ndarray ``[T+1, A]``
        demand / capacity (``inf`` where capacity is 0 and demand > 0).
    first_exceeded : ndarray ``[A]``
        First year with demand > capacity, -1 if never.
    first_below : ndarray ``[A]``
        First year with utilisation < ``threshold``, -1 if never (or no threshold).
    """

    utilisation: F64
    first_exceeded: NDArray[np.int64]
    first_below: NDArray[np.int64]


def _first_year(mask: NDArray[np.bool_], years: NDArray[np.int64]) -> NDArray[np.int64]:
    any_ = mask.any(axis=0)
    return np.where(any_, years[np.argmax(mask, axis=0)], -1)


def check_capacity(demand_: ArrayLike, capacity: ArrayLike, years: ArrayLike,
                   threshold: float | None = None) -> CapacityCheck:
    """Compare ``demand [T+1, A]`` with ``capacity`` (``[A]``, ``[T+1, A]`` or scalar)."""
    d = as_float_array("demand", demand_)
    cap = np.broadcast_to(as_float_array("capacity", capacity), d.shape)
    check_non_negative("capacity", cap)
    yrs = np.asarray(years, dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(cap > 0, d / np.where(cap > 0, cap, 1.0), np.where(d > 0, np.inf, 0.0))
    below = util < threshold if threshold is not None else np.zeros(d.shape, dtype=bool)
    return CapacityCheck(util, _first_year(d > cap, yrs), _first_year(below, yrs))


def classes_needed(pupils_by_grade: ArrayLike, max_class_size: float) -> F64:
    """Classes ``[..]`` needed: per grade ``ceil(pupils / max_class_size)``, summed.

    Parameters
    ----------
    pupils_by_grade : array_like, shape ``[..., grades]``
        Pupils per grade (e.g. the single-year ages of the primary school).
    max_class_size : float
        Maximum pupils per class (Klassenfrequenzhöchstwert of the Land).
    """
    if max_class_size <= 0:
        raise EngineValueError("max_class_size", f"must be > 0; got {max_class_size}",
                               "give the maximum number of pupils per class")
    p = as_float_array("pupils", pupils_by_grade)
    return np.asarray(np.ceil(np.round(p, 9) / max_class_size).sum(axis=-1))
