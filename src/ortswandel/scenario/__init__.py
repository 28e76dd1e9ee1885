"""Scenario files (JSON) -> engine inputs, and result writers (CSV, JSON, XLSX)."""

from .parse import ScenarioSpec, load_scenario, parse_scenario
from .reader import Problem, ScenarioError
from .run import RunResult, run
from .writers import FORMATS, tables, write

__all__ = [
    "FORMATS",
    "Problem",
    "RunResult",
    "ScenarioError",
    "ScenarioSpec",
    "load_scenario",
    "parse_scenario",
    "run",
    "tables",
    "write",
]
