"""Small validating accessors that collect every problem instead of stopping at the first."""

from __future__ import annotations

import math
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["LARGEST", "Problem", "Reader", "ScenarioError"]

#: Largest magnitude accepted for any number without its own limit.
LARGEST = 1e12


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario file: the field, what is wrong and how to fix it."""

    field: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}. Fix: {self.fix}"


class ScenarioError(ValueError):
    """A scenario file has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Reader:
    """Collects problems while reading nested JSON objects."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, where: str, problem: str, fix: str) -> None:
        """Record a problem."""
        self.problems.append(Problem(where, problem, fix))

    def obj(
        self,
        value: Any,
        where: str,
        allowed: AbstractSet[str],
        required: AbstractSet[str] = frozenset(),
    ) -> dict[str, Any] | None:
        """Check that ``value`` is an object with only ``allowed`` and all ``required`` keys."""
        if not isinstance(value, dict):
            self.add(
                where or "(top level)",
                f"must be an object, got {json_type(value)}",
                'write it as {"key": value, ...}',
            )
            return None
        for key in sorted(set(value) - allowed):
            self.add(
                f"{where}.{key}" if where else key,
                "unknown field",
                f"remove it or check the spelling; allowed here: {', '.join(sorted(allowed))}",
            )
        for key in sorted(required - set(value)):
            self.add(
                f"{where}.{key}" if where else key,
                "missing required field",
                "add it (see docs/scenario-format.md)",
            )
        return value

    def number(
        self,
        value: Any,
        where: str,
        *,
        integer: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
        exclusive_min: bool = False,
    ) -> float | None:
        """A finite number within bounds, else ``None`` and a problem.

        Without ``maximum`` the magnitude is limited to :data:`LARGEST` (10^12): no count,
        rate or amount of a municipal scenario comes near it, and larger inputs would
        only overflow later.
        """
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(where, f"must be a number, got {json_type(value)}", "give a plain number")
            return None
        try:
            x = float(value)
        except OverflowError:
            x = math.inf if value > 0 else -math.inf
        if math.isnan(x) or math.isinf(x):
            self.add(
                where,
                "must be finite"
                if isinstance(value, float)
                else f"is far too large ({len(str(abs(value)))} digits)",
                "replace NaN/Infinity by a number"
                if isinstance(value, float)
                else "give a plausible number",
            )
            return None
        if integer and x != math.floor(x):
            self.add(where, f"must be a whole number, got {value}", "remove the decimals")
            return None
        if minimum is not None and (x <= minimum if exclusive_min else x < minimum):
            rel = ">" if exclusive_min else ">="
            self.add(
                where, f"must be {rel} {minimum:g}, got {x:g}", f"use a value {rel} {minimum:g}"
            )
            return None
        top = LARGEST if maximum is None else maximum
        if x > top or x < -LARGEST:
            self.add(
                where,
                f"must be <= {top:g}, got {x:g}"
                if x > top
                else f"must be >= {-LARGEST:g}, got {x:g}",
                f"use a value between {max(-LARGEST, minimum or -LARGEST):g} and {top:g}",
            )
            return None
        return x

    def vector(
        self,
        value: Any,
        where: str,
        length: int | None,
        *,
        negative_ok: bool = False,
        unit: str = "values",
        maximum: float | None = None,
    ) -> NDArray[np.float64] | None:
        """A list of ``length`` finite numbers (>= 0 unless ``negative_ok``, <= ``maximum``,
        magnitude at most :data:`LARGEST`)."""
        if not isinstance(value, list):
            self.add(
                where,
                f"must be a list of numbers, got {json_type(value)}",
                f"give a list of {length if length is not None else 'the'} {unit}",
            )
            return None
        if length is not None and len(value) != length:
            self.add(
                where,
                f"has {len(value)} values, expected {length}",
                f"give exactly {length} {unit}",
            )
            return None
        if length is None and not value:
            self.add(where, "is empty", f"give at least one of the {unit}")
            return None
        bad = [i for i, v in enumerate(value) if not _finite_number(v)]
        if bad:
            self.add(
                f"{where}[{bad[0]}]",
                f"must be a finite number, got {_short(value[bad[0]])}"
                + (f" ({len(bad)} such values)" if len(bad) > 1 else ""),
                "give numbers only (no null, NaN, strings)",
            )
            return None
        arr = np.asarray([float(v) for v in value], dtype=np.float64)
        top = LARGEST if maximum is None else maximum
        for mask, rel, limit in (
            (arr < (-LARGEST if negative_ok else 0.0), ">=", -LARGEST if negative_ok else 0.0),
            (arr > top, "<=", top),
        ):
            if mask.any():
                i = int(np.argmax(mask))
                n_bad = int(mask.sum())
                more = f" ({n_bad} such values)" if n_bad > 1 else ""
                self.add(
                    f"{where}[{i}]",
                    f"must be {rel} {limit:g}, got {arr[i]:g}{more}",
                    "use non-negative numbers" if limit == 0.0 else f"use values {rel} {limit:g}",
                )
                return None
        return arr

    def raise_if_any(self) -> None:
        """Raise :class:`ScenarioError` if problems were found."""
        if self.problems:
            raise ScenarioError(self.problems)


def _finite_number(v: Any) -> bool:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return False
    try:
        return math.isfinite(float(v))
    except OverflowError:
        return False


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def json_type(value: Any) -> str:
    """JSON name of a Python value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
