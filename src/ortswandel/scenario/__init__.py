"""Scenario files (JSON) -> engine inputs, and result writers (CSV, JSON, XLSX).

The structure of a file is defined once, by the pydantic models in :mod:`.model` (from which
``docs/scenario.schema.json`` is generated); :func:`parse_scenario` reports every problem as
one line naming the field and the fix.
"""

from .model import ScenarioFile
from .parse import ScenarioSpec, load_scenario, parse_scenario, validate
from .problems import Problem, ScenarioError
from .run import RunResult, run
from .writers import FORMATS, tables, write

__all__ = [
    "FORMATS",
    "Problem",
    "RunResult",
    "ScenarioError",
    "ScenarioFile",
    "ScenarioSpec",
    "load_scenario",
    "parse_scenario",
    "run",
    "tables",
    "validate",
    "write",
]
