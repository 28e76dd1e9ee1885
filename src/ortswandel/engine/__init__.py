"""Ortswandel decision engine: pure NumPy, no Django, no file or network I/O.

Array layout: ``[area, sex, age]`` (sex: female = 0, male = 1), over time
``[year, area, sex, age]``, probabilistic ``[trajectory, area, sex, age]``.
See ``docs/engine.md``.
"""

from .ages import FEMALE, MALE, SEXES, AgeGrid
from .budget import BudgetParams, BudgetResult, FacilityCost, HousingAreaCost, budget, npv
from .errors import AgeRangeError, EngineValueError, NegativeValueError, NonFiniteError, ShapeError
from .fertility import gamma_schedule, scale_to_tfr, tfr
from .grouping import split_groups
from .lifetable import LifeTable, e0_from_survival, mortality_scale_for_e0, scale_mortality
from .migration import (
    GrossMigration,
    HousingMigration,
    NetMigration,
    RogersCastro,
    rogers_castro,
    rogers_castro_profile,
)
from .projection import (
    ProjectionInputs,
    ProjectionResult,
    project,
    survival_from_tables,
    take_areas,
)
from .scenarios import (
    AddDwellings,
    LifeExpectancyPath,
    ScaleFertility,
    ScaleMigration,
    Scenario,
    TfrPath,
    compare,
    run_scenarios,
)
from .stochastic import TrajectoryResult, Uncertainty, project_trajectories

__all__ = [
    "FEMALE",
    "MALE",
    "SEXES",
    "AddDwellings",
    "AgeGrid",
    "AgeRangeError",
    "BudgetParams",
    "BudgetResult",
    "EngineValueError",
    "FacilityCost",
    "GrossMigration",
    "HousingAreaCost",
    "HousingMigration",
    "LifeExpectancyPath",
    "LifeTable",
    "NegativeValueError",
    "NetMigration",
    "NonFiniteError",
    "ProjectionInputs",
    "ProjectionResult",
    "RogersCastro",
    "ScaleFertility",
    "ScaleMigration",
    "Scenario",
    "ShapeError",
    "TfrPath",
    "TrajectoryResult",
    "Uncertainty",
    "budget",
    "compare",
    "e0_from_survival",
    "gamma_schedule",
    "mortality_scale_for_e0",
    "npv",
    "project",
    "project_trajectories",
    "rogers_castro",
    "rogers_castro_profile",
    "run_scenarios",
    "scale_mortality",
    "scale_to_tfr",
    "split_groups",
    "survival_from_tables",
    "take_areas",
    "tfr",
]
