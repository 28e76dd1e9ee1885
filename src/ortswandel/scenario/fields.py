"""Field types of the scenario models: bounded numbers, texts and number lists.

The bounds are part of the types (and so of the published JSON Schema). Lengths that depend
on other fields (one value per age group or per step) are checked against the
:class:`Frame` passed as validation context (``context={"frame": frame}``); without a frame
they are not checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WrapValidator,
    field_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from ortswandel.engine import AgeGrid

from .problems import json_type

__all__ = [
    "LARGEST",
    "NON_BLANK",
    "NULLABLE",
    "WHOLE",
    "Example",
    "Frame",
    "Strict",
    "Unit",
    "ages",
    "fail",
    "frame_of",
    "num",
    "sized",
    "steps",
]

#: Largest magnitude accepted for any number without its own limit.
LARGEST = 1e12


@dataclass(frozen=True)
class Unit:
    """What the values of a field are, for messages (``"values (one per age group)"``)."""

    en: str
    de: str


@dataclass(frozen=True)
class Example:
    """An example value shown in the fix of a message (JSON, the same in every language);
    ``code``: the message for a text that is missing or blank, where the generic one is not
    enough."""

    json: str
    code: str = ""


@dataclass(frozen=True)
class Frame:
    """What the checks of one field need to know about the others: the age grid, the number
    of steps and the valid area ids (``None``: not known because invalid; not checked)."""

    grid: AgeGrid | None = None
    steps: int | None = None
    ids: tuple[str, ...] | None = None


def frame_of(info: ValidationInfo) -> Frame:
    """The :class:`Frame` of the current validation (an empty one without context)."""
    ctx = info.context
    frame = ctx.get("frame") if isinstance(ctx, dict) else None
    return frame if isinstance(frame, Frame) else Frame()


def fail(*errors: tuple[tuple[str | int, ...], str, dict[str, Any], Any]) -> None:
    """Raise the errors ``(loc, code, params, input)``, if any, at locations relative to the
    value being validated; ``code`` is a key of :data:`~ortswandel.scenario.problems.MESSAGES`
    and ``params`` fill its text (``x_en``/``x_de`` pairs: a text per language)."""
    if not errors:
        return
    raise ValidationError.from_exception_data(
        "scenario",
        [
            InitErrorDetails(
                type=PydanticCustomError(code, code, params), loc=loc, input=value, ctx=params
            )
            for loc, code, params, value in errors
        ],
    )


def _got(value: Any) -> dict[str, str]:
    kind = json_type(value)
    return {"got_en": kind.en, "got_de": kind.de}


def _whole(value: Any) -> Any:
    """JSON does not distinguish 8 from 8.0: a float without decimals is an integer (but
    ``true`` is not 1)."""
    if isinstance(value, bool):
        fail(((), "not_number", _got(value), value))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: Before the (strict) integer check: ``8.0`` counts as ``8``.
WHOLE = BeforeValidator(_whole)
NON_BLANK = r"\S"


def num(
    ge: float | None = -LARGEST,
    le: float = LARGEST,
    *,
    gt: float | None = None,
    description: str | None = None,
) -> Any:
    """Constraints of a finite number in ``[ge, le]`` (or ``(gt, le]``); default ±10^12."""
    return Field(
        ge=None if gt is not None else ge,
        gt=gt,
        le=le,
        allow_inf_nan=False,
        description=description,
    )


def sized(expected: Callable[[Frame], int | None], unit: Unit) -> WrapValidator:
    """Check a list of numbers before its items: a list, of ``expected(frame)`` values if
    known, else not empty. ``unit`` names the values in the messages."""
    words = {"unit_en": unit.en, "unit_de": unit.de}

    def check(value: Any, handler: Callable[[Any], Any], info: ValidationInfo) -> Any:
        n = expected(frame_of(info))
        if not isinstance(value, list):
            count = {"count_en": f"{n} " if n else "the ", "count_de": f"{n} " if n else ""}
            fail(((), "not_number_list", {**count, **words, **_got(value)}, value))
        if n is not None and len(value) != n:
            fail(((), "length", {"got": len(value), "expected": n, **words}, value))
        if not value:
            fail(((), "empty", words, value))
        return handler(value)

    check.unit = unit  # type: ignore[attr-defined] # for the message when it is null
    return WrapValidator(check)


def ages(frame: Frame) -> int | None:
    """Number of age groups of the frame's grid."""
    return None if frame.grid is None else frame.grid.n


def steps(frame: Frame) -> int | None:
    """Number of projection steps of the frame."""
    return frame.steps


def _allow_null(schema: dict[str, Any]) -> None:
    inner = dict(schema)
    schema.clear()
    schema["anyOf"] = [inner, {"type": "null"}]


#: ``Annotated[X | None, NULLABLE]``: a field that may be ``null`` in the file. Every other
#: ``X | None = None`` field may only be left out (and the schema does not allow ``null``).
NULLABLE = Field(json_schema_extra=_allow_null)


class Strict(BaseModel):
    """Base of the scenario models: no unknown fields, no type conversion (``"8"`` is not a
    number), ``null`` only in fields marked :data:`NULLABLE`."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name
        if value is None and name and cls.model_fields[name].json_schema_extra is not _allow_null:
            fail(((), "null", {}, value))
        return value
