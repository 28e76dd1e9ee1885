"""The structure of a scenario file: pydantic models, the one definition of its fields, types,
bounds and defaults. ``docs/scenario.schema.json`` is generated from them
(:mod:`ortswandel.scenario.schema`); the optional sections are in :mod:`.sections`.

Rules that relate fields to each other are in :mod:`.rules`; the models call them with the
:class:`~.fields.Frame` (age grid, steps, area ids) that :func:`frame` reads first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, cast

from pydantic import (
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    WrapValidator,
    model_validator,
)

from ortswandel.engine import RogersCastro
from ortswandel.engine.defaults import number
from ortswandel.engine.fertility import DEFAULT_SD_AGE_OF_MOTHER

from . import rules
from .fields import (
    NON_BLANK,
    WHOLE,
    Example,
    Frame,
    Strict,
    Unit,
    ages,
    fail,
    frame_of,
    num,
    sized,
    steps,
)
from .rules import Error
from .sections import Budget, Infrastructure, Scenarios, Uncertainty

__all__ = ["ScenarioFile", "frame"]

PER_AGE = Unit("values (one per age group)", "Werte (einen je Altersgruppe)")
PER_STEP = Unit("values (one per step)", "Werte (einen je Schritt)")
DEATH_PROBABILITIES = Unit("death probabilities", "Sterbewahrscheinlichkeiten")

Count = Annotated[float, num(0)]
Signed = Annotated[float, num()]
Rate = Annotated[float, num(0, 1)]
AgeCounts = Annotated[list[Count], Field(min_length=1), sized(ages, PER_AGE)]
AgeRates = Annotated[list[Rate], Field(min_length=1), sized(ages, PER_AGE)]

Year = Annotated[int, Field(ge=1800, le=2300), WHOLE]
Steps = Annotated[int, Field(ge=1, le=200), WHOLE]
StepWidth = Annotated[Literal[1, 5], WHOLE, Field(description="1 (single years) or 5")]
OpenAge = Annotated[
    int,
    Field(
        ge=2,
        le=150,
        description="first age of the open group, a multiple of step_width; default 100 "
        "(step_width 1) or 85 (step_width 5)",
    ),
    WHOLE,
]
AreaId = Annotated[
    str,
    Field(
        pattern=NON_BLANK,
        description="e.g. the 8-digit AGS (text, keeps leading zeros); an AGS also gives the "
        "Land for school and Kita rules",
    ),
    Example('"09162000"', code="id_text"),
]


class Population(Strict):
    """Persons by age group at the start, by sex."""

    female: AgeCounts
    male: AgeCounts


class NetMigration(Strict):
    """Net migrants per step by sex and age group (may be negative)."""

    female: Annotated[list[Signed], Field(min_length=1), sized(ages, PER_AGE)]
    male: Annotated[list[Signed], Field(min_length=1), sized(ages, PER_AGE)]


class Area(Strict):
    """One area (municipality) with its own population and, optionally, net migration."""

    id: AreaId
    name: str | None = None
    population: Population
    net_migration: NetMigration | None = None


def _qx_length(value: Any, handler: Callable[[Any], Any], info: ValidationInfo) -> Any:
    grid = frame_of(info).grid
    if grid is not None and isinstance(value, list) and len(value) not in (grid.n - 1, grid.n):
        words = {"unit_en": DEATH_PROBABILITIES.en, "unit_de": DEATH_PROBABILITIES.de}
        params = {"got": len(value), "closed": grid.n - 1, "groups": grid.n, **words}
        fail(((), "qx_length", params, value))
    return handler(value)


class LifeTable(Strict):
    """Life table of one sex: ``Lx`` or ``qx`` (with optional ``ax``, ``open_mx``, ``q0``)."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["Lx"]}, {"required": ["qx"]}]}
    )

    lx: (
        Annotated[
            list[Count],
            Field(
                min_length=1,
                description="person-years per age group (radix l0 = radix); the last value is T "
                "of the open group, as published by Destatis",
            ),
            sized(ages, Unit("Lx values", "Lx-Werte")),
        ]
        | None
    ) = Field(default=None, alias="Lx")
    qx: (
        Annotated[
            list[Rate],
            Field(
                min_length=1,
                description="death probability per closed group; a last value 1 for the open "
                "group may be added",
            ),
            sized(lambda _f: None, DEATH_PROBABILITIES),
            WrapValidator(_qx_length),
        ]
        | None
    ) = None
    ax: (
        Annotated[
            list[Annotated[float, num(0, 5)]],
            Field(
                min_length=1,
                description="average years lived in the group by those who die there (nax), one "
                "per qx value, at most step_width; default n/2, for the first year a0 by "
                "Coale-Demeny; on 5-year grids give q0 or ax[0]",
            ),
            sized(lambda _f: None, Unit("years (one per qx value)", "Jahre (eins je qx-Wert)")),
        ]
        | None
    ) = None
    open_mx: (
        Annotated[
            float,
            num(
                gt=0,
                description="central death rate of the open group; default: that of the last "
                "closed group",
            ),
        ]
        | None
    ) = None
    q0: (
        Annotated[
            float,
            num(
                0,
                1,
                description="infant death probability 1q0 (5-year grids): 5a0 from Coale-Demeny "
                "1a0 and 4a1",
            ),
        ]
        | None
    ) = None

    @model_validator(mode="after")
    def _one_form(self, info: ValidationInfo) -> LifeTable:
        fail(*rules.life_table(self.lx, self.qx, self.ax, frame_of(info)))
        return self


