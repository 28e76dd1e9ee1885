"""Workspace parameters: every value the planner can change, with default, unit and source.

Plain Python (no Django). Defaults with a public source come from
:mod:`ortswandel.engine.defaults`; the budget's cost and revenue figures have no sound national
default (see that module), so the workspace offers *example values* and says so in their source
text: a council must replace them with its own budget figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortswandel.engine.defaults import get, number, numbers

__all__ = [
    "BUDGET_PARAMS",
    "CAPACITY_FIELDS",
    "CARE_RATES_SOURCE",
    "EXAMPLE",
    "UNCERTAINTY",
    "Param",
    "budget_defaults",
]

EXAMPLE = (
    "Beispielwert (Annahme von Ortswandel, keine amtliche Quelle): bitte durch die Zahlen "
    "des eigenen Haushalts ersetzen"
)


@dataclass(frozen=True)
class Param:
    """One changeable number: form field ``name``, German label, unit, default, source, bounds."""

    name: str
    label: str
    unit: str
    default: float
    source: str
    minimum: float
    maximum: float
    whole: bool = False


_FORMAT_EXAMPLE = (
    "Beispielwert der Formatbeschreibung (docs/scenario-format.md, Folgekosten eines "
    "Neubaugebiets von 120 Wohnungen), keine amtliche Quelle: örtliche Werte eintragen"
)

#: Budget parameters shown in the workspace (EUR at constant prices).
BUDGET_PARAMS: tuple[Param, ...] = (
    Param(
        "income_tax_per_taxpayer",
        "Gemeindeanteil an der Einkommensteuer je Einwohner von 18 bis 64 Jahren",
        "EUR je Person und Jahr",
        700.0,
        EXAMPLE + f". Rechtsgrundlage: {get('income_tax_share').source}",
        0,
        20_000,
    ),
    Param(
        "income_tax_lag",
        "Verzögerung des Einkommensteueranteils",
        "Jahre",
        number("income_tax_lag"),
        get("income_tax_lag").source,
        0,
        10,
        whole=True,
    ),
    Param(
        "key_allocation_per_capita",
        "Schlüsselzuweisungen je Einwohner",
        "EUR je Person und Jahr",
        300.0,
        EXAMPLE + " (die Formel unterscheidet sich je Land)",
        0,
        20_000,
    ),
    Param(
        "cost_per_capita",
        "Sonstige laufende Kosten je Einwohner",
        "EUR je Person und Jahr",
        0.0,
        EXAMPLE,
        0,
        50_000,
    ),
    Param(
        "revenue_per_capita",
        "Sonstige laufende Erträge je Einwohner",
        "EUR je Person und Jahr",
        0.0,
        EXAMPLE,
        0,
        50_000,
    ),
    Param(
        "discount_rate",
        "Kalkulationszins (real) für den Barwert",
        "Anteil je Jahr (0,04 = 4 %)",
        number("discount_rate"),
        get("discount_rate").source,
        -0.05,
        0.2,
    ),
    Param(
        "street_m_per_dwelling",
        "Neubaugebiet: Straße je Wohnung",
        "Meter je Wohnung",
        5.0,
        _FORMAT_EXAMPLE,
        0,
        200,
    ),
    Param(
        "pipes_m_per_dwelling",
        "Neubaugebiet: Leitungen (Wasser, Abwasser) je Wohnung",
        "Meter je Wohnung",
        10.0,
        _FORMAT_EXAMPLE,
        0,
        400,
    ),
    Param(
        "street_construction",
        "Erstherstellung Straße",
        "EUR je Meter",
        1800.0,
        _FORMAT_EXAMPLE,
        0,
        100_000,
    ),
    Param(
        "pipes_construction",
        "Erstherstellung Leitungen",
        "EUR je Meter",
        900.0,
        _FORMAT_EXAMPLE,
        0,
        100_000,
    ),
    Param(
        "street_operation",
        "Betrieb und Unterhalt Straße",
        "EUR je Meter und Jahr",
        15.0,
        _FORMAT_EXAMPLE,
        0,
        10_000,
    ),
    Param(
        "pipes_operation",
        "Betrieb und Unterhalt Leitungen",
        "EUR je Meter und Jahr",
        8.0,
        _FORMAT_EXAMPLE,
        0,
        10_000,
    ),
    Param(
        "street_renewal",
        "Erneuerung Straße",
        "EUR je Meter",
        900.0,
        _FORMAT_EXAMPLE,
        0,
        100_000,
    ),
    Param(
        "pipes_renewal",
        "Erneuerung Leitungen",
        "EUR je Meter",
        700.0,
        _FORMAT_EXAMPLE,
        0,
        100_000,
    ),
    Param(
        "street_renewal_years",
        "Erneuerungszyklus Straße",
        "Jahre",
        30,
        _FORMAT_EXAMPLE,
        1,
        100,
        whole=True,
    ),
    Param(
        "pipes_renewal_years",
        "Erneuerungszyklus Leitungen",
        "Jahre",
        50,
        _FORMAT_EXAMPLE,
        1,
        100,
        whole=True,
    ),
)


def budget_defaults() -> dict[str, float]:
    return {p.name: p.default for p in BUDGET_PARAMS}


#: Infrastructure: facility key, German label, engine demand key.
CAPACITY_FIELDS: tuple[tuple[str, str], ...] = (
    ("kita_u3", "Kita unter 3 Jahren"),
    ("kita_3_6", "Kita 3 bis 6 Jahre"),
    ("primary", "Grundschule"),
    ("secondary", "Weiterführende Schule (Sekundarstufe I)"),
    ("care_home", "Pflege zu Hause (durch Angehörige)"),
    ("care_ambulatory", "Pflege ambulant (Pflegedienste)"),
    ("care_residential", "Pflege stationär (Heime)"),
)

#: The split of care by kind (home, ambulatory, residential) is not an assumption but the
#: district's figure from the Pflegestatistik: :func:`ortswandel.datapool.care.care_split`.
#: Source of the age- and sex-specific care rates it is applied to:
CARE_RATES_SOURCE = get("care_rates_2021").source

#: Spread of the 1,000 random trajectories of the fan chart.
UNCERTAINTY = {"tfr_cv": 0.08, "e0_sd": 1.0, "migration_cv": 0.4}
UNCERTAINTY_SOURCE = (
    "Annahme von Ortswandel, angelehnt an die Spannweite der Varianten der 15. koordinierten "
    "Bevölkerungsvorausberechnung (Geburtenrate, Lebenserwartung, Wanderungssaldo); dazu der "
    "Zufall einzelner Geburten, Sterbefälle und Umzüge"
)

OCCUPANTS = numbers("occupants_per_dwelling")
SHARE_FROM_OUTSIDE = number("share_from_outside")
