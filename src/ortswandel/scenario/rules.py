"""Rules of meaning: checks that relate one field to others (the structure is in the models).

Each rule takes already validated values and the :class:`~.fields.Frame` (age grid, steps,
area ids) and returns the errors it finds as ``(loc, code, params, input)`` for
:func:`~.fields.fail`, with ``loc`` relative to the checked object.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ortswandel.engine import AgeGrid, EngineValueError
from ortswandel.engine.defaults import land_code, numbers

from .fields import Frame

__all__ = [
    "Error",
    "age_band",
    "area_keys",
    "dwelling_areas",
    "fertility",
    "grid",
    "housing_area",
    "land",
    "life_table",
    "matching_keys",
    "occupants",
    "scenario_names",
    "unique_ids",
]

Error = tuple[tuple[str | int, ...], str, dict[str, Any], Any]
BASE_RUN = "Basis"


def grid(width: int | None, open_age: int | None) -> tuple[AgeGrid | None, list[Error]]:
    """The age grid of ``step_width`` and ``open_age`` (both valid or ``None``); ``open_age``
    must exceed ``step_width`` and be a multiple of it."""
    if width is None or open_age is None:
        return None, []
    example = 85 if width == 5 else 100
    if open_age <= width:
        params = {"rel": ">", "limit": width, "value": open_age, "allowed": f"> {width}"}
        return None, [(("open_age",), "out_of_range", params, open_age)]
    if open_age % width:
        params = {"value": open_age, "width": width, "example": example}
        return None, [(("open_age",), "not_multiple", params, open_age)]
    return AgeGrid(width, open_age), []


def unique_ids(ids: Sequence[str]) -> list[Error]:
    """Area ids must be unique."""
    dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
    if not dupes:
        return []
    return [(("areas",), "ids_not_unique", {"ids": ", ".join(dupes[:3])}, list(ids))]


def life_table(
    lx: Sequence[float] | None,
    qx: Sequence[float] | None,
    ax: Sequence[float] | None,
    frame: Frame,
) -> list[Error]:
    """Exactly one of ``Lx``/``qx``; a last ``qx`` for the open group is 1; one ``ax`` per
    ``qx`` value, none longer than the age group."""
    if (lx is None) == (qx is None):
        return [((), "lx_or_qx", {}, None)]
    out: list[Error] = []
    g = frame.grid
    if qx is not None and g is not None and len(qx) == g.n and qx[-1] != 1:
        params = {"value": qx[-1], "closed": g.n - 1}
        out.append((("qx", g.n - 1), "qx_open", params, qx[-1]))
    elif qx is not None and g is not None and len(qx) == g.n - 1 and qx[-1] == 1:
        out.append((("qx", g.n - 2), "qx_last_closed", {"groups": g.n}, qx[-1]))
    if ax is not None and qx is not None and len(ax) != len(qx):
        words = {"unit_en": "years (one per qx value)", "unit_de": "Jahre (eins je qx-Wert)"}
        out.append((("ax",), "length", {"got": len(ax), "expected": len(qx), **words}, ax))
    elif ax is not None and g is not None:
        bad = [i for i, a in enumerate(ax) if a > g.width]
        if bad:
            out.append(_item_range(("ax",), bad, ax, "<=", g.width))
    return out


def _item_range(
    loc: tuple[str | int, ...], bad: list[int], values: Sequence[float], rel: str, limit: float
) -> Error:
    i = bad[0]
    more = {"more_en": "", "more_de": ""}
    if len(bad) > 1:
        more = {"more_en": f" ({len(bad)} such values)", "more_de": f" ({len(bad)} solche Werte)"}
    params = {"rel": rel, "limit": limit, "value": values[i], **more}
    return ((*loc, i), "item_out_of_range", params, values[i])


def fertility(
    first_age: int, rates: Sequence[float] | None, has_tfr: bool, frame: Frame
) -> list[Error]:
    """Either ``rates`` (on the age grid, ending before the open group) or ``tfr`` and
    ``mean_age``."""
    if rates is None:
        return [] if has_tfr else [((), "fertility_form", {}, None)]
    g = frame.grid
    if g is None:
        return []
    if first_age % g.width:
        return [(("first_age",), "off_grid", {"value": first_age, "width": g.width}, first_age)]
    start = first_age // g.width
    if start + len(rates) <= g.n - 1:
        return []
    params = {
        "first": first_age,
        "last": first_age + len(rates) * g.width - 1,
        "open_age": g.open_age,
        "most": max(g.n - 1 - start, 0),
    }
    return [(("rates",), "rates_beyond_open", params, list(rates))]


def area_keys(places: Mapping[str, float], frame: Frame) -> list[Error]:
    """A value per area: exactly the area ids as keys (not checked if the ids are invalid)."""
    if frame.ids is None:
        return []
    return matching_keys(places, frame.ids)


def matching_keys(given: Mapping[str, Any], wanted: Sequence[str]) -> list[Error]:
    """``given`` has exactly the keys ``wanted``: unknown and missing ones, each an error."""
    allowed = ", ".join(sorted(wanted))
    out: list[Error] = [
        ((key,), "unknown_field", {"allowed": allowed}, given[key])
        for key in sorted(set(given) - set(wanted))
    ]
    out += [((key,), "missing", {}, None) for key in sorted(set(wanted) - set(given))]
    return out


def occupants(occupants: Mapping[str, float], dwellings: Mapping[str, Any]) -> list[Error]:
    """Occupants per dwelling for exactly the building types that get dwellings."""
    errors = matching_keys(occupants, sorted(dwellings))
    return [(("occupants", *loc), code, params, value) for loc, code, params, value in errors]


def dwelling_areas(
    building_type: str, has_occupants: bool, areas: Sequence[str] | None, frame: Frame
) -> list[Error]:
    """Occupants are given unless the building type has a default; ``areas`` are known ids."""
    out: list[Error] = []
    defaults = numbers("occupants_per_dwelling")
    if not has_occupants and building_type not in defaults:
        params = {"value": repr(building_type), "types": ", ".join(sorted(defaults))}
        out.append((("occupants",), "occupants_needed", params, None))
    known = frame.ids or ()
    unknown = [a for a in areas or () if a not in known]
    if unknown and frame.ids is not None:
        params = {"ids": repr(unknown[:3]), "known": repr(list(known[:2]))}
        out.append((("areas",), "unknown_areas", params, list(areas or ())))
    return out


def scenario_names(names: Sequence[str]) -> list[Error]:
    """Scenario names are unique and not the name of the base run."""
    if len(set(names)) == len(names) and BASE_RUN not in names:
        return []
    return [((), "scenario_names", {}, list(names))]


def age_band(from_age: int, to_age: int | None) -> list[Error]:
    """``to_age`` (the first age no longer in the band) lies above ``from_age``."""
    if to_age is None or to_age > from_age:
        return []
    return [(("to_age",), "not_above", {"lower": from_age, "value": to_age}, to_age)]


def housing_area(maps: Mapping[str, Mapping[str, Any]]) -> list[Error]:
    """Every kind of infrastructure in ``metres`` has a value in each other map."""
    kinds = set(maps["metres"])
    return [
        ((name,), "lacks_kinds", {"kinds": ", ".join(sorted(kinds - set(m)))}, dict(m))
        for name, m in maps.items()
        if kinds - set(m)
    ]


def land(value: str) -> list[Error]:
    """A Land given as abbreviation, 2-digit code or AGS (empty: from the areas' AGS)."""
    try:
        land_code(value)
    except EngineValueError as exc:
        return [((), "engine", {"problem": exc.problem, "fix": exc.fix}, value)]
    return []
