"""Infrastructure demand from age-specific use rates, checked against capacities.

``demand[t, a] = sum over sex, age of rate[sex, age] * population[t, a, sex, age]``
(persons using the service). Use rates are ``[2, G]`` (or ``[A, 2, G]``), users
per person, built with :func:`band_rates` or the helpers for Kita, school and
care need below. Defaults are documented in :mod:`.defaults`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import defaults
from .ages import AgeGrid
from .defaults import EAST, land_code
from .errors import EngineValueError, as_float_array, check_non_negative

__all__ = [
    "CapacityCheck",
    "band_rates",
    "care_rates",
    "check_capacity",
    "classes_needed",
    "demand",
    "kita_rates",
    "kita_u3_by_age",
    "primary_years",
    "pupils_by_grade",
    "school_entry_age",
    "school_grades",
    "school_rates",
    "use_rates",
]

F64 = NDArray[np.float64]


def band_rates(grid: AgeGrid, bands: list[tuple[float, float | None, float, float]]) -> F64:
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


def school_entry_age(land: str | None = None) -> float:
    """Exact age at which children start school, at the reference date 31 December.

    Children who have turned 6 by the Land's cut-off date (:data:`.defaults.DEFAULTS`
    ``"school_entry_cutoff"``, e.g. 30 June or 30 September) start school in the late
    summer; on 31 December of that year the first grade holds the exact ages
    ``[6 + d, 7 + d)`` with ``d`` the part of the year from the cut-off to 31 December
    (0.50 for 30 June, 0.25 for 30 September). Ages are uniform within a year of age.
    """
    code = land_code(land)
    cutoffs = defaults.texts("school_entry_cutoff")
    month, day = (int(x) for x in cutoffs.get(code or "", cutoffs["default"]).split("-"))
    days = (date(2023, 12, 31) - date(2023, month, day)).days  # a year of 365 days
    return 6.0 + days / 365.0


def kita_u3_by_age(land: str | None = None) -> tuple[float, float, float]:
    """Kita use rates for ages 0, 1 and 2.

    Without ``land`` the national rates by single year of age (Destatis 2017). With a
    Land, the same age pattern scaled so that the mean over the three ages equals the
    Land's rate for all children under 3 (1 March 2023; Länder without their own figure in
    :data:`.defaults.DEFAULTS` use the East (with Berlin) or West rate); rates are capped
    at 1 and the excess goes to the younger ages.
    """
    base = defaults.numbers("kita_u3_rate_by_age")
    by_land = defaults.numbers("kita_u3_rate_by_land")
    code = land_code(land)
    if code is None:
        return (base["0"], base["1"], base["2"])
    target = by_land.get(code, by_land["East" if code in EAST else "West"]) * 3
    r = np.array([base["0"], base["1"], base["2"]])
    for _ in range(r.size):  # at most one more age reaches the cap per round
        full = r >= 1.0
        r = np.where(full, 1.0, r * (target - full.sum()) / r[~full].sum())
        if (r <= 1.0).all():
            break
    r = np.minimum(r, 1.0)
    return (float(r[0]), float(r[1]), float(r[2]))


def kita_rates(
    grid: AgeGrid,
    *,
    land: str | None = None,
    u3_by_age: tuple[float, float, float] | None = None,
    rate_3_6: float | None = None,
    entry_age: float | None = None,
) -> dict[str, F64]:
    """Use rates ``[2, G]`` for Kita under 3 (``"kita_u3"``) and from 3 to school entry
    (``"kita_3_6"``); defaults from :func:`kita_u3_by_age` and :func:`school_entry_age`."""
    u3 = u3_by_age or kita_u3_by_age(land)
    r36 = rate_3_6 if rate_3_6 is not None else defaults.number("kita_3_6_rate")
    entry = school_entry_age(land) if entry_age is None else entry_age
    return {
        "kita_u3": band_rates(grid, [(a, a + 1, r, r) for a, r in enumerate(u3)]),
        "kita_3_6": band_rates(grid, [(3, entry, r36, r36)]),
    }


def primary_years(land: str | None) -> int:
    """Years of primary school in ``land`` (abbreviation ``"BE"``, code ``"11"`` or an AGS)."""
    years = defaults.numbers("primary_school_years")
    return int(years.get(land_code(land) or "", years["default"]))


def school_grades(land: str | None = None) -> dict[str, tuple[int, int]]:
    """First and last grade of ``"primary"`` and ``"secondary"`` (Sekundarstufe I) school."""
    last = int(defaults.number("last_secondary_grade"))
    p = primary_years(land)
    return {"primary": (1, p), "secondary": (p + 1, last)}


def school_rates(
    grid: AgeGrid, *, land: str | None = None, entry_age: float | None = None
) -> dict[str, F64]:
    """Use rates ``[2, G]`` for primary (``"primary"``) and secondary (``"secondary"``) school.

    Grade ``j`` holds the exact ages ``[entry + j - 1, entry + j)`` (``entry`` from
    :func:`school_entry_age`); primary school has 4 grades (6 in BE and BB), secondary
    school (Sekundarstufe I) the grades after it up to 10. Everybody of these ages attends.
    """
    entry = school_entry_age(land) if entry_age is None else entry_age
    return {
        kind: band_rates(grid, [(entry + lo - 1, entry + hi, 1.0, 1.0)])
        for kind, (lo, hi) in school_grades(land).items()
    }


def pupils_by_grade(
    population: ArrayLike,
    grid: AgeGrid,
    grades: tuple[int, int],
    *,
    land: str | None = None,
    entry_age: float | None = None,
) -> F64:
    """Pupils per grade ``[..., grades]`` from a population ``[..., 2, G]``.

    Grade ``j`` (``grades`` = first and last grade, inclusive) holds the exact ages
    ``[entry + j - 1, entry + j)``; on a grid of 5-year groups the ages are spread evenly.
    """
    entry = school_entry_age(land) if entry_age is None else entry_age
    p = as_float_array("population", population)
    rates = np.stack(
        [
            band_rates(grid, [(entry + j - 1, entry + j, 1.0, 1.0)])
            for j in range(grades[0], grades[1] + 1)
        ]
    )  # [grades, 2, G]
    return np.asarray(np.einsum("...sg,ksg->...k", p, rates))


def use_rates(
    grid: AgeGrid, land: str | None = None, *, entry_age: float | None = None
) -> dict[str, F64]:
    """Default use rates ``[2, G]`` of every facility type: ``kita_u3``, ``kita_3_6``,
    ``primary``, ``secondary`` and ``care``."""
    return {
        **kita_rates(grid, land=land, entry_age=entry_age),
        **school_rates(grid, land=land, entry_age=entry_age),
        "care": care_rates(grid),
    }


def care_rates(grid: AgeGrid) -> F64:
    """Share of persons in need of care by sex and age (Pflegestatistik 2021)."""
    r = defaults.numbers("care_rates_2021")
    return band_rates(
        grid,
        [
            (0, 75, r["under_75"], r["under_75"]),
            (75, 85, r["75_84_f"], r["75_84_m"]),
            (85, 90, r["85_89_f"], r["85_89_m"]),
            (90, None, r["90_plus_f"], r["90_plus_m"]),
        ],
    )


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


def check_capacity(
    demand_: ArrayLike, capacity: ArrayLike, years: ArrayLike, threshold: float | None = None
) -> CapacityCheck:
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
        raise EngineValueError(
            "max_class_size",
            f"must be > 0; got {max_class_size}",
            "give the maximum number of pupils per class",
        )
    p = as_float_array("pupils", pupils_by_grade)
    return np.asarray(np.ceil(np.round(p, 9) / max_class_size).sum(axis=-1))
