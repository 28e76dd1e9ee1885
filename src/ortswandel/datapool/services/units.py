"""Spatial units from the official register (GV100AD) and recorded territorial changes.

:func:`spatial_units_import` creates or updates Germany, the Länder, Kreise, Gemeindeverbände
and Gemeinden of a GV100AD file (idempotent, one transaction). Units of earlier editions that
are no longer in the file are kept (values were published for them) and marked
``in_register=False``. :func:`territorial_changes_import` records mergers and incorporations
(e.g. 03152 + 03156 → 03159 on 01.11.2016), creating the dissolved units and bounding their
validity.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from ortswandel.core.audit import audit_log
from ortswandel.core.errors import InvalidInput
from ortswandel.core.typing import ActingUser
from ortswandel.datapool.genesis.gv100ad import RegisterUnits
from ortswandel.datapool.genesis.vocab import LAND_NAMES
from ortswandel.datapool.models import GERMANY_CODE, Level, SpatialUnit, TerritorialChange

from .bulk import lock_pool, update_rows

#: The five Länder that joined on 03.10.1990 (GENESIS marks them "-" before).
NEW_LAENDER = ("12", "13", "14", "15", "16")
REUNIFICATION = dt.date(1990, 10, 3)
CHANGES_FILE = Path(__file__).resolve().parent.parent / "data" / "gebietsaenderungen.csv"
_FIELDS = (
    "name",
    "ars",
    "type_code",
    "parent_id",
    "territorial_status",
    "valid_from",
    "valid_until",
    "in_register",
    "note",
)


@dataclass(frozen=True)
class UnitsReport:
    created: int
    updated: int
    unchanged: int
    retired: int
    reference_date: dt.date


def _desired(units: RegisterUnits) -> dict[tuple[str, str], dict[str, Any]]:
    status = units.reference_date
    rows: dict[tuple[str, str], dict[str, Any]] = {
        (Level.COUNTRY, GERMANY_CODE): {"name": "Deutschland", "parent": None}
    }
    for code, name in LAND_NAMES.items():
        rows[(Level.STATE, code)] = {
            "name": name,
            "parent": (Level.COUNTRY, GERMANY_CODE),
            "valid_from": REUNIFICATION if code in NEW_LAENDER else None,
            "note": "Berlin: bis 1990 nur Berlin-West" if code == "11" else "",
        }
    for record in units.units:
        level = Level(record.level)
        row: dict[str, Any] = {"name": record.name, "type_code": record.type_code}
        if level == Level.STATE:
            row["parent"] = (Level.COUNTRY, GERMANY_CODE)
            row["valid_from"] = REUNIFICATION if record.code in NEW_LAENDER else None
            row["note"] = rows.get((level, record.code), {}).get("note", "")
        elif level == Level.DISTRICT:
            row["parent"] = (Level.STATE, record.parent_code)
        elif level == Level.ASSOCIATION:
            row["parent"] = (Level.DISTRICT, record.parent_code)
        else:
            row["ars"] = record.ars
            parent_level = Level.ASSOCIATION if len(record.parent_code) == 9 else Level.DISTRICT
            row["parent"] = (parent_level, record.parent_code)
        rows[(level, record.code)] = row
    for row in rows.values():
        row.setdefault("ars", "")
        row.setdefault("type_code", "")
        row.setdefault("valid_from", None)
        row.setdefault("valid_until", None)
        row.setdefault("note", "")
        row["territorial_status"] = status
        row["in_register"] = True
    # A unit whose parent is missing (e.g. the condominium 07000999 has no Kreis) hangs under
    # the next existing level up.
    for row in rows.values():
        parent = row["parent"]
        while parent is not None and parent not in rows:
            parent = _level_up(parent)
        row["parent"] = parent
    return rows


def _level_up(key: tuple[str, str]) -> tuple[str, str] | None:
    level, code = key
    if level == Level.ASSOCIATION:
        return (Level.DISTRICT, code[:5])
    if level == Level.DISTRICT:
        return (Level.STATE, code[:2])
    if level == Level.STATE:
        return (Level.COUNTRY, GERMANY_CODE)
    return None


def spatial_units_import(
    *, units: RegisterUnits, actor: ActingUser | None = None, source: str = ""
) -> UnitsReport:
    """Create/update all units of ``units`` (one transaction, idempotent)."""
    desired = _desired(units)
    with transaction.atomic():
        lock_pool()
        existing = {(u.level, u.code): u for u in SpatialUnit.objects.all()}
        new = [
            SpatialUnit(level=level, code=code, name=row["name"])
            for (level, code), row in desired.items()
            if (level, code) not in existing
        ]
        SpatialUnit.objects.bulk_create(new, batch_size=1000)
        ids = {(u.level, u.code): u.pk for u in SpatialUnit.objects.only("id", "level", "code")}
        updates = []
        unchanged = 0
        for key, row in desired.items():
            values = {name: row.get(name) for name in _FIELDS if name != "parent_id"}
            values["parent_id"] = ids[row["parent"]] if row["parent"] else None
            current = existing.get(key)
            if current is not None:
                # validity recorded by territorial changes is kept
                values["valid_from"] = values["valid_from"] or current.valid_from
                values["valid_until"] = values["valid_until"] or current.valid_until
            if current is not None and all(
                getattr(current, name) == values[name] for name in _FIELDS
            ):
                unchanged += 1
                continue
            updates.append([values[name] for name in _FIELDS] + [ids[key]])
        retired = [
            [u.pk]
            for key, u in existing.items()
            if key not in desired and u.in_register and u.valid_until is None
        ]
        note = f"nicht mehr im Gemeindeverzeichnis (Gebietsstand {units.reference_date:%d.%m.%Y})"
        update_rows(SpatialUnit, _FIELDS, updates)
        update_rows(SpatialUnit, ("in_register", "note"), [[False, note, *r] for r in retired])
        report = UnitsReport(
            created=len(new),
            updated=len(updates) - len(new),
            unchanged=unchanged,
            retired=len(retired),
            reference_date=units.reference_date,
        )
        if new or updates or retired:
            audit_log(
                action="datapool.units.imported",
                actor=actor,
                payload={**asdict(report), "source": source},
            )
    return report


# ----------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class ChangeRow:
    line: int
    date: dt.date
    level: str
    kind: str
    successor: str
    predecessor: str
    predecessor_name: str
    source: str


def read_changes(text: str) -> list[ChangeRow]:
    """Rows of a ``gebietsaenderungen.csv`` (``;``, UTF-8): ``datum;ebene;art;nachfolger;
    vorgaenger;vorgaenger_name;quelle``. Raises :class:`InvalidInput` naming the line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    need = {"datum", "ebene", "art", "nachfolger", "vorgaenger", "vorgaenger_name", "quelle"}
    if not need <= set(reader.fieldnames or ()):
        raise InvalidInput(f"Gebietsänderungen: Spalten {', '.join(sorted(need))} erwartet.")
    rows = []
    for raw in reader:
        line = reader.line_num
        try:
            date = dt.date.fromisoformat(raw["datum"].strip())
        except ValueError:
            raise InvalidInput(
                f"Gebietsänderungen, Zeile {line}: Datum JJJJ-MM-TT erwartet."
            ) from None
        if raw["ebene"] not in Level.values or raw["art"] not in TerritorialChange.Kind.values:
            raise InvalidInput(f"Gebietsänderungen, Zeile {line}: Ebene oder Art unbekannt.")
        rows.append(
            ChangeRow(
                line,
                date,
                raw["ebene"],
                raw["art"],
                raw["nachfolger"].strip(),
                raw["vorgaenger"].strip(),
                raw["vorgaenger_name"].strip(),
                raw["quelle"].strip(),
            )
        )
    return rows


