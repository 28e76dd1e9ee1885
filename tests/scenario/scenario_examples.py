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


def two_laender() -> dict[str, Any]:
    """The full example with a Bavarian and a Brandenburg municipality."""
    d = doc("full")
    d["areas"][1]["id"] = "12054000"  # Potsdam (BB): primary school 6 years, cut-off 30 Sept
    del d["infrastructure"]["land"]
    d["infrastructure"]["capacities"]["primary"] = {"09162000": 200, "12054000": 500}
    d["infrastructure"]["max_class_size"] = {"primary": 25, "secondary": 28}
    d["scenarios"][0]["changes"][0]["areas"] = ["12054000"]
    d["budget"]["age_revenues"] = [{"from_age": 18, "to_age": 65, "eur_per_person": 100}]
    d["budget"]["housing_area"].update(renewal_per_dwelling=500, dwelling_renewal_years=4)
    return d


def _five_year_qx() -> dict[str, Any]:
    d = doc("preston")
    q = [0.004, *[0.001] * 16]
    d["survival"] = {"female": {"qx": q, "q0": 0.0032}, "male": {"qx": [*q, 1.0], "open_mx": 0.2}}
    return d


def _other_forms() -> dict[str, Any]:
    """The full example with the alternative forms: fertility rates, qx with ax, one
    population, per-step dwellings, weights profiles, e0 path, paths and change types."""
    d = doc("full")
    d["fertility"] = {"first_age": 15, "rates": [0.002 * (1 + i % 7) for i in range(35)]}
    d["survival"]["female"]["ax"] = [0.1, *[0.5] * 100]
    d["survival"]["female"]["qx"] = [*d["survival"]["female"]["qx"], 1]
    d["population"] = d.pop("areas")[1]["population"]
    weights = {"female": [1.0] * 101, "male": [2.0] * 101}
    d["gross_migration"]["in_profile"] = {**weights}
    d["housing"]["profile"] = {"rogers_castro": {}, "female_share": 0.5}
    d["paths"]["e0"] = {"female": [84.0 + i / 10 for i in range(8)], "male": [79.5] * 8}
    d["scenarios"].append(
        {
            "name": "Pfade",
            "description": "TFR und Lebenserwartung",
            "changes": [
                {"type": "tfr_path", "tfr": [1.6] * 8},
                {"type": "e0_path", "female": [85.0] * 8, "male": [80.0] * 8},
                {
                    "type": "add_dwellings",
                    "from_year": 2025,
                    "per_year": 5,
                    "building_type": "flat",
                },
                {
                    "type": "add_dwellings",
                    "from_year": 2026,
                    "per_year": 2,
                    "building_type": "tower",
                    "occupants": 1.7,
                    "share_from_outside": 0.5,
                },
            ],
        }
    )
    d["uncertainty"] = {"demographic": False, "seed": 12}
    d["infrastructure"].update(school_entry_age=6.5, land="09")
    d["budget"]["age_costs"].append({"from_age": 80, "to_age": None, "eur_per_person": 900})
    d["budget"]["income_tax_lag"] = 2.0
    return d


#: Documents beyond the docs examples whose parsed form is pinned (test_scenario_equivalence).
VARIANTS = {"two_laender": two_laender, "five_year_qx": _five_year_qx, "other_forms": _other_forms}
