"""Age grids and array layout conventions.

Layout used everywhere in the engine
------------------------------------
* populations: ``[area, sex, age]`` in persons;
  with trajectories ``[trajectory, area, sex, age]``; results over time
  ``[year, area, sex, age]`` (year first, so each year is one contiguous block).
* sex axis: ``FEMALE = 0``, ``MALE = 1``.
* age axis: groups of ``width`` years (1 or 5) starting at 0; the last group is
  open (``open_age``+). Group ``g`` covers ``[g*width, (g+1)*width)``.
* one projection step lasts ``width`` years (single years with yearly steps,
  five-year groups with five-year steps).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .errors import AgeRangeError, EngineValueError

__all__ = ["FEMALE", "MALE", "SEXES", "AgeGrid"]

FEMALE = 0
MALE = 1
SEXES = ("female", "male")


@dataclass(frozen=True)
class AgeGrid:
    """Age groups of equal ``width`` with an open last group ``open_age``+.

    Parameters
    ----------
    width : int
        Width of an age group in years, and length of a projection step: 1 or 5.
    open_age : int
        First age of the open group (default 100). Must be a multiple of ``width``.
    """

    width: int = 1
    open_age: int = 100

    def __post_init__(self) -> None:
        if self.width not in (1, 5):
            raise EngineValueError(
                "step_width", f"must be 1 or 5; got {self.width}", "use 1 (single years) or 5"
            )
        if self.open_age <= self.width or self.open_age % self.width:
            raise AgeRangeError(
                "open_age",
                f"must be a multiple of step_width={self.width} and > it; got {self.open_age}",
                f"use e.g. {100 if self.width == 1 else 85}",
            )

    @property
    def n(self) -> int:
        """Number of age groups including the open group."""
        return self.open_age // self.width + 1

    @property
    def starts(self) -> NDArray[np.int64]:
        """First age of each group, shape ``[age]``."""
        return np.arange(self.n, dtype=np.int64) * self.width

    def index(self, age: int, field: str = "age") -> int:
        """Index of the group containing ``age`` (ages >= open_age map to the open group)."""
        if age < 0:
            raise AgeRangeError(field, f"must be >= 0; got {age}", "use ages in completed years")
        return min(age // self.width, self.n - 1)

    def labels(self) -> list[str]:
        """Human-readable group labels, e.g. ``"0-4"``, ``"85+"``."""
        if self.width == 1:
            return [*(str(a) for a in self.starts[:-1]), f"{self.open_age}+"]
        return [
            *(f"{a}-{a + self.width - 1}" for a in self.starts[:-1]),
            f"{self.open_age}+",
        ]

    def mask(self, lo: int, hi: int | None) -> NDArray[np.bool_]:
        """Boolean mask of groups lying in ``[lo, hi)`` (``hi=None``: to the open end).

        Groups are counted whole; ``lo`` and ``hi`` must lie on group boundaries.
        """
        for name, val in (("lo", lo), ("hi", hi)):
            if val is not None and val % self.width:
                raise AgeRangeError(
                    f"age bound {name}",
                    f"{val} is not a multiple of the group width {self.width}",
                    "use single-year groups or bounds on the 5-year grid",
                )
        starts = self.starts
        upper = np.iinfo(np.int64).max if hi is None else hi
        return (starts >= lo) & (starts < upper)