def territorial_changes_import(*, rows: list[ChangeRow], actor: ActingUser | None = None) -> int:
    """Record the changes of ``rows``; returns how many changes were created or changed.
    Changes whose successor is not among the units (not in the loaded register) are skipped.

    Predecessors missing from the units are created as former units (``in_register=False``)
    with the given name; a predecessor other than the successor gets ``valid_until`` = the day
    before the change; a successor that is not among its predecessors gets ``valid_from``.
    """
    changed = 0
    with transaction.atomic():
        lock_pool()
        grouped: dict[tuple[dt.date, str, str], list[ChangeRow]] = {}
        for row in rows:
            grouped.setdefault((row.date, row.level, row.successor), []).append(row)
        for (date, level, successor_code), items in grouped.items():
            successor = SpatialUnit.objects.filter(level=level, code=successor_code).first()
            if successor is None:
                continue  # not in this register (e.g. a partial test register): not applicable
            predecessors = []
            for row in items:
                unit = _predecessor(row, successor, date)
                predecessors.append(unit)
            if successor.pk not in {p.pk for p in predecessors} and successor.valid_from != date:
                successor.valid_from = date
                successor.save(update_fields=["valid_from"])
            change, created = TerritorialChange.objects.get_or_create(
                date=date,
                successor=successor,
                defaults={"level": level, "kind": items[0].kind, "source": items[0].source},
            )
            if created or set(change.predecessors.values_list("pk", flat=True)) != {
                p.pk for p in predecessors
            }:
                change.predecessors.set(predecessors)
                changed += 1
        if changed:
            audit_log(action="datapool.changes.imported", actor=actor, payload={"changes": changed})
    return changed


def _predecessor(row: ChangeRow, successor: SpatialUnit, date: dt.date) -> SpatialUnit:
    if row.predecessor == successor.code:
        return successor
    until = date - dt.timedelta(days=1)
    unit, created = SpatialUnit.objects.get_or_create(
        level=row.level,
        code=row.predecessor,
        defaults={
            "name": row.predecessor_name,
            "parent": successor.parent,
            "territorial_status": until,
            "valid_until": until,
            "in_register": False,
            "note": f"aufgegangen in {successor.name} ({successor.code}) am {date:%d.%m.%Y}",
        },
    )
    if not created and unit.valid_until != until:
        unit.valid_until = until
        unit.save(update_fields=["valid_until"])
    return unit


def load_default_changes(*, actor: ActingUser | None = None) -> int:
    return territorial_changes_import(
        rows=read_changes(CHANGES_FILE.read_text(encoding="utf-8")), actor=actor
    )
