"""Aggregation up the hierarchy (never down) and totals over breakdowns.

Rules:

* ``sum`` for counts, ``weighted_mean`` for rates (weights: another indicator, e.g. the
  population, at the same unit and date), ``none`` otherwise.
* A published value always wins; a computed one only fills a gap and says how it was made.
* A parent is computed only when its children allow it: a child with an unknown or secret value
  (``.``, ``x`` …) makes the parent unknown (not computed); Land and Germany need a value for
  every Kreis/Land in force at the date (recorded territorial changes decide which); for
  Gemeindeverband and Kreis the indicator's tables must list every unit of their level
  (``Indicator.complete_tables``), since municipal changes are not all recorded.
* Totals over breakdowns (e.g. both sexes of an age group) are added when every value of the
  indicator has the same breakdown dimensions (the table has no totals of its own).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from ortswandel.datapool.models import Aggregation, Level, Origin

from .index import UnitIndex

Key = tuple[int, dt.date, str]  # unit id, date, breakdown

_PLURAL: dict[str, str] = {
    Level.MUNICIPALITY: "Gemeinden",
    Level.ASSOCIATION: "Gemeindeverbänden",
    Level.DISTRICT: "Kreisen",
    Level.STATE: "Ländern",
}
_DIMENSION_NAMES = {"sex": "Geschlecht", "age": "Alter", "nat": "Nationalität"}


@dataclass(slots=True)
class Row:
    value: float | None
    sign: str = ""
    origin: str = Origin.PUBLISHED
    territorial_status: dt.date | None = None
    period_label: str = ""
    note: str = ""

    def fields(self) -> tuple[object, ...]:
        return (
            self.value,
            self.sign,
            self.origin,
            self.territorial_status,
            self.period_label,
            self.note,
        )


_PARSED: dict[str, dict[str, str]] = {}


def parse_breakdown(breakdown: str) -> dict[str, str]:
    """``age=27;sex=w`` → ``{"age": "27", "sex": "w"}`` (a fresh dict; parses are memoised)."""
    parsed = _PARSED.get(breakdown)
    if parsed is None:
        parsed = dict(part.split("=", 1) for part in breakdown.split(";")) if breakdown else {}
        if len(_PARSED) < 100_000:
            _PARSED[breakdown] = parsed
    return dict(parsed)


def _key(parts: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(parts.items()))


def _common(values: list[dt.date | None]) -> dt.date | None:
    first = values[0]
    return first if all(v == first for v in values) else None


def marginal_totals(rows: dict[Key, Row]) -> dict[Key, Row]:
    """Sums over every proper subset of the breakdown dimensions (only if all rows have the
    same, non-empty set of dimensions)."""
    dimension_sets = {frozenset(parse_breakdown(bd)) for _u, _d, bd in rows}
    if len(dimension_sets) != 1:
        return {}
    dimensions = sorted(next(iter(dimension_sets)))
    if not dimensions or len(dimensions) > 3:
        return {}
    groups: dict[Key, list[Row]] = defaultdict(list)
    subsets = [kept for size in range(len(dimensions)) for kept in combinations(dimensions, size)]
    targets: dict[str, list[str]] = {}
    for (unit, date, breakdown), row in rows.items():
        keys = targets.get(breakdown)
        if keys is None:
            parts = parse_breakdown(breakdown)
            keys = targets[breakdown] = [_key({d: parts[d] for d in kept}) for kept in subsets]
        for target in keys:
            groups[(unit, date, target)].append(row)
    out: dict[Key, Row] = {}
    for group, items in groups.items():
        if any(item.value is None for item in items):
            continue
        summed = parse_breakdown(group[2])
        over = ", ".join(_DIMENSION_NAMES.get(d, d) for d in dimensions if d not in summed)
        out[group] = Row(
            value=sum(item.value for item in items if item.value is not None),
            sign="-" if all(item.sign == "-" for item in items) else "",
            origin=Origin.AGGREGATED,
            territorial_status=_common([item.territorial_status for item in items]),
            period_label=items[0].period_label,
            note=f"berechnet: Summe über {over}",
        )
    return out


@dataclass(frozen=True)
class IndicatorRule:
    aggregation: str
    complete_tables: bool
    weight_name: str = ""


def hierarchy_aggregates(
    rows: dict[Key, Row],
    *,
    rule: IndicatorRule,
    index: UnitIndex,
    weights: dict[tuple[int, dt.date], float | None] | None = None,
) -> dict[Key, Row]:
    """Computed values for the parents of ``rows`` (level by level, bottom-up)."""
    if rule.aggregation == Aggregation.NONE:
        return {}
    values = dict(rows)
    out: dict[Key, Row] = {}
    parents: dict[int, tuple[int | None, str]] = {}
    # rows grouped once by the level of their unit's parent; computed rows join the bucket of
    # the next level up as they are made
    buckets: dict[str, dict[Key, list[tuple[int, Row]]]] = defaultdict(lambda: defaultdict(list))

    def place(unit: int, date: dt.date, breakdown: str, row: Row) -> None:
        known = parents.get(unit)
        if known is None:
            parent = index.parent_of(unit)
            known = parents[unit] = (parent, index.level_of(parent) if parent else "")
        if known[0] is not None:
            buckets[known[1]][(known[0], date, breakdown)].append((unit, row))

    for (unit, date, breakdown), row in values.items():
        place(unit, date, breakdown, row)
    for level in (Level.ASSOCIATION, Level.DISTRICT, Level.STATE, Level.COUNTRY):
        groups = buckets.pop(level, {})
        for key in sorted(groups, key=lambda k: (k[0], k[1], k[2])):
            if key in values:
                continue
            items = sorted(groups[key], key=lambda i: i[0])
            combined = _combine(key, items, level=level, rule=rule, index=index, weights=weights)
            if combined is not None:
                out[key] = values[key] = combined
                place(*key, combined)
    return out


def _combine(
    key: Key,
    items: list[tuple[int, Row]],
    *,
    level: str,
    rule: IndicatorRule,
    index: UnitIndex,
    weights: dict[tuple[int, dt.date], float | None] | None,
) -> Row | None:
    parent, date, _breakdown = key
    if level in (Level.ASSOCIATION, Level.DISTRICT) and not rule.complete_tables:
        return None
    if level in (Level.STATE, Level.COUNTRY):
        child_level = Level.DISTRICT if level == Level.STATE else Level.STATE
        required = index.children_in_force(parent, child_level, date)
        if not required or not required <= {unit for unit, _row in items}:
            return None
    if any(row.value is None for _unit, row in items):
        return None
    child_levels = {index.level_of(unit) for unit, _row in items}
    what = _PLURAL.get(min(child_levels, key=_rank), "Einheiten") if child_levels else ""
    if rule.aggregation == Aggregation.SUM:
        value: float | None = sum(row.value for _u, row in items if row.value is not None)
        note = f"berechnet: Summe aus {len(items)} {what}"
    else:
        value = _weighted_mean(items, date, weights)
        note = f"berechnet: Mittelwert aus {len(items)} {what}, gewichtet mit {rule.weight_name}"
    if value is None:
        return None
    return Row(
        value=value,
        sign="",
        origin=Origin.AGGREGATED,
        territorial_status=_common([row.territorial_status for _u, row in items]),
        period_label=items[0][1].period_label,
        note=note[:300],
    )


def _rank(level: str) -> int:
    order = [Level.MUNICIPALITY, Level.ASSOCIATION, Level.DISTRICT, Level.STATE, Level.COUNTRY]
    return order.index(Level(level))


def _weighted_mean(
    items: list[tuple[int, Row]],
    date: dt.date,
    weights: dict[tuple[int, dt.date], float | None] | None,
) -> float | None:
    """Mean of the children's values weighted with their weights at ``date``; ``None`` if a
    weight is missing or all weights are zero."""
    if weights is None:
        return None
    pairs = [(row.value, weights.get((unit, date))) for unit, row in items]
    if any(w is None or v is None for v, w in pairs):
        return None
    total = sum(w for _v, w in pairs if w is not None)
    if total <= 0:
        return None
    return round(sum(v * w for v, w in pairs if v is not None and w is not None) / total, 6)