class Survival(Strict):
    """Life tables by sex (radix: l0 of the Lx values)."""

    radix: Annotated[float, num(gt=0)] = 100000.0
    female: LifeTable
    male: LifeTable


class Fertility(Strict):
    """Either rates by age group from first_age, or a gamma-shaped schedule (tfr, mean_age);
    given both, the rates are used."""

    model_config = ConfigDict(
        json_schema_extra={"anyOf": [{"required": ["rates"]}, {"required": ["tfr", "mean_age"]}]}
    )

    first_age: Annotated[int, Field(ge=0, le=150), WHOLE] = 15
    rates: (
        Annotated[
            list[Rate],
            Field(
                min_length=1,
                description="births per woman and year, one per age group from first_age (at most "
                "1); must end before the open group",
            ),
            sized(lambda _f: None, Unit("rates", "Raten")),
        ]
        | None
    ) = None
    tfr: Annotated[float, num(0, 10)] | None = None
    mean_age: Annotated[float, num(0, 150)] | None = None
    sd: Annotated[float, num(gt=0, le=20)] = DEFAULT_SD_AGE_OF_MOTHER

    @model_validator(mode="after")
    def _one_form(self, info: ValidationInfo) -> Fertility:
        has_tfr = self.tfr is not None and self.mean_age is not None
        fail(*rules.fertility(self.first_age, self.rates, has_tfr, frame_of(info)))
        return self


class OutRates(Strict):
    """Out-migration rates per person and year by sex and age group."""

    female: AgeRates
    male: AgeRates


class RogersCastroParams(Strict):
    """Rogers–Castro model schedule (levels a, c; rates alpha, lambda; ages mu)."""

    a1: Annotated[float, num(0, 1e3)] = RogersCastro.a1
    alpha1: Annotated[float, num(0, 10)] = RogersCastro.alpha1
    a2: Annotated[float, num(0, 1e3)] = RogersCastro.a2
    alpha2: Annotated[float, num(0, 10)] = RogersCastro.alpha2
    mu2: Annotated[float, num(-150, 150)] = RogersCastro.mu2
    lambda2: Annotated[float, num(0, 10)] = RogersCastro.lambda2
    c: Annotated[float, num(0, 1e3)] = RogersCastro.c
    a3: Annotated[float, num(0, 1e3)] = RogersCastro.a3
    alpha3: Annotated[float, num(0, 10)] = RogersCastro.alpha3
    mu3: Annotated[float, num(-150, 150)] = RogersCastro.mu3
    lambda3: Annotated[float, num(0, 10)] = RogersCastro.lambda3


class RogersCastroProfile(Strict):
    """An age profile from the Rogers–Castro schedule, split by sex."""

    rogers_castro: RogersCastroParams
    female_share: Annotated[float, num(0, 1)] = 0.5


class Weights(Strict):
    """Relative weights by sex and age group (normalised to sum 1)."""

    female: AgeCounts
    male: AgeCounts


def _profile_kind(value: Any) -> str:
    return "rogers_castro" if isinstance(value, dict) and "rogers_castro" in value else "weights"


Profile = Annotated[
    Annotated[RogersCastroProfile, Tag("rogers_castro")] | Annotated[Weights, Tag("weights")],
    Discriminator(_profile_kind),
]


class GrossMigration(Strict):
    """Out-migration by rates, in-migration as a total per year spread by an age profile."""

    out_rates: OutRates
    in_total: Annotated[float, num(0, description="persons per year")]
    in_profile: Profile


def _list_or_number(value: Any) -> str:
    return "list" if isinstance(value, list) else "number"


DwellingsPerYear = Annotated[
    Annotated[Count, Tag("number")]
    | Annotated[
        list[Count],
        Field(min_length=1),
        sized(steps, Unit("dwellings per year (one per step)", "Wohnungen je Jahr (je Schritt)")),
        Tag("list"),
    ],
    Discriminator(_list_or_number),
]


