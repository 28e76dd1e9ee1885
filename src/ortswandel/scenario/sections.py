"""Models of the optional sections: scenarios, uncertainty, infrastructure and budget."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    model_validator,
)

from ortswandel.engine import defaults

from . import rules
from .fields import NON_BLANK, NULLABLE, WHOLE, Example, Strict, Unit, fail, frame_of, num

__all__ = [
    "FACILITIES",
    "SCHOOLS",
    "Budget",
    "Capacity",
    "Change",
    "Infrastructure",
    "ScenarioDef",
    "Uncertainty",
]

FACILITIES = ("kita_u3", "kita_3_6", "primary", "secondary", "care")
SCHOOLS = ("primary", "secondary")

Year = Annotated[int, Field(ge=1800, le=2300), WHOLE]
Factor = Annotated[float, num(0, 100, description="multiplier (1 = unchanged)")]
Share = Annotated[float, num(0, 1)]
Occupants = Annotated[float, num(0, 100, description="persons per dwelling")]
Amount = Annotated[float, num()]
NonNegative = Annotated[float, num(0)]
AreaRef = Annotated[str, Field(pattern=NON_BLANK)]


# --- scenarios ----------------------------------------------------------------------------


class ScaleFertility(Strict):
    """All fertility rates × factor ("höhere Geburtenrate")."""

    type: Literal["scale_fertility"]
    factor: Factor


class ScaleMigration(Strict):
    """All migration flows × factor ("niedrige Zuwanderung")."""

    type: Literal["scale_migration"]
    factor: Factor


class TfrPathChange(Strict):
    """Fertility scaled to a TFR path (one value per step)."""

    type: Literal["tfr_path"]
    tfr: Annotated[list[Annotated[float, num(0, 10)]], Field(min_length=1)]


class E0PathChange(Strict):
    """Mortality scaled to a life-expectancy path (one value per step and sex)."""

    type: Literal["e0_path"]
    female: Annotated[list[Annotated[float, num(0, 130)]], Field(min_length=1)]
    male: Annotated[list[Annotated[float, num(0, 130)]], Field(min_length=1)]


class AddDwellings(Strict):
    """New dwellings ("Neubaugebiet 120 WE ab 2027": from_year 2027, per_year 30, years 4)."""

    type: Literal["add_dwellings"]
    from_year: Year
    per_year: NonNegative
    years: Annotated[int, Field(ge=1, le=500), WHOLE] = 1
    occupants: (
        Annotated[
            float,
            num(
                0,
                100,
                description="persons per dwelling; default by building_type: detached 3.2, "
                "semi_detached 3.0, flat 2.1",
            ),
        ]
        | None
    ) = None
    share_from_outside: Share = defaults.number("share_from_outside")
    building_type: Annotated[
        str,
        Field(
            pattern=NON_BLANK,
            description="detached (3.2), semi_detached (3.0) or flat (2.1) give the default "
            "occupants; other types need occupants",
        ),
        Example('"detached" or "flat"'),
    ] = "semi_detached"
    areas: (
        Annotated[
            list[AreaRef],
            Field(
                min_length=1, description="ids of the areas that get the dwellings (default: all)"
            ),
        ]
        | None
    ) = None

    @model_validator(mode="after")
    def _known(self, info: ValidationInfo) -> AddDwellings:
        has_occupants = self.occupants is not None
        fail(*rules.dwelling_areas(self.building_type, has_occupants, self.areas, frame_of(info)))
        return self


def _change_type(value: Any) -> str | None:
    kind = value.get("type") if isinstance(value, dict) else None
    return None if kind is None else (kind if isinstance(kind, str) else "?")


Change = Annotated[
    Annotated[ScaleFertility, Tag("scale_fertility")]
    | Annotated[ScaleMigration, Tag("scale_migration")]
    | Annotated[TfrPathChange, Tag("tfr_path")]
    | Annotated[E0PathChange, Tag("e0_path")]
    | Annotated[AddDwellings, Tag("add_dwellings")],
    Discriminator(_change_type),
    Unit("change type", "Änderungsart"),
]


def _names(scenarios: list[ScenarioDef]) -> list[ScenarioDef]:
    fail(*rules.scenario_names([s.name for s in scenarios]))
    return scenarios


class ScenarioDef(Strict):
    """A named set of changes, compared with the base run ("Basis")."""

    name: Annotated[str, Field(pattern=NON_BLANK), Example('"niedrige Zuwanderung"')]
    description: str | None = None
    changes: Annotated[
        list[Change],
        Field(description="applied in the given order"),
        Example('[{"type": "scale_migration", "factor": 0.5}]'),
    ]


Scenarios = Annotated[
    list[ScenarioDef],
    AfterValidator(_names),
    Example('[{"name": "niedrige Zuwanderung", "changes": [...]}]'),
]


# --- uncertainty --------------------------------------------------------------------------


class Uncertainty(Strict):
    """Spread of the random trajectories (``--trajectories``)."""

    tfr_cv: Annotated[float, num(0, 1)] = 0.0
    e0_sd: Annotated[float, num(0, 10, description="years")] = 0.0
    migration_cv: Annotated[float, num(0, 1)] = 0.0
    demographic: bool = True
    seed: Annotated[int, Field(ge=0, le=2**63 - 1), WHOLE] = 0


# --- infrastructure -----------------------------------------------------------------------


def _per_area(places: dict[str, float], info: ValidationInfo) -> dict[str, float]:
    fail(*rules.area_keys(places, frame_of(info)))
    return places


def _mapping_or_number(value: Any) -> str:
    return "mapping" if isinstance(value, dict) else "number"


Places = Annotated[float, num(0)]
Capacity = Annotated[
    Annotated[Places, Tag("number")]
    | Annotated[
        dict[str, Places],
        AfterValidator(_per_area),
        Field(description="places per area id (every area)"),
        Tag("mapping"),
    ],
    Discriminator(_mapping_or_number),
]
ClassSize = Annotated[float, num(gt=0, le=1000)]


class Capacities(Strict):
    """Places per facility type: one number for every area, or one per area id."""

    kita_u3: Capacity | None = None
    kita_3_6: Capacity | None = None
    primary: Capacity | None = None
    secondary: Capacity | None = None
    care: Capacity | None = None


class ClassSizes(Strict):
    """Maximum pupils per class by school type."""

    primary: ClassSize | None = None
    secondary: ClassSize | None = None


def _land(value: str) -> str:
    fail(*rules.land(value))
    return value


class Infrastructure(Strict):
    """Demand for Kita, school and care places; capacities, under-use threshold, classes."""

    capacities: Capacities = Capacities()
    threshold: Annotated[float, num(0, 100)] | None = None
    max_class_size: (
        Annotated[
            Annotated[ClassSize, Tag("number")] | Annotated[ClassSizes, Tag("mapping")],
            Discriminator(_mapping_or_number),
            Field(
                description="maximum pupils per class (per school type); classes per grade = "
                "ceil(pupils / size)"
            ),
        ]
        | None
    ) = None
    land: (
        Annotated[
            str,
            AfterValidator(_land),
            Field(
                description="Land for all areas: abbreviation (BY), 2-digit code (09) or an AGS; "
                "default: from each area's AGS id"
            ),
        ]
        | None
    ) = None
    school_entry_age: (
        Annotated[
            float,
            num(
                4,
                8,
                description="exact age at school entry on 31 December; default from the Land's "
                "cut-off date",
            ),
        ]
        | None
    ) = None


# --- budget -------------------------------------------------------------------------------


class AgeBand(Strict):
    """EUR per person and year of the ages ``[from_age, to_age)``."""

    from_age: Annotated[int, Field(ge=0, le=150), WHOLE]
    to_age: Annotated[
        Annotated[int, Field(ge=1, le=150), WHOLE] | None,
        Field(description="first age no longer in the band; null or left out: open end"),
        NULLABLE,
    ] = None
    eur_per_person: Amount

    @model_validator(mode="after")
    def _ordered(self) -> AgeBand:
        fail(*rules.age_band(self.from_age, self.to_age))
        return self


AgeBands = Annotated[
    list[AgeBand], Example('[{"from_age": 0, "to_age": 3, "eur_per_person": 1500}]')
]


class Facility(Strict):
    """Places added when demand exceeds capacity: investment and running cost per place."""

    use: Annotated[Literal[FACILITIES], Unit("facility", "Einrichtung")]  # type: ignore[valid-type]
    capacity: Capacity
    investment_per_place: NonNegative
    running_cost_per_place: NonNegative


Kinds = dict[str, NonNegative]


class HousingArea(Strict):
    """A new housing area: built in start_year, operated and renewed per metre and dwelling."""

    start_year: Year
    metres: Kinds = {}
    construction_per_metre: Kinds = {}
    operation_per_metre: Kinds = {}
    renewal_per_metre: Kinds = {}
    renewal_years: dict[str, Annotated[int, Field(ge=1, le=500), WHOLE]] = {}
    dwellings: NonNegative = 0.0
    construction_per_dwelling: NonNegative = 0.0
    operation_per_dwelling: NonNegative = 0.0
    renewal_per_dwelling: NonNegative = 0.0
    dwelling_renewal_years: Annotated[int, Field(ge=1, le=500), WHOLE] = 30

    @model_validator(mode="after")
    def _complete(self) -> HousingArea:
        maps: dict[str, dict[str, Any]] = {
            "metres": self.metres,
            "construction_per_metre": self.construction_per_metre,
            "operation_per_metre": self.operation_per_metre,
            "renewal_per_metre": self.renewal_per_metre,
            "renewal_years": self.renewal_years,
        }
        fail(*rules.housing_area(maps))
        return self


class Budget(Strict):
    """Municipal budget: amounts per inhabitant, per age band, facilities, housing area."""

    revenue_per_capita: Amount = 0.0
    cost_per_capita: Amount = 0.0
    key_allocation_per_capita: Amount = 0.0
    income_tax_per_taxpayer: Amount = 0.0
    income_tax_lag: Annotated[
        int,
        Field(
            ge=0,
            le=50,
            description="years (key figures 2024-2026 from the income tax statistics 2019, "
            "EStSchlEV)",
        ),
        WHOLE,
    ] = int(defaults.number("income_tax_lag"))
    discount_rate: Annotated[
        float,
        num(
            -0.99,
            1,
            description="real discount rate (4 %: Art. 19 (3) Delegated Regulation (EU) "
            "No 480/2014)",
        ),
    ] = defaults.number("discount_rate")
    age_costs: AgeBands = []
    age_revenues: AgeBands = []
    facilities: Annotated[list[Facility], Example('[{"use": "kita_u3", "capacity": 30, ...}]')] = []
    housing_area: HousingArea | None = None
