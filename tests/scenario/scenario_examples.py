"""Scenario documents used by the scenario and CLI tests: the published examples in ``docs/``.

``preston``: Preston, Heuveline & Guillot (2001), Box 6.2 (see
tests/engine/test_engine_reference_cases.py); ``full``: two areas with every section.
"""

import copy
import functools
import json
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLES = {"preston": "scenario-example-preston.json", "full": "scenario-example-full.json"}


@functools.cache
def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DOCS / EXAMPLES[name]).read_text(encoding="utf-8"))
    return data


def doc(name: str) -> dict[str, Any]:
    """A deep copy of an example document."""
    return copy.deepcopy(_load(name))
