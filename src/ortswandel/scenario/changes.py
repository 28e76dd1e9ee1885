"""Parsing of named scenarios (``"scenarios": [{"name": ..., "changes": [...]}]``)."""

from __future__ import annotations

from typing import Any

from ortswandel.engine import (
    AddDwellings,
    AgeGrid,
    LifeExpectancyPath,
    ScaleFertility,
    ScaleMigration,
    Scenario,
    TfrPath,
    defaults,
)
from ortswandel.engine.scenarios import Change

from .reader import Reader

__all__ = ["CHANGE_TYPES", "parse_scenarios"]

CHANGE_TYPES = {
    "scale_fertility": {"factor"},
    "scale_migration": {"factor"},
    "tfr_path": {"tfr"},
    "e0_path": {"female", "male"},
    "add_dwellings": {
        "from_year",
        "per_year",
        "years",
        "occupants",
        "share_from_outside",
        "building_type",
        "areas",
    },
}


def _change(  # noqa: PLR0911 - one return per change type
    r: Reader,
    value: Any,
    where: str,
    ids: tuple[str, ...],
) -> Change | None:
    kind = value.get("type") if isinstance(value, dict) else None
    if not isinstance(kind, str) or kind not in CHANGE_TYPES:
        r.add(
            f"{where}.type",
            f"unknown change type {kind!r}",
            f"use one of {', '.join(sorted(CHANGE_TYPES))}",
        )
        return None
    required = {"type", *CHANGE_TYPES[kind]} - {
        "years",
        "occupants",
        "share_from_outside",
        "building_type",
        "areas",
    }
    obj = r.obj(value, where, {"type", *CHANGE_TYPES[kind]}, required)
    if obj is None or not required <= set(obj):
        return None
    if kind in ("scale_fertility", "scale_migration"):
        f = r.number(obj["factor"], f"{where}.factor", minimum=0, maximum=100)
        if f is None:
            return None
        return ScaleFertility(f) if kind == "scale_fertility" else ScaleMigration(f)
    if kind == "tfr_path":
        v = r.vector(obj["tfr"], f"{where}.tfr", None, unit="TFR values", maximum=10)
        return None if v is None else TfrPath(tuple(v))
    if kind == "e0_path":
        fem = r.vector(obj["female"], f"{where}.female", None, unit="years", maximum=130)
        mal = r.vector(obj["male"], f"{where}.male", None, unit="years", maximum=130)
        return None if fem is None or mal is None else LifeExpectancyPath(tuple(fem), tuple(mal))
    return _add_dwellings(r, obj, where, ids)


def _add_dwellings(
    r: Reader, obj: dict[str, Any], where: str, ids: tuple[str, ...]
) -> Change | None:
    occupants = defaults.numbers("occupants_per_dwelling")
    btype = obj.get("building_type", "semi_detached")
    if not isinstance(btype, str) or not btype.strip():
        r.add(f"{where}.building_type", "must be a non-empty text", 'e.g. "detached" or "flat"')
        return None
    if "occupants" not in obj and btype not in occupants:
        r.add(
            f"{where}.occupants",
            f"missing for building type {btype!r}",
            f"give persons per dwelling, or use a building type with a default: "
            f"{', '.join(sorted(occupants))}",
        )
        return None
    areas: list[int] = []
    if "areas" in obj:
        sel = obj["areas"]
        unknown = [a for a in sel if a not in ids] if isinstance(sel, list) else None
        if unknown is None or not sel or unknown:
            r.add(
                f"{where}.areas",
                "must be a non-empty list of area ids"
                if unknown is None or not sel
                else f"unknown area ids {unknown[:3]}",
                f"use ids of 'areas', e.g. {list(ids[:2])}",
            )
            return None
        areas = sorted({ids.index(a) for a in sel})
    vals = {
        "from_year": r.number(
            obj["from_year"], f"{where}.from_year", integer=True, minimum=1800, maximum=2300
        ),
        "per_year": r.number(obj["per_year"], f"{where}.per_year", minimum=0),
        "years": r.number(
            obj.get("years", 1), f"{where}.years", integer=True, minimum=1, maximum=500
        ),
        "occupants": r.number(
            obj.get("occupants", occupants.get(btype)), f"{where}.occupants", minimum=0, maximum=100
        ),
        "share_from_outside": r.number(
            obj.get("share_from_outside", defaults.number("share_from_outside")),
            f"{where}.share_from_outside",
            minimum=0,
            maximum=1,
        ),
    }
    if any(v is None for v in vals.values()):
        return None
    return AddDwellings(
        int(vals["from_year"] or 0),
        float(vals["per_year"] or 0),
        int(vals["years"] or 1),
        float(vals["occupants"] or 0),
        float(vals["share_from_outside"] or 0),
        btype,
        areas=tuple(areas),
    )


def parse_scenarios(
    r: Reader, value: Any, grid: AgeGrid, ids: tuple[str, ...] = ()
) -> list[Scenario]:
    """Parse the ``scenarios`` list (``grid`` is reserved for grid-dependent changes; ``ids``
    are the area ids a change may be restricted to)."""
    del grid
    if not isinstance(value, list):
        r.add("scenarios", "must be a list", 'give [{"name": "...", "changes": [...]}]')
        return []
    out = []
    for i, sc in enumerate(value):
        where = f"scenarios[{i}]"
        obj = r.obj(sc, where, {"name", "changes", "description"}, {"name", "changes"})
        if obj is None or not {"name", "changes"} <= set(obj):
            continue
        if not isinstance(obj["name"], str) or not obj["name"].strip():
            r.add(f"{where}.name", "must be a non-empty text", 'e.g. "niedrige Zuwanderung"')
            continue
        if not isinstance(obj["changes"], list):
            r.add(
                f"{where}.changes",
                "must be a list",
                'e.g. [{"type": "scale_migration", "factor": 0.5}]',
            )
            continue
        changes = [
            _change(r, c, f"{where}.changes[{j}]", ids) for j, c in enumerate(obj["changes"])
        ]
        out.append(Scenario(obj["name"], tuple(c for c in changes if c is not None)))
    names = [s.name for s in out]
    if len(set(names)) != len(names) or "Basis" in names:
        r.add(
            "scenarios",
            "names must be unique and not 'Basis' (the base run)",
            "rename the scenarios",
        )
    return out
