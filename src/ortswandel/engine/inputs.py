"""Validated inputs of a deterministic projection and restriction to a subset of areas."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .ages import AgeGrid
from .errors import EngineValueError, ShapeError, as_float_array, check_non_negative
from .lifetable import LifeTable
from .migration import GrossMigration, HousingMigration, NetMigration

__all__ = ["ProjectionInputs", "survival_from_tables", "take_areas"]

Timing = Literal["end", "even"]
F64 = NDArray[np.float64]


def survival_from_tables(female: LifeTable, male: LifeTable) -> F64:
    """Stack survival ratios of two life tables to shape ``[2, age]`` (female, male)."""
    if female.Lx.size != male.Lx.size or female.width != male.width:
        raise ShapeError(
            "survival",
            "female and male life tables differ in length or width",
            "give both sexes on the same age grid",
        )
    return np.stack([female.survival_ratios(), male.survival_ratios()])


def _lead(name: str, arr: F64, tail: int, steps: int, areas: int) -> F64:
    """Bring ``arr`` to ``[T|1, A|1, *tail]`` and check the step and area axes."""
    while arr.ndim < tail + 2:
        arr = arr[None]
    if arr.ndim != tail + 2:
        raise ShapeError(
            name,
            f"has {arr.ndim} dimensions, at most {tail + 2} allowed",
            "see docs/engine.md for the array layout",
        )
    if arr.shape[0] not in (1, steps):
        raise ShapeError(
            name,
            f"step axis has length {arr.shape[0]}, expected 1 or {steps}",
            "give one value per projection step or one for all",
        )
    if arr.shape[1] not in (1, areas):
        raise ShapeError(
            name,
            f"area axis has length {arr.shape[1]}, expected 1 or {areas}",
            "give one row per area or one for all areas",
        )
    return arr


@dataclass(frozen=True)
class ProjectionInputs:
    """Everything a deterministic projection needs (validated on construction).

    Parameters
    ----------
    grid : AgeGrid
        Age groups; also fixes the step length (``grid.width`` years).
    population : array_like, shape ``[A, 2, G]``
        Persons at the start.
    survival : array_like, shape ``[T|1, A|1, 2, G]`` (leading axes optional)
        Survival ratios per step (see :mod:`~ortswandel.engine.lifetable`).
    fertility : array_like, shape ``[T|1, A|1, G]`` (leading axes optional)
        Births per woman and year by age group of the mother.
    steps : int
        Number of projection steps.
    start_year : int
        Calendar year of ``population``.
    sex_ratio_at_birth : array_like, shape ``[T|1, A|1]`` or scalar
        Boys per girl, default 1.05.
    net_migration, gross_migration, housing : optional
        Migration in any combination (:mod:`~ortswandel.engine.migration`).
    migration_timing : {"end", "even"}
        When migrants of a step arrive.
    migration_scale : array_like, shape ``[T|1, A|1]``, optional
        Multiplier on all migration flows (paths of the migration level).
    area_ids : tuple of str
        Identifiers of the ``A`` areas (e.g. 8-digit AGS).
    """

    grid: AgeGrid
    population: F64
    survival: F64
    fertility: F64
    steps: int
    start_year: int = 2024
    sex_ratio_at_birth: F64 | float = 1.05
    net_migration: NetMigration | None = None
    gross_migration: GrossMigration | None = None
    housing: HousingMigration | None = None
    migration_timing: Timing = "end"
    migration_scale: F64 | None = None
    area_ids: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        g = self.grid
        pop = as_float_array("population", self.population)
        if pop.ndim == 2:
            pop = pop[None]
        if pop.ndim != 3 or pop.shape[1:] != (2, g.n):
            raise ShapeError(
                "population",
                f"has shape {list(pop.shape)}",
                f"give [area, 2, {g.n}] persons (sex: female, male; {g.n} age groups)",
            )
        check_non_negative("population", pop)
        a, t = pop.shape[0], int(self.steps)
        if t < 1:
            raise EngineValueError("steps", f"must be >= 1; got {t}", "project at least one step")
        surv = _lead("survival", as_float_array("survival", self.survival), 2, t, a)
        check_non_negative("survival", surv)
        if surv.shape[-2:] != (2, g.n) or (surv > 1 + 1e-12).any():
            raise EngineValueError(
                "survival",
                f"needs [.., 2, {g.n}] ratios in [0, 1]",
                "derive survival ratios from a life table",
            )
        fert = _lead("fertility", as_float_array("fertility", self.fertility), 1, t, a)
        check_non_negative("fertility", fert)
        if fert.shape[-1] != g.n:
            raise ShapeError(
                "fertility",
                f"has {fert.shape[-1]} age groups, expected {g.n}",
                "give one rate per age group",
            )
        srb = _lead(
            "sex_ratio_at_birth",
            as_float_array("sex_ratio_at_birth", self.sex_ratio_at_birth),
            0,
            t,
            a,
        )
        check_non_negative("sex_ratio_at_birth", srb)
        if self.migration_timing not in ("end", "even"):
            raise EngineValueError(
                "migration_timing",
                f"unknown value {self.migration_timing!r}",
                'use "end" or "even"',
            )
        self._check_migration(t, a)
        if self.migration_scale is not None:
            scale = _lead(
                "migration_scale", as_float_array("migration_scale", self.migration_scale), 0, t, a
            )
            check_non_negative("migration_scale", scale)
            object.__setattr__(self, "migration_scale", scale)
        if self.area_ids and len(self.area_ids) != a:
            raise ShapeError(
                "area_ids", f"{len(self.area_ids)} ids for {a} areas", "give one id per area"
            )
        for name, val in (
            ("population", pop),
            ("survival", surv),
            ("fertility", fert),
            ("sex_ratio_at_birth", srb),
            ("steps", t),
        ):
            object.__setattr__(self, name, val)

    def _check_migration(self, t: int, a: int) -> None:
        g = self.grid.n
        checks: list[tuple[str, F64, int]] = []
        if self.net_migration is not None:
            checks.append(("net_migration", self.net_migration.counts, 2))
        if self.gross_migration is not None:
            checks += [
                ("gross_migration.out_rates", self.gross_migration.out_rates, 2),
                ("gross_migration.in_total", self.gross_migration.in_total, 0),
                ("gross_migration.in_profile", self.gross_migration.in_profile[None], 2),
            ]
        if self.housing is not None:
            checks += [
                ("housing.dwellings", self.housing.dwellings, 1),
                ("housing.profile", self.housing.profile[None], 2),
            ]
        for name, arr, tail in checks:
            _lead(name, arr, tail, t, a)
            if tail == 2 and arr.shape[-2:] != (2, g):
                raise ShapeError(
                    name,
                    f"has shape {list(arr.shape)}",
                    f"give [.., 2, {g}] values (sex x age group)",
                )

    @property
    def n_areas(self) -> int:
        """Number of areas ``A``."""
        return int(self.population.shape[0])


def take_areas(inputs: ProjectionInputs, idx: ArrayLike) -> ProjectionInputs:
    """Inputs restricted to the areas ``idx`` (arrays with an area axis of 1 stay shared)."""
    sel = np.asarray(idx, dtype=np.int64)
    a = inputs.n_areas

    def pick(arr: F64 | None, axis: int) -> F64 | None:
        if arr is None or np.ndim(arr) <= axis or np.shape(arr)[axis] != a:
            return arr
        return np.take(arr, sel, axis=axis)

    def pick_req(arr: F64, axis: int) -> F64:
        return np.take(arr, sel, axis=axis) if np.shape(arr)[axis] == a else arr

    net = inputs.net_migration
    gross = inputs.gross_migration
    housing = inputs.housing
    return replace(
        inputs,
        population=inputs.population[sel],
        survival=pick_req(inputs.survival, 1),
        fertility=pick_req(inputs.fertility, 1),
        sex_ratio_at_birth=pick_req(np.asarray(inputs.sex_ratio_at_birth), 1),
        net_migration=None if net is None else NetMigration(pick_req(net.counts, 1)),
        gross_migration=None
        if gross is None
        else GrossMigration(
            pick_req(gross.out_rates, 1), pick_req(gross.in_total, 1), pick_req(gross.in_profile, 0)
        ),
        housing=None
        if housing is None
        else replace(
            housing, dwellings=pick_req(housing.dwellings, 1), profile=pick_req(housing.profile, 0)
        ),
        migration_scale=pick(inputs.migration_scale, 1),
        area_ids=tuple(inputs.area_ids[i] for i in sel) if inputs.area_ids else (),
    )
