"""Migration inputs: net counts, gross flows, housing-linked in-migration.

All three forms may be combined in one projection; each becomes a count of
persons per step ``[area, sex, age]`` and is reported as its own component.

Shapes (``T`` steps, ``A`` areas or 1 to broadcast, ``G`` age groups,
``K`` building types). Every time-dependent input may omit the leading step axis,
in which case it is constant over time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .ages import AgeGrid
from .errors import EngineValueError, as_float_array, check_finite, check_non_negative

__all__ = [
    "GrossMigration",
    "HousingMigration",
    "NetMigration",
    "RogersCastro",
    "rogers_castro",
    "rogers_castro_profile",
]


@dataclass(frozen=True)
class RogersCastro:
    """Parameters of the Rogers–Castro model migration schedule.

    ``m(x) = a1 exp(-alpha1 x) + a2 exp(-alpha2 (x-mu2) - exp(-lambda2 (x-mu2))) + c``
    plus an optional retirement peak ``a3, alpha3, mu3, lambda3`` of the same form.
    Rogers & Castro (1981), *Model Migration Schedules*, IIASA RR-81-30.
    """

    a1: float = 0.02
    alpha1: float = 0.1
    a2: float = 0.06
    alpha2: float = 0.1
    mu2: float = 20.0
    lambda2: float = 0.4
    c: float = 0.003
    a3: float = 0.0
    alpha3: float = 0.0
    mu3: float = 0.0
    lambda3: float = 0.0

    def __post_init__(self) -> None:
        for name in ("a1", "alpha1", "a2", "alpha2", "lambda2", "c", "a3", "alpha3", "lambda3"):
            val = getattr(self, name)
            if not np.isfinite(val) or val < 0:
                raise EngineValueError(
                    f"rogers_castro.{name}", f"must be finite and >= 0; got {val}", "check it"
                )


def rogers_castro(ages: ArrayLike, p: RogersCastro) -> NDArray[np.float64]:
    """Evaluate the Rogers–Castro schedule at ``ages`` (years); same shape as ``ages``."""
    x = np.asarray(ages, dtype=np.float64)
    out = p.a1 * np.exp(-p.alpha1 * x)
    out = out + p.a2 * np.exp(-p.alpha2 * (x - p.mu2) - np.exp(-p.lambda2 * (x - p.mu2)))
    if p.a3 > 0:
        out = out + p.a3 * np.exp(-p.alpha3 * (x - p.mu3) - np.exp(-p.lambda3 * (x - p.mu3)))
    return np.asarray(out + p.c)


def rogers_castro_profile(
    grid: AgeGrid, p: RogersCastro, max_age: int = 100
) -> NDArray[np.float64]:
    """Age profile on ``grid`` (shape ``[age]``, sums to 1) from a Rogers–Castro schedule.

    The schedule is averaged over each group at 10 points per year; the open group
    covers ``open_age`` to ``max(max_age, open_age + width)``.
    """
    top = max(max_age, grid.open_age + grid.width)
    x = np.arange(top * 10) / 10 + 0.05
    m = rogers_castro(x, p)
    idx = np.minimum((x // grid.width).astype(np.int64), grid.n - 1)
    prof = np.bincount(idx, weights=m, minlength=grid.n)
    return prof / prof.sum()


def _per_step(name: str, value: ArrayLike, tail: int) -> NDArray[np.float64]:
    """Return ``value`` with a leading step axis: ``[T|1, ...]``; ``tail`` = trailing ndim."""
    arr = as_float_array(name, value)
    while arr.ndim < tail + 1:
        arr = arr[None]
    if arr.ndim != tail + 1:
        raise EngineValueError(
            name,
            f"has {arr.ndim} dimensions, expected {tail} or {tail + 1} (with a step axis)",
            "see docs/engine.md for the array layout",
        )
    check_finite(name, arr)
    return arr


@dataclass(frozen=True)
class NetMigration:
    """Net migrants (in minus out), persons per step.

    Parameters
    ----------
    counts : array_like, shape ``[T|1, A|1, 2, G]`` or ``[A|1, 2, G]``
        May be negative. Indexed by age group (see the timing rules in
        :func:`~ortswandel.engine.projection.project`).
    """

    counts: NDArray[np.float64]

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", _per_step("net_migration", self.counts, 3))


@dataclass(frozen=True)
class GrossMigration:
    """Out-migration rates and in-migration totals with an age-sex profile.

    Parameters
    ----------
    out_rates : array_like, shape ``[T|1, A|1, 2, G]`` or ``[A|1, 2, G]``
        Out-migrants per person and year (applied to the population at the start
        of the step; at most everybody leaves).
    in_total : array_like, shape ``[T|1, A|1]`` or ``[A|1]``
        In-migrants per year (persons).
    in_profile : array_like, shape ``[A|1, 2, G]``
        Share of in-migrants by sex and age; sums to 1 per area.
    """

    out_rates: NDArray[np.float64]
    in_total: NDArray[np.float64]
    in_profile: NDArray[np.float64]

    def __post_init__(self) -> None:
        out = _per_step("gross_migration.out_rates", self.out_rates, 3)
        check_non_negative("gross_migration.out_rates", out)
        tot = _per_step("gross_migration.in_total", self.in_total, 1)
        check_non_negative("gross_migration.in_total", tot)
        prof = as_float_array("gross_migration.in_profile", self.in_profile)
        if prof.ndim == 2:
            prof = prof[None]
        _check_profile("gross_migration.in_profile", prof)
        object.__setattr__(self, "out_rates", out)
        object.__setattr__(self, "in_total", tot)
        object.__setattr__(self, "in_profile", prof)


def _check_profile(name: str, prof: NDArray[np.float64]) -> None:
    if prof.ndim != 3:
        raise EngineValueError(name, f"needs shape [area, sex, age]; got {prof.shape}", "reshape")
    check_non_negative(name, prof)
    sums = prof.sum(axis=(-2, -1))
    if not np.allclose(sums, 1.0, rtol=1e-6):
        raise EngineValueError(
            name,
            f"must sum to 1 over sex and age; sums are {np.unique(sums)[:3]}",
            "divide the profile by its total",
        )


@dataclass(frozen=True)
class HousingMigration:
    """In-migration caused by new dwellings.

    persons per year = dwellings x occupants per dwelling x share from outside,
    distributed by the movers' ``profile``.

    Parameters
    ----------
    dwellings : array_like, shape ``[T|1, A|1, K]`` or ``[A|1, K]``
        New dwellings completed per year, by building type.
    occupants : array_like, shape ``[K]``
        Persons per new dwelling (e.g. 3.2 detached, 3.0 terraced, 2.1 flat).
    share_from_outside : array_like, shape ``[K]``
        Share of occupants moving in from outside the area (e.g. 0.8).
    profile : array_like, shape ``[A|1, 2, G]`` or ``[2, G]``
        Age-sex distribution of movers; sums to 1.
    building_types : tuple of str
        Names of the ``K`` building types.
    """

    dwellings: NDArray[np.float64]
    occupants: NDArray[np.float64]
    share_from_outside: NDArray[np.float64]
    profile: NDArray[np.float64]
    building_types: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        dw = _per_step("housing.dwellings", self.dwellings, 2)
        check_non_negative("housing.dwellings", dw)
        k = dw.shape[-1]
        occ = as_float_array("housing.occupants", self.occupants).reshape(-1)
        share = as_float_array("housing.share_from_outside", self.share_from_outside).reshape(-1)
        for name, arr in (("occupants", occ), ("share_from_outside", share)):
            check_non_negative(f"housing.{name}", arr)
            if arr.size != k:
                raise EngineValueError(
                    f"housing.{name}",
                    f"has {arr.size} values for {k} building types",
                    "give one value per building type",
                )
        if (share > 1).any():
            raise EngineValueError(
                "housing.share_from_outside", "must be <= 1", "give a share between 0 and 1"
            )
        prof = as_float_array("housing.profile", self.profile)
        if prof.ndim == 2:
            prof = prof[None]
        _check_profile("housing.profile", prof)
        object.__setattr__(self, "dwellings", dw)
        object.__setattr__(self, "occupants", occ)
        object.__setattr__(self, "share_from_outside", share)
        object.__setattr__(self, "profile", prof)

    def persons_per_year(self) -> NDArray[np.float64]:
        """In-migrants per year from outside, shape ``[T|1, A|1]``."""
        return np.asarray(self.dwellings @ (self.occupants * self.share_from_outside))
