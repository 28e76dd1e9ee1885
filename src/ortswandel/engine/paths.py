"""Assumption paths over time, applied by scaling the base inputs.

* TFR path: the fertility schedule of each step is scaled to the step's TFR.
* Life-expectancy path: hazards of each step are scaled (``S ** k``) so that e0 of
  each sex reaches the path's value (:func:`.lifetable.mortality_scale_for_e0`).
* Migration level path: all migration flows of a step are multiplied by the level.

Every path has one value per projection step (shape ``[T]``), or per step and
area (``[T, A]``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import ShapeError, as_float_array, check_non_negative
from .fertility import scale_to_tfr
from .lifetable import mortality_scale_for_e0, scale_mortality
from .projection import ProjectionInputs

__all__ = ["apply_e0_path", "apply_migration_path", "apply_tfr_path"]

F64 = NDArray[np.float64]


def _path(name: str, value: ArrayLike, inp: ProjectionInputs) -> F64:
    arr = as_float_array(name, value)
    check_non_negative(name, arr)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] != inp.steps or arr.shape[1] not in (1, inp.n_areas):
        raise ShapeError(
            name,
            f"has shape {list(arr.shape)}",
            f"give {inp.steps} values (one per step), or [{inp.steps}, areas]",
        )
    return arr


def apply_tfr_path(inputs: ProjectionInputs, tfr: ArrayLike) -> ProjectionInputs:
    """Scale the fertility schedule of every step to the TFR ``tfr [T]`` (children/woman)."""
    path = _path("paths.tfr", tfr, inputs)
    base = np.broadcast_to(inputs.fertility, (inputs.steps, *inputs.fertility.shape[1:]))
    if path.shape[1] > base.shape[1]:
        base = np.broadcast_to(base, (inputs.steps, path.shape[1], base.shape[-1]))
    return replace(inputs, fertility=scale_to_tfr(base, inputs.grid.width, path))


def apply_e0_path(inputs: ProjectionInputs, female: ArrayLike, male: ArrayLike) -> ProjectionInputs:
    """Scale mortality of every step so that e0 follows ``female [T]`` and ``male [T]`` years."""
    target = np.stack(
        [_path("paths.e0.female", female, inputs), _path("paths.e0.male", male, inputs)], axis=-1
    )  # [T, A|1, 2]
    base = np.broadcast_to(inputs.survival, (inputs.steps, *inputs.survival.shape[1:]))
    if target.shape[1] > base.shape[1]:
        base = np.broadcast_to(base, (inputs.steps, target.shape[1], *base.shape[2:]))
    k = mortality_scale_for_e0(base, inputs.grid.width, target)
    return replace(inputs, survival=scale_mortality(base, k))


def apply_migration_path(inputs: ProjectionInputs, level: ArrayLike) -> ProjectionInputs:
    """Multiply all migration flows of every step by ``level [T]`` (1 = unchanged)."""
    path = _path("paths.migration_level", level, inputs)
    if inputs.migration_scale is not None:
        path = path * inputs.migration_scale
    return replace(inputs, migration_scale=path)
