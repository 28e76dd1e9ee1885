"""Named scenarios (``"scenarios": [{"name": ..., "changes": [...]}]``) -> engine scenarios."""

from __future__ import annotations

from ortswandel.engine import (
    AddDwellings,
    LifeExpectancyPath,
    ScaleFertility,
    ScaleMigration,
    Scenario,
    TfrPath,
    defaults,
)
from ortswandel.engine.scenarios import Change

from . import sections as s

__all__ = ["CHANGE_TYPES", "build_scenarios"]

#: Change types and their fields (from the models).
CHANGE_TYPES = {
    "scale_fertility": s.ScaleFertility,
    "scale_migration": s.ScaleMigration,
    "tfr_path": s.TfrPathChange,
    "e0_path": s.E0PathChange,
    "add_dwellings": s.AddDwellings,
}


def _change(
    c: s.ScaleFertility | s.ScaleMigration | s.TfrPathChange | s.E0PathChange | s.AddDwellings,
    ids: tuple[str, ...],
) -> Change:
    if isinstance(c, s.ScaleFertility):
        return ScaleFertility(c.factor)
    if isinstance(c, s.ScaleMigration):
        return ScaleMigration(c.factor)
    if isinstance(c, s.TfrPathChange):
        return TfrPath(tuple(c.tfr))
    if isinstance(c, s.E0PathChange):
        return LifeExpectancyPath(tuple(c.female), tuple(c.male))
    occupants = c.occupants
    if occupants is None:
        occupants = defaults.numbers("occupants_per_dwelling")[c.building_type]
    return AddDwellings(
        c.from_year,
        c.per_year,
        c.years,
        occupants,
        c.share_from_outside,
        c.building_type,
        areas=tuple(sorted({ids.index(a) for a in c.areas or ()})),
    )


def build_scenarios(scenarios: list[s.ScenarioDef], ids: tuple[str, ...]) -> list[Scenario]:
    """Engine scenarios; ``ids`` are the area ids a change may be restricted to."""
    return [Scenario(sc.name, tuple(_change(c, ids) for c in sc.changes)) for sc in scenarios]
