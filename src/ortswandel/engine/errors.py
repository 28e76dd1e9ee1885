"""Errors raised by the engine and the small validators that raise them.

Every error is a :class:`ValueError` subclass whose message says what is wrong
*and* how to fix it, e.g. ``"fertility.rates must be >= 0; got -0.1 at index 8
(age 23). Fix: use births per woman and year, never negative."``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "AgeRangeError",
    "EngineValueError",
    "NegativeValueError",
    "NonFiniteError",
    "ShapeError",
    "as_float_array",
    "check_finite",
    "check_non_negative",
    "check_shape",
]


class EngineValueError(ValueError):
    """Base class of all engine input errors.

    Parameters
    ----------
    field : str
        Dotted name of the offending input (``"fertility.rates"``).
    problem : str
        What is wrong.
    fix : str
        How to fix it.
    """

    def __init__(self, field: str, problem: str, fix: str) -> None:
        self.field = field
        self.problem = problem
        self.fix = fix
        super().__init__(f"{field}: {problem}. Fix: {fix}")


class ShapeError(EngineValueError):
    """An array has the wrong number of dimensions or the wrong length."""


class NegativeValueError(EngineValueError):
    """A count or rate that must be >= 0 is negative."""


class NonFiniteError(EngineValueError):
    """A value is NaN or infinite."""


class AgeRangeError(EngineValueError):
    """An age lies outside the projection's age range or is not on the grid."""


def as_float_array(field: str, value: ArrayLike) -> NDArray[np.float64]:
    """Convert ``value`` to a float64 array or raise :class:`EngineValueError`."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise EngineValueError(field, f"is not numeric ({exc})", "give numbers only") from exc
    return arr


def _first_bad(mask: NDArray[np.bool_]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0])


def check_finite(field: str, arr: NDArray[Any]) -> None:
    """Raise :class:`NonFiniteError` if ``arr`` holds NaN or infinity."""
    bad = ~np.isfinite(arr)
    if bad.any():
        idx = _first_bad(bad)
        raise NonFiniteError(
            field,
            f"must be finite; got {arr[idx]} at index {list(idx)} ({int(bad.sum())} such values)",
            "replace NaN/Infinity by a number (use 0 for 'none')",
        )


def check_non_negative(field: str, arr: NDArray[Any]) -> None:
    """Raise :class:`NonFiniteError` / :class:`NegativeValueError` for bad values."""
    check_finite(field, arr)
    bad = arr < 0
    if bad.any():
        idx = _first_bad(bad)
        raise NegativeValueError(
            field,
            f"must be >= 0; got {arr[idx]:g} at index {list(idx)} ({int(bad.sum())} such values)",
            "use non-negative numbers (counts in persons, rates per person and year)",
        )


def check_shape(field: str, arr: NDArray[Any], shape: tuple[int | None, ...], meaning: str) -> None:
    """Raise :class:`ShapeError` unless ``arr.shape`` matches ``shape``.

    ``None`` in ``shape`` matches any length. ``meaning`` names the axes, e.g.
    ``"[area, sex, age]"``.
    """
    ok = arr.ndim == len(shape) and all(
        want is None or want == got for want, got in zip(shape, arr.shape, strict=True)
    )
    if not ok:
        want = ", ".join("any" if s is None else str(s) for s in shape)
        raise ShapeError(
            field,
            f"has shape {list(arr.shape)}, expected ({want}) = {meaning}",
            f"give an array with shape ({want})",
        )
