"""Default assumptions, each with its unit and source.

Only figures with a named public source are defaults. Cost figures (EUR per
Kita place, per metre of street, ...) differ too much between municipalities
and years to have a sound national default: the engine requires them as input.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULTS", "Default", "get"]


@dataclass(frozen=True)
class Default:
    """A default value with unit and source."""

    value: float | tuple[float, ...] | dict[str, float]
    unit: str
    source: str


_REF = "shared/reference/README.md"
DEFAULTS: dict[str, Default] = {
    "sex_ratio_at_birth": Default(
        1.05, "boys per girl", "usual demographic default, e.g. Preston et al. (2001), Box 6.2"
    ),
    "life_expectancy_2022_24": Default(
        {"male": 78.47, "female": 83.19}, "years",
        "Destatis 12621-0001, Sterbetafel 2022/24 (data/sterbetafeln)",
    ),
    "kita_u3_rate_by_age": Default(
        (0.022, 0.366, 0.620), "children in day care per child, ages 0, 1, 2",
        f"Destatis, Kindertagesbetreuung 2017, by single year of age ({_REF})",
    ),
    "kita_u3_rate_by_land": Default(
        {"DE": 0.364, "East": 0.542, "West": 0.327, "MV": 0.592, "ST": 0.590, "BB": 0.576,
         "HH": 0.503, "SH": 0.383, "NI": 0.349, "BW": 0.310, "NW": 0.310, "HB": 0.307},
        "children under 3 in day care per child under 3",
        f"Destatis, Betreuungsquote 1 March 2023 ({_REF})",
    ),
    "kita_3_6_rate": Default(
        1.0, "places per child aged 3 to school entry",
        "planning assumption from the legal entitlement to a place, § 24 (3) SGB VIII",
    ),
    "school_entry_age": Default(
        6, "years", "compulsory schooling starts at about 6 in every Land (Hamburger Abkommen "
        "1964, KMK; cut-off dates differ by Land)",
    ),
    "primary_school_years": Default(
        {"default": 4, "BE": 6, "BB": 6}, "school years",
        "Grundschule lasts 4 years, 6 in Berlin and Brandenburg (Schulgesetze of the Länder; "
        "issue 3)",
    ),
    "care_rates_2021": Default(
        {"under_75": 0.023, "75_84_m": 0.196, "75_84_f": 0.271, "85_89_m": 0.432,
         "85_89_f": 0.606, "90_plus_m": 0.696, "90_plus_f": 0.864},
        "persons in need of care per person",
        f"Destatis, Pflegestatistik 2021 ({_REF})",
    ),
    "occupants_per_dwelling": Default(
        {"detached": 3.2, "semi_detached": 3.0, "flat": 2.1}, "persons per new dwelling",
        f"planning practice, shortly after first occupation ({_REF})",
    ),
    "share_from_outside": Default(
        0.8, "share of occupants of new dwellings moving in from outside",
        f"planning practice ({_REF})",
    ),
    "income_tax_share": Default(
        0.15, "municipal share of wage and assessed income tax",
        f"Art. 106 (5) GG, § 1 Gemeindefinanzreformgesetz ({_REF})",
    ),
}

#: Land codes (first two digits of the AGS) to abbreviations.
LAND_CODES = {
    "01": "SH", "02": "HH", "03": "NI", "04": "HB", "05": "NW", "06": "HE", "07": "RP",
    "08": "BW", "09": "BY", "10": "SL", "11": "BE", "12": "BB", "13": "MV", "14": "SN",
    "15": "ST", "16": "TH",
}


def get(name: str) -> Default:
    """The default ``name`` (raises ``KeyError`` with the known names)."""
    try:
        return DEFAULTS[name]
    except KeyError:
        raise KeyError(f"unknown default {name!r}; known: {sorted(DEFAULTS)}") from None
