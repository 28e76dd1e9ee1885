"""All spatial units in memory (about 16,000): keys → ids, the tree and validity dates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ortswandel.datapool.genesis.vocab import region_level
from ortswandel.datapool.models import GERMANY_CODE, Level, SpatialUnit


@dataclass(frozen=True, slots=True)
class UnitInfo:
    id: int
    level: str
    code: str
    name: str
    parent_id: int | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    ars: str

    def in_force(self, date: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_until is None or date <= self.valid_until
        )


class UnitIndex:
    def __init__(self, units: list[UnitInfo]) -> None:
        self.by_id = {u.id: u for u in units}
        self.by_key = {(u.level, u.code): u for u in units}
        self.by_ars = {u.ars: u for u in units if u.ars}
        self.children: dict[int, list[UnitInfo]] = defaultdict(list)
        self._resolved: dict[str, tuple[str | None, UnitInfo | None]] = {}
        for unit in units:
            if unit.parent_id is not None:
                self.children[unit.parent_id].append(unit)

    @classmethod
    def load(cls) -> UnitIndex:
        rows = SpatialUnit.objects.values_list(
            "id", "level", "code", "name", "parent_id", "valid_from", "valid_until", "ars"
        )
        return cls([UnitInfo(*row) for row in rows])

    def add(self, unit: UnitInfo) -> None:
        self._resolved.clear()
        self.by_id[unit.id] = unit
        self.by_key[(unit.level, unit.code)] = unit
        if unit.ars:
            self.by_ars[unit.ars] = unit
        if unit.parent_id is not None:
            self.children[unit.parent_id].append(unit)

    def parent_of(self, unit_id: int) -> int | None:
        return self.by_id[unit_id].parent_id

    def level_of(self, unit_id: int) -> str:
        return self.by_id[unit_id].level

    def children_in_force(self, parent_id: int, level: str, date: dt.date) -> set[int]:
        return {
            u.id for u in self.children.get(parent_id, ()) if u.level == level and u.in_force(date)
        }

    def resolve(self, code: str) -> tuple[str | None, UnitInfo | None]:
        found = self._resolved.get(code)
        if found is None:
            found = self._resolved[code] = self._resolve(code)
        return found

    def _resolve(self, code: str) -> tuple[str | None, UnitInfo | None]:
        """(level, unit) for a region key of a table; level ``None`` if it is no key.

        A 12-digit ARS resolves through the register's ARS, else through the AGS it contains
        (the municipality kept its AGS but changed its Gemeindeverband).
        """
        level = region_level(code)
        if level is None:
            return None, None
        if level == "bund":
            return Level.COUNTRY, self.by_key.get((Level.COUNTRY, GERMANY_CODE))
        if level == "ars":
            unit = self.by_ars.get(code) or self.by_key.get(
                (Level.MUNICIPALITY, code[:5] + code[9:])
            )
            return Level.MUNICIPALITY, unit
        if level == "regbez":
            return "regbez", None
        return level, self.by_key.get((level, code))
