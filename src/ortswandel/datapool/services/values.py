"""Writing values idempotently: compare what should be with what is, write only differences.

The scope of a sync is one indicator and a set of dates: a table is authoritative for the
indicators it feeds at the dates it contains (another file with other dates — e.g. the next life
table — does not touch them). Published and computed rows of the scope are written together,
so that a value published later replaces the computed one at the same key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ortswandel.datapool.models import Indicator, Origin, Value

from .aggregation import IndicatorRule, Key, Row, hierarchy_aggregates, marginal_totals
from .bulk import date_param, delete_ids, insert_rows, update_rows
from .index import UnitIndex

_SYNCED = (Origin.PUBLISHED, Origin.AGGREGATED)
_ROW_FIELDS = ("value", "sign", "origin", "territorial_status", "period_label", "note")
_INSERT_FIELDS = ("indicator", "unit", "date", "breakdown", *_ROW_FIELDS, "is_private")


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    aggregated: int = 0  # computed rows among created/updated
    dates: set[dt.date] = field(default_factory=set)

    def add(self, other: SyncCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.deleted += other.deleted
        self.unchanged += other.unchanged
        self.aggregated += other.aggregated

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def load_rows(
    indicator: Indicator, dates: Iterable[dt.date] | None, origins: Iterable[str]
) -> dict[Key, tuple[int, Row]]:
    queryset = Value.objects.filter(indicator=indicator, origin__in=list(origins))
    if dates is not None:
        queryset = queryset.filter(date__in=sorted(set(dates)))
    return {
        (unit, date, breakdown): (pk, Row(*rest))
        for pk, unit, date, breakdown, *rest in queryset.values_list(
            "id", "unit_id", "date", "breakdown", *_ROW_FIELDS
        ).iterator(chunk_size=5000)
    }


def load_weights(
    indicator: Indicator, dates: Iterable[dt.date]
) -> dict[tuple[int, dt.date], float | None] | None:
    if indicator.weight_indicator_id is None:
        return None
    queryset = Value.objects.filter(
        indicator_id=indicator.weight_indicator_id,
        breakdown=indicator.weight_breakdown,
        date__in=sorted(set(dates)),
        is_private=False,
    )
    return {
        (unit, date): value
        for unit, date, value in queryset.values_list("unit_id", "date", "value")
    }


def rule_for(indicator: Indicator) -> IndicatorRule:
    weight = indicator.weight_indicator
    label = weight.name if weight else ""
    if weight and indicator.weight_breakdown:
        label = f"{label} ({indicator.weight_breakdown})"
    return IndicatorRule(indicator.aggregation, indicator.complete_tables, label)


def computed_rows(
    indicator: Indicator, published: dict[Key, Row], index: UnitIndex
) -> dict[Key, Row]:
    """Totals over breakdowns and aggregates up the hierarchy for ``published``."""
    if indicator.aggregation == "none":
        return {}
    totals = marginal_totals(published) if indicator.aggregation == "sum" else {}
    base = {**published, **totals}
    weights = load_weights(indicator, {date for _u, date, _b in published})
    up = hierarchy_aggregates(base, rule=rule_for(indicator), index=index, weights=weights)
    return {**totals, **up}


def sync_scope(
    indicator: Indicator,
    dates: set[dt.date],
    desired: dict[Key, Row],
) -> SyncCounts:
    """Make the published and computed rows of ``indicator`` at ``dates`` equal ``desired``."""
    counts = SyncCounts(dates=set(dates))
    existing = load_rows(indicator, dates, _SYNCED)
    creates: list[tuple[object, ...]] = []
    updates: list[list[object]] = []
    for key, row in desired.items():
        current = existing.pop(key, None)
        if current is None:
            unit, date, breakdown = key
            creates.append(
                (
                    indicator.pk,
                    unit,
                    date_param(date),
                    breakdown,
                    row.value,
                    row.sign,
                    row.origin,
                    date_param(row.territorial_status),
                    row.period_label,
                    row.note,
                    False,
                )
            )
        elif current[1].fields() != row.fields():
            updates.append([*row.fields(), current[0]])
        else:
            counts.unchanged += 1
            continue
        if row.origin == Origin.AGGREGATED:
            counts.aggregated += 1
    stale = [pk for pk, _row in existing.values()]
    delete_ids(Value, stale)
    update_rows(Value, _ROW_FIELDS, updates)
    insert_rows(Value, _INSERT_FIELDS, creates, convert=False)
    counts.created, counts.updated, counts.deleted = len(creates), len(updates), len(stale)
    return counts


def recompute(
    indicator: Indicator, index: UnitIndex, dates: set[dt.date] | None = None
) -> SyncCounts:
    """Recompute the computed rows of ``indicator`` from its stored published rows (e.g. after
    its weights changed)."""
    published = {
        key: row for key, (_pk, row) in load_rows(indicator, dates, [Origin.PUBLISHED]).items()
    }
    all_dates = dates if dates is not None else {date for _u, date, _b in published}
    desired = {**published, **computed_rows(indicator, published, index)}
    return sync_scope(indicator, set(all_dates), desired)
