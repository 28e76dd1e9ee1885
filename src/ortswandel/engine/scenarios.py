"""Named, composable scenarios and their side-by-side comparison.

A :class:`Scenario` is a name and a tuple of changes applied in order to base
inputs, e.g.::

    Scenario("Neubaugebiet 120 WE ab 2027",
             (AddDwellings(from_year=2027, per_year=30.0, years=4, occupants=3.0),))
    Scenario("niedrige Zuwanderung", (ScaleMigration(0.5),))
    Scenario("höhere Geburtenrate", (ScaleFertility(1.15),))

:func:`compare` returns differences to the base by year and age band.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from . import defaults
from .ages import AgeGrid
from .errors import EngineValueError
from .migration import HousingMigration, RogersCastro, rogers_castro_profile
from .paths import apply_e0_path, apply_migration_path, apply_tfr_path
from .projection import ProjectionInputs, ProjectionResult, project
from .stochastic import band_matrix

__all__ = [
    "AddDwellings",
    "Change",
    "Comparison",
    "LifeExpectancyPath",
    "ScaleFertility",
    "ScaleMigration",
    "Scenario",
    "TfrPath",
    "compare",
    "default_mover_profile",
    "run_scenarios",
]

F64 = NDArray[np.float64]


class Change:
    """A change to projection inputs; subclasses implement :meth:`apply`."""

    def apply(self, inputs: ProjectionInputs) -> ProjectionInputs:  # pragma: no cover
        """Return changed inputs."""
        raise NotImplementedError


@dataclass(frozen=True)
class ScaleFertility(Change):
    """Multiply all fertility rates by ``factor`` (e.g. 1.15 = 15 % more births)."""

    factor: float

    def apply(self, inputs: ProjectionInputs) -> ProjectionInputs:
        if self.factor < 0:
            raise EngineValueError("scale_fertility", "factor must be >= 0", "give e.g. 1.1")
        return replace(inputs, fertility=inputs.fertility * self.factor)


@dataclass(frozen=True)
class ScaleMigration(Change):
    """Multiply all migration flows by ``factor`` (e.g. 0.5 = half the migration)."""

    factor: float

    def apply(self, inputs: ProjectionInputs) -> ProjectionInputs:
        return apply_migration_path(inputs, np.full(inputs.steps, self.factor))


@dataclass(frozen=True)
class TfrPath(Change):
    """TFR per step (children per woman)."""

    tfr: tuple[float, ...]

    def apply(self, inputs: ProjectionInputs) -> ProjectionInputs:
        return apply_tfr_path(inputs, self.tfr)


@dataclass(frozen=True)
class LifeExpectancyPath(Change):
    """Life expectancy at birth per step and sex (years)."""

    female: tuple[float, ...]
    male: tuple[float, ...]

    def apply(self, inputs: ProjectionInputs) -> ProjectionInputs:
        return apply_e0_path(inputs, self.female, self.male)


def default_mover_profile(grid: AgeGrid) -> F64:
    """Age-sex profile ``[2, G]`` of movers: Rogers–Castro with the reference parameters
    (``a1=0.02, α1=0.1, a2=0.06, α2=0.1, μ2=20, λ2=0.4, c=0.003``; :data:`.defaults.DEFAULTS`
    ``"mover_profile"``), half female."""
    prof = rogers_castro_profile(grid, RogersCastro(**defaults.numbers("mover_profile")))
    return np.stack([prof, prof]) / 2.0


@dataclass(frozen=True)
class AddDwellings(Change):
    """New dwellings: ``per_year`` completed each year from ``from_year`` for ``years`` years.

    ``from_year`` is a step label (the year of the stock the step starts from): the occupants
    of step ``from_year`` are counted in the stock ``from_year + width``. With stocks dated
    31.12. (the scenario builder), dwellings finished in calendar year ``Y`` are
    ``from_year = Y - 1``.

    Persons moving in per year = dwellings x ``occupants`` x ``share_from_outside``
    (defaults: 3.0 persons per semi-detached or terraced house, 80 % from outside; see
    :data:`.defaults.DEFAULTS`). Applies to all areas, or to the areas with index in ``areas``.
    """

    from_year: int
    per_year: float
    years: int = 1
    occupants: float = 3.0
    share_from_outside: float = 0.8
    building_type: str = "semi_detached"
    profile: F64 | None = None
    areas: tuple[int, ...] = ()

    def apply(self, inputs: ProjectionInputs) -> ProjectionInputs:
        g, t = inputs.grid, inputs.steps
        step_years = inputs.start_year + g.width * np.arange(t)
        # dwellings per year during each step: share of the step's years that are build years
        build = set(range(self.from_year, self.from_year + self.years))
        overlap = [len(set(range(y, y + g.width)) & build) for y in step_years]
        per_step = self.per_year * np.asarray(overlap, dtype=np.float64) / g.width  # [T]
        a = inputs.n_areas
        dw = np.zeros((t, a if self.areas else 1, 1))
        if self.areas:
            dw[:, list(self.areas), 0] = per_step[:, None]
        else:
            dw[:, 0, 0] = per_step
        prof = default_mover_profile(g) if self.profile is None else self.profile
        new = HousingMigration(
            dw,
            np.array([self.occupants]),
            np.array([self.share_from_outside]),
            prof,
            (self.building_type,),
        )
        old = inputs.housing
        if old is not None:
            new = _merge_housing(old, new, t)
        return replace(inputs, housing=new)


def _merge_housing(old: HousingMigration, new: HousingMigration, t: int) -> HousingMigration:
    if not np.allclose(old.profile, new.profile):
        raise EngineValueError(
            "housing.profile",
            "scenario dwellings use a different mover profile than the base",
            "use the same profile (or none)",
        )
    a = max(old.dwellings.shape[1], new.dwellings.shape[1])
    dw = np.concatenate(
        [
            np.broadcast_to(old.dwellings, (t, a, old.dwellings.shape[2])),
            np.broadcast_to(new.dwellings, (t, a, 1)),
        ],
        axis=2,
    )
    return HousingMigration(
        dw,
        np.append(old.occupants, new.occupants),
        np.append(old.share_from_outside, new.share_from_outside),
        old.profile,
        (*old.building_types, *new.building_types),
    )


@dataclass(frozen=True)
class Scenario:
    """A named list of changes applied in order to the base inputs."""

    name: str
    changes: tuple[Change, ...] = ()

    def apply(self, inputs: ProjectionInputs) -> ProjectionInputs:
        """Inputs of this scenario."""
        for change in self.changes:
            inputs = change.apply(inputs)
        return inputs


def run_scenarios(
    base: ProjectionInputs, scenarios: list[Scenario], *, base_name: str = "Basis"
) -> dict[str, ProjectionResult]:
    """Project the base and every scenario; keys are the scenario names."""
    names = [base_name, *(s.name for s in scenarios)]
    if len(set(names)) != len(names):
        raise EngineValueError(
            "scenarios", f"names must be unique; got {names}", "give every scenario its own name"
        )
    out = {base_name: project(base)}
    for sc in scenarios:
        out[sc.name] = project(sc.apply(base))
    return out


@dataclass(frozen=True)
class Comparison:
    """Differences of a scenario to the base.

    Attributes
    ----------
    total : ndarray ``[T+1, A]``
        Persons (scenario - base).
    by_band : ndarray ``[T+1, A, B]``
        Persons by age band, both sexes (scenario - base).
    bands : tuple of (lo, hi)
    """

    total: F64
    by_band: F64
    bands: tuple[tuple[int, int | None], ...]


def compare(
    results: dict[str, ProjectionResult],
    base_name: str = "Basis",
    bands: tuple[tuple[int, int | None], ...] | None = None,
) -> dict[str, Comparison]:
    """Differences of every scenario to ``base_name`` by year and age band."""
    base = results[base_name]
    m = band_matrix(base.grid, bands)
    used = bands or tuple((int(lo), None) for lo in base.grid.starts)
    if bands is None and base.grid.width == 1:
        from .stochastic import PLANNING_BANDS

        used = PLANNING_BANDS

    def banded(r: ProjectionResult) -> F64:
        return np.asarray(np.einsum("tasg,gb->tab", r.population, m))

    b0 = banded(base)
    return {
        name: Comparison(r.totals() - base.totals(), banded(r) - b0, used)
        for name, r in results.items()
        if name != base_name
    }
