"""A canonical, comparable digest of a parsed scenario (``ScenarioSpec``).

Arrays are reduced to their shape and the SHA-256 of their float64 bytes, so two parsers
are equivalent only if they hand the engine bit-identical inputs.
"""

import dataclasses
import hashlib
from typing import Any

import numpy as np


def digest(obj: Any) -> Any:  # noqa: PLR0911 - one return per kind of value
    """JSON-able canonical form of ``obj`` (dataclasses, arrays, containers, scalars)."""
    if isinstance(obj, np.ndarray):
        arr = np.ascontiguousarray(obj, dtype=np.float64)
        return {"shape": list(arr.shape), "sha256": hashlib.sha256(arr.tobytes()).hexdigest()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {f.name: digest(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        return {"__class__": type(obj).__name__, **out}
    if isinstance(obj, dict):
        return {str(k): digest(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, list | tuple):
        return [digest(v) for v in obj]
    if isinstance(obj, float | np.floating):
        return repr(float(obj))
    if isinstance(obj, bool | int | str | None):
        return obj
    if isinstance(obj, np.integer):
        return int(obj)
    return repr(obj)