class Housing(Strict):
    """In-migration into new dwellings: dwellings × occupants × share from outside."""

    dwellings: Annotated[
        dict[str, DwellingsPerYear],
        Field(min_length=1, description="per building type: one number per year or per step"),
        Example('{"detached": 30}'),
    ]
    occupants: dict[str, Annotated[float, num(0, 100)]]
    share_from_outside: Annotated[float, num(0, 1)] = number("share_from_outside")
    profile: Profile | None = None

    @model_validator(mode="after")
    def _same_types(self) -> Housing:
        fail(*rules.occupants(self.occupants, self.dwellings))
        return self


E0Values = Annotated[
    list[Annotated[float, num(0, 130)]],
    Field(min_length=1),
    sized(steps, Unit("life expectancies (one per step)", "Lebenserwartungen (je Schritt)")),
]


class E0Path(Strict):
    """Life expectancy at birth by sex, one value per step (hazards scaled to reach it)."""

    female: E0Values
    male: E0Values


class Paths(Strict):
    """Values over time, one per step."""

    tfr: (
        Annotated[
            list[Annotated[float, num(0, 10)]],
            Field(min_length=1, description="fertility scaled to this TFR"),
            sized(steps, Unit("TFR values (one per step)", "TFR-Werte (einen je Schritt)")),
        ]
        | None
    ) = None
    e0: E0Path | None = None
    migration_level: (
        Annotated[
            list[Annotated[float, num(0, 100)]],
            Field(min_length=1, description="multiplier on all migration"),
            sized(steps, PER_STEP),
        ]
        | None
    ) = None


class ScenarioFile(Strict):
    """Input of `ortswandel project`. See docs/scenario-format.md. Arrays by age group have
    open_age/step_width + 1 values (first ages 0, w, 2w, ..., open group last). Numbers
    without a stricter limit must lie within ±1e12."""

    model_config = ConfigDict(
        title="Ortswandel scenario file",
        json_schema_extra={"oneOf": [{"required": ["population"]}, {"required": ["areas"]}]},
    )

    schema_: str | None = Field(default=None, alias="$schema")
    title: str | None = None
    description: str | None = None
    start_year: Annotated[Year, Field(description="calendar year of the base population")]
    steps: Annotated[Steps, Field(description="number of projection steps")]
    step_width: StepWidth = 1
    open_age: OpenAge | None = None
    sex_ratio_at_birth: Annotated[float, num(gt=0, le=10, description="boys per girl")] = 1.05
    migration_timing: Annotated[
        Literal["end", "even"],
        Field(
            description='"end": all migrants of a step arrive at its end; "even": half at the '
            "start, half at the end"
        ),
    ] = "end"
    population: Population | None = None
    areas: (
        Annotated[
            list[Area], Field(min_length=1), Example('[{"id": "09162000", "population": {...}}]')
        ]
        | None
    ) = None
    survival: Survival
    fertility: Fertility
    net_migration: NetMigration | None = None
    gross_migration: GrossMigration | None = None
    housing: Housing | None = None
    paths: Paths | None = None
    scenarios: Scenarios = []
    uncertainty: Uncertainty | None = None
    infrastructure: Infrastructure | None = None
    budget: Budget | None = None


_STRICT = ConfigDict(strict=True)
_STEPS: TypeAdapter[Any] = TypeAdapter(Steps, config=_STRICT)
_WIDTH: TypeAdapter[Any] = TypeAdapter(cast(Any, StepWidth), config=_STRICT)  # Literal alias
_OPEN_AGE: TypeAdapter[Any] = TypeAdapter(OpenAge, config=_STRICT)
_AREA_ID: TypeAdapter[Any] = TypeAdapter(AreaId, config=_STRICT)


def _valid(adapter: TypeAdapter[Any], data: dict[str, Any], key: str, default: Any) -> Any:
    try:
        return adapter.validate_python(data.get(key, default))
    except ValidationError:
        return None  # reported by the validation of the whole file


def frame(data: Any) -> tuple[Frame, list[Error]]:
    """What the checks of single fields need from the others (read from the raw ``data``),
    and the errors of the rules between the top-level fields: the age grid, population or
    areas, unique area ids."""
    if not isinstance(data, dict):
        return Frame(), []
    n_steps = _valid(_STEPS, data, "steps", None)
    width = _valid(_WIDTH, data, "step_width", 1)
    open_age = (
        None if width is None else _valid(_OPEN_AGE, data, "open_age", 100 if width == 1 else 85)
    )
    grid, errors = rules.grid(width, open_age)
    ids: tuple[str, ...] | None = None
    if ("areas" in data) == ("population" in data):
        errors.append((("population",), "population_or_areas", {}, None))
    elif "population" in data:
        ids = ("1",)
    elif isinstance(data["areas"], list):
        raw = [a.get("id") if isinstance(a, dict) else None for a in data["areas"]]
        valid = [_valid(_AREA_ID, {"id": i}, "id", None) for i in raw]
        ids = tuple(i for i in valid if i is not None)
        errors += rules.unique_ids(ids)
    return Frame(grid, n_steps, ids), errors
