"""Scenario documents used by the scenario and CLI tests."""

import copy
from typing import Any

# Preston et al. (2001), Box 6.2 inputs (see tests/engine/test_engine_reference_cases.py)
P0 = [
    293395,
    248369,
    240012,
    261346,
    285209,
    314388,
    281290,
    286923,
    304108,
    324946,
    247613,
    211351,
    215140,
    221764,
    223506,
    183654,
    141990,
    112424,
]
LX = [
    497487,
    497138,
    496901,
    496531,
    495902,
    495168,
    494213,
    492760,
    490447,
    486613,
    480665,
    471786,
    457852,
    436153,
    402775,
    350358,
    271512,
    291707,
]
NM = [
    6840,
    4150,
    3365,
    5270,
    9240,
    8230,
    5470,
    3155,
    1770,
    1115,
    1075,
    845,
    645,
    530,
    465,
    300,
    250,
    175,
]

PRESTON: dict[str, Any] = {
    "start_year": 1993,
    "steps": 1,
    "step_width": 5,
    "open_age": 85,
    "sex_ratio_at_birth": 1.05,
    "migration_timing": "even",
    "population": {"female": list(P0), "male": list(P0)},
    "survival": {"female": {"Lx": list(LX)}, "male": {"Lx": list(LX)}},
    "fertility": {
        "first_age": 15,
        "rates": [0.0120, 0.0908, 0.1499, 0.1125, 0.0441, 0.0074, 0.0003],
    },
    "net_migration": {"female": list(NM), "male": list(NM)},
}


def _single_year_pop(scale: float) -> dict[str, list[float]]:
    return {s: [round(scale * 60 * 0.99**a, 1) for a in range(101)] for s in ("female", "male")}


FULL: dict[str, Any] = {
    "title": "Beispielgemeinde",
    "start_year": 2024,
    "steps": 8,
    "step_width": 1,
    "open_age": 100,
    "migration_timing": "even",
    "areas": [
        {"id": "09162000", "name": "A", "population": _single_year_pop(1.0)},
        {
            "id": "09184112",
            "name": "B",
            "population": _single_year_pop(2.0),
            "net_migration": {"female": [0.5] * 101, "male": [-0.1] * 101},
        },
    ],
    "survival": {
        "female": {"qx": [min(0.9, 0.0003 * 1.1**a) for a in range(100)]},
        "male": {"qx": [min(0.9, 0.0004 * 1.1**a) for a in range(100)]},
    },
    "fertility": {"tfr": 1.45, "mean_age": 31.5},
    "net_migration": {"female": [0.2] * 101, "male": [0.2] * 101},
    "gross_migration": {
        "out_rates": {"female": [0.01] * 101, "male": [0.01] * 101},
        "in_total": 40,
        "in_profile": {
            "rogers_castro": {
                "a1": 0.02,
                "alpha1": 0.1,
                "a2": 0.06,
                "alpha2": 0.1,
                "mu2": 20,
                "lambda2": 0.4,
                "c": 0.003,
            }
        },
    },
    "housing": {
        "dwellings": {"detached": [0, 0, 10, 10, 10, 0, 0, 0], "flat": 4},
        "occupants": {"detached": 3.2, "flat": 2.1},
        "share_from_outside": 0.8,
    },
    "paths": {
        "tfr": [1.45, 1.46, 1.47, 1.48, 1.49, 1.5, 1.5, 1.5],
        "migration_level": [1, 1, 1, 1, 0.9, 0.9, 0.9, 0.9],
    },
    "scenarios": [
        {
            "name": "Neubaugebiet 120 WE ab 2027",
            "changes": [{"type": "add_dwellings", "from_year": 2027, "per_year": 30, "years": 4}],
        },
        {"name": "niedrige Zuwanderung", "changes": [{"type": "scale_migration", "factor": 0.5}]},
        {"name": "höhere Geburtenrate", "changes": [{"type": "scale_fertility", "factor": 1.15}]},
    ],
    "uncertainty": {"tfr_cv": 0.1, "e0_sd": 1.0, "migration_cv": 0.3, "seed": 7},
    "infrastructure": {
        "land": "BY",
        "threshold": 0.7,
        "max_class_size": 25,
        "capacities": {"kita_u3": 30, "kita_3_6": 150, "primary": 200, "care": 400},
    },
    "budget": {
        "revenue_per_capita": 900,
        "cost_per_capita": 850,
        "income_tax_per_taxpayer": 700,
        "key_allocation_per_capita": 250,
        "discount_rate": 0.02,
        "age_costs": [{"from_age": 0, "to_age": 3, "eur_per_person": 1500}],
        "facilities": [
            {
                "use": "kita_u3",
                "capacity": 30,
                "investment_per_place": 35000,
                "running_cost_per_place": 14000,
            }
        ],
        "housing_area": {
            "start_year": 2027,
            "metres": {"street": 600, "pipes": 1200},
            "construction_per_metre": {"street": 1800, "pipes": 900},
            "operation_per_metre": {"street": 15, "pipes": 8},
            "renewal_per_metre": {"street": 900, "pipes": 700},
            "renewal_years": {"street": 3, "pipes": 5},
            "dwellings": 120,
            "construction_per_dwelling": 2000,
        },
    },
}


def doc(name: str) -> dict[str, Any]:
    """A deep copy of an example document."""
    return copy.deepcopy({"preston": PRESTON, "full": FULL}[name])
