"""Default assumptions, each with its unit and source.

Only figures with a named public source are defaults. Cost figures (EUR per
Kita place, per metre of street, ...) differ too much between municipalities
and years to have a sound national default: the engine requires them as input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .errors import EngineValueError

__all__ = [
    "DEFAULTS",
    "EAST",
    "LAND_CODES",
    "Default",
    "get",
    "land_code",
    "number",
    "numbers",
    "texts",
]


@dataclass(frozen=True)
class Default:
    """A default value with unit and source."""

    value: float | tuple[float, ...] | Mapping[str, float] | Mapping[str, str]
    unit: str
    source: str


_REF = "shared/reference/README.md"
DEFAULTS: dict[str, Default] = {
    "sex_ratio_at_birth": Default(
        1.05, "boys per girl", "usual demographic default, e.g. Preston et al. (2001), Box 6.2"
    ),
    "life_expectancy_2022_24": Default(
        {"male": 78.47, "female": 83.19},
        "years",
        "Destatis 12621-0001, Sterbetafel 2022/24 (data/sterbetafeln)",
    ),
    "kita_u3_rate_by_age": Default(
        (0.022, 0.366, 0.620),
        "children in day care per child, ages 0, 1, 2",
        f"Destatis, Kindertagesbetreuung 2017, by single year of age ({_REF})",
    ),
    "kita_u3_rate_by_land": Default(
        {
            "DE": 0.364,
            "East": 0.542,
            "West": 0.327,
            "MV": 0.592,
            "ST": 0.590,
            "BB": 0.576,
            "HH": 0.503,
            "SH": 0.383,
            "NI": 0.349,
            "BW": 0.310,
            "NW": 0.310,
            "HB": 0.307,
        },
        "children under 3 in day care per child under 3",
        f"Destatis, Betreuungsquote 1 March 2023 ({_REF})",
    ),
    "kita_3_6_rate": Default(
        1.0,
        "places per child aged 3 to school entry",
        "planning assumption from the legal entitlement to a place, § 24 (3) SGB VIII",
    ),
    "school_entry_cutoff": Default(
        {
            "default": "06-30",
            "BW": "06-30",
            "BY": "09-30",
            "BE": "09-30",
            "BB": "09-30",
            "HB": "06-30",
            "HH": "07-01",
            "HE": "06-30",
            "MV": "06-30",
            "NI": "09-30",
            "NW": "09-30",
            "RP": "08-31",
            "SL": "06-30",
            "SN": "06-30",
            "ST": "06-30",
            "SH": "06-30",
            "TH": "08-01",
        },
        "month-day by which a child must have turned 6 to start school that summer",
        "Schulgesetze of the Länder, overview 'Einschulung & Stichtage 2024' (DIPF, "
        "Fachportal Pädagogik); default 30 June: the former uniform rule (Hamburger Abkommen "
        "1964; Destatis glossary 'fristgemäß eingeschult'). Deferrals and early entries are "
        "not modelled",
    ),
    "primary_school_years": Default(
        {"default": 4, "BE": 6, "BB": 6},
        "school years",
        "Grundschule lasts 4 years, 6 in Berlin and Brandenburg (Schulgesetze of the Länder; "
        "issue 3)",
    ),
    "last_secondary_grade": Default(
        10,
        "school year",
        "Sekundarstufe I ends with grade 10 in every Land (KMK, 'Das Bildungswesen in der "
        "Bundesrepublik Deutschland'); secondary school here = grades after primary to 10",
    ),
    "care_rates_2021": Default(
        {
            "under_75": 0.023,
            "75_84_m": 0.196,
            "75_84_f": 0.271,
            "85_89_m": 0.432,
            "85_89_f": 0.606,
            "90_plus_m": 0.696,
            "90_plus_f": 0.864,
        },
        "persons in need of care per person",
        f"Destatis, Pflegestatistik 2021 ({_REF})",
    ),
    "occupants_per_dwelling": Default(
        {"detached": 3.2, "semi_detached": 3.0, "flat": 2.1},
        "persons per new dwelling",
        f"planning practice, shortly after first occupation ({_REF})",
    ),
    "share_from_outside": Default(
        0.8,
        "share of occupants of new dwellings moving in from outside",
        f"planning practice ({_REF})",
    ),
    "income_tax_share": Default(
        0.15,
        "municipal share of wage and assessed income tax",
        f"Art. 106 (5) GG, § 1 Gemeindefinanzreformgesetz ({_REF})",
    ),
    "income_tax_lag": Default(
        6,
        "years between residence and the municipal income-tax share",
        "§ 1 (1) Einkommensteuer-Schlüsselzahlenermittlungsverordnung 2024: the key figures "
        "for 2024-2026 are computed from the income tax statistics of 2019 (5-7 years, mean "
        "6; updated every three years, § 5 Gemeindefinanzreformgesetz)",
    ),
    "discount_rate": Default(
        0.04,
        "per year, real (cash flows at constant prices)",
        "Art. 19 (3) Delegated Regulation (EU) No 480/2014: 4 % real as the benchmark for "
        "public investment projects",
    ),
    "mover_profile": Default(
        {
            "a1": 0.02,
            "alpha1": 0.1,
            "a2": 0.06,
            "alpha2": 0.1,
            "mu2": 20.0,
            "lambda2": 0.4,
            "c": 0.003,
        },
        "Rogers-Castro parameters of the age profile of in-movers (half female)",
        f"Rogers & Castro (1981), 'fundamental' parameters of the reference case 2 ({_REF})",
    ),
    "fertility_sd_age_of_mother": Default(
        5.5,
        "years (standard deviation of the age of mothers at birth)",
        "gamma-shaped schedules with an SD of 5-6 years describe European low-fertility "
        "schedules (Hoem et al. 1981, Demography 18)",
    ),
}

#: Länder of the East (with Berlin) in the Kita statistics; the others form the West.
EAST = frozenset({"BE", "BB", "MV", "SN", "ST", "TH"})

#: Land codes (first two digits of the AGS) to abbreviations.
LAND_CODES = {
    "01": "SH",
    "02": "HH",
    "03": "NI",
    "04": "HB",
    "05": "NW",
    "06": "HE",
    "07": "RP",
    "08": "BW",
    "09": "BY",
    "10": "SL",
    "11": "BE",
    "12": "BB",
    "13": "MV",
    "14": "SN",
    "15": "ST",
    "16": "TH",
}


def get(name: str) -> Default:
    """The default ``name`` (raises ``KeyError`` with the known names)."""
    try:
        return DEFAULTS[name]
    except KeyError:
        raise KeyError(f"unknown default {name!r}; known: {sorted(DEFAULTS)}") from None


def land_code(land: str | None, field: str = "land") -> str | None:
    """Abbreviation (``"BY"``) of a Land given as abbreviation, 2-digit code or AGS/ARS.

    ``None`` or ``""`` stays ``None``; anything else unknown raises an engine error.
    """
    if not land:
        return None
    text = land.strip().upper()
    if text in LAND_CODES.values():
        return text
    if text[:2] in LAND_CODES and text.isdigit() and len(text) in (2, 5, 8, 12):
        return LAND_CODES[text[:2]]
    raise EngineValueError(
        field,
        f"unknown Land {land!r}",
        'give the abbreviation ("BY"), the 2-digit code ("09") or an AGS',
    )


def number(name: str) -> float:
    """The scalar default ``name``."""
    value = get(name).value
    if not isinstance(value, int | float):
        raise TypeError(f"default {name!r} is not a number")
    return float(value)


def numbers(name: str) -> dict[str, float]:
    """The default ``name`` that maps keys to numbers (tuples: keys ``"0"``, ``"1"``, ...)."""
    value = get(name).value
    items = (
        enumerate(value)
        if isinstance(value, tuple)
        else (value.items() if isinstance(value, Mapping) else None)
    )
    if items is None:
        raise TypeError(f"default {name!r} is not a table of numbers")
    out = {str(k): v for k, v in items}
    if not all(isinstance(v, int | float) for v in out.values()):
        raise TypeError(f"default {name!r} is not a table of numbers")
    return {k: float(v) for k, v in out.items()}


def texts(name: str) -> dict[str, str]:
    """The default ``name`` that maps keys to texts."""
    value = get(name).value
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        raise TypeError(f"default {name!r} is not a table of texts")
    return {str(k): str(v) for k, v in value.items()}
