"""Importing an official table into the pool: parse, check everything, then write in one
transaction — or write nothing and report every problem with its line.

Checks before anything is written: encoding, structure and columns (the readers), numbers and
special signs, known region keys (unknown AGS → rejected), duplicate keys, measures without an
indicator. A re-import of the same file changes nothing (idempotent sync, see
:mod:`.values`); every run is recorded as an :class:`~ortswandel.datapool.models.ImportRun`.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from ortswandel.core.audit import audit_log
from ortswandel.core.changes import notify_content_changed
from ortswandel.core.errors import InvalidInput
from ortswandel.core.typing import ActingUser, account_of
from ortswandel.datapool.genesis.assumptions import parse_assumptions
from ortswandel.datapool.genesis.classic import parse_classic
from ortswandel.datapool.genesis.flat import looks_flat, parse_flat
from ortswandel.datapool.genesis.table import (
    Cell,
    Measure,
    ParsedTable,
    Problem,
    TableError,
    decode,
)
from ortswandel.datapool.genesis.vocab import Period
from ortswandel.datapool.genesis.wide import parse_wide
from ortswandel.datapool.models import ImportRun, Indicator, Level, Origin, SpatialUnit
from ortswandel.datapool.specs import IndicatorSpec, TableSpec

from .aggregation import Row, parse_breakdown
from .bulk import lock_pool
from .index import UnitIndex, UnitInfo
from .values import SyncCounts, computed_rows, recompute, sync_scope

_LEVEL_NAMES = {"regbez": "Regierungsbezirke/Statistische Regionen", **dict(Level.choices)}


class ImportRejected(InvalidInput):
    """The file was not imported; ``problems`` says why, line by line."""

    code = "import_rejected"

    def __init__(self, file_name: str, problems: list[Problem], run: ImportRun | None = None):
        self.problems = problems
        self.run = run
        count = len(problems)
        super().__init__(
            f"Die Datei „{file_name}“ wurde nicht importiert ({count} "
            f"{'Problem' if count == 1 else 'Probleme'}); es wurde nichts geändert. "
            + "; ".join(str(p) for p in problems[:3])
            + (" …" if count > 3 else ""),
            fields={"file": str(problems[0]) if problems else ""},
        )


@dataclass
class ImportReport:
    dataset: str
    file_name: str
    status: str
    counts: SyncCounts
    indicators: list[str]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    run_id: int | None = None


def parse_table(spec: TableSpec, data: bytes) -> ParsedTable:
    """Decode and parse ``data`` as ``spec`` says (raises :class:`TableError`)."""
    text, encoding = decode(data, spec.encoding)
    layout = spec.layout
    if layout == "auto":
        layout = "flat" if looks_flat(text) else "classic"
    if layout == "flat":
        parsed = parse_flat(text, encoding=encoding, decimal=spec.decimal)
    elif layout == "classic":
        parsed = parse_classic(
            text, encoding=encoding, decimal=spec.decimal, default_region=spec.default_region
        )
    elif layout == "wide":
        parsed = parse_wide(
            text,
            encoding=encoding,
            key_column=spec.wide_key_column,
            skip_columns=spec.wide_skip_columns,
            year=spec.wide_year,
        )
    else:
        raise TableError(f"Unbekanntes Layout „{layout}“.")
    if spec.extra == "assumptions":
        _add_assumptions(parsed)
    return parsed


def _add_assumptions(parsed: ParsedTable) -> None:
    import datetime as dt

    rows, _base = parse_assumptions(parsed.footer)
    if not rows:
        parsed.problem(None, "Die Annahmen der Vorausberechnung fehlen in der Fußnote.")
        return
    for row in rows:
        key = f"annahme-{row.measure}"
        parsed.measures.setdefault(key, Measure(f"Annahme {row.measure}"))
        period = Period(dt.date(row.year, 12, 31), "jahr")
        parsed.cells.append(
            Cell(0, key, "DG", period, row.breakdown, row.value, "", "Deutschland", row.note)
        )
    parsed.dimensions.setdefault("annahme", {"label": "Annahme"})


@dataclass
class _Plan:
    indicators: dict[str, IndicatorSpec] = field(default_factory=dict)
    rows: dict[str, dict[tuple[int | str, Any, str], Row]] = field(default_factory=dict)
    new_units: dict[str, SpatialUnit] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    period_kind: Counter[str] = field(default_factory=Counter)


@functools.lru_cache(maxsize=4096)
def _rename_cached(breakdown: str, names: tuple[tuple[str, str], ...], extra: str) -> str:
    return _rename(breakdown, dict(names), extra)


def _rename(breakdown: str, names: dict[str, str], extra: str) -> str:
    parts = parse_breakdown(breakdown)
    parts = {names.get(k, k): v for k, v in parts.items()}
    parts.update(parse_breakdown(extra))
    return ";".join(f"{k}={v}" for k, v in sorted(parts.items()))


def _plan(spec: TableSpec, parsed: ParsedTable, index: UnitIndex) -> _Plan:
    plan = _Plan()
    resolved: dict[str, IndicatorSpec | None] = {}
    unmapped = sum(1 for key in parsed.measures if key not in spec.measures)
    for key, measure in parsed.measures.items():
        target = spec.resolve(key, measure, unmapped)
        resolved[key] = target
        if target is None:
            if spec.ignore_unmapped:
                plan.notes.append(f"Merkmal „{measure.label}“ nicht übernommen")
            else:
                plan.problems.append(
                    Problem(None, f"Merkmal „{measure.label}“ ist keinem Indikator zugeordnet.")
                )
        else:
            plan.indicators.setdefault(target.code, target)
    skipped: Counter[str] = Counter()
    first_line: dict[tuple[str, tuple[int | str, Any, str]], int] = {}
    for cell in parsed.cells:
        target = resolved.get(cell.measure)
        if target is not None:
            _plan_cell(
                plan,
                cell,
                spec=spec,
                target=target,
                index=index,
                skipped=skipped,
                first_line=first_line,
            )
    for what, count in sorted(skipped.items()):
        plan.notes.append(f"{count} Werte übersprungen: {what}")
    return plan


def _plan_cell(
    plan: _Plan,
    cell: Cell,
    *,
    spec: TableSpec,
    target: IndicatorSpec,
    index: UnitIndex,
    skipped: Counter[str],
    first_line: dict[tuple[str, tuple[int | str, Any, str]], int],
) -> None:
    """Check one cell and add it to the plan (or a problem, or a skip note)."""
    region = cell.region or spec.default_region or ""
    level, unit = index.resolve(region)
    if level is None:
        _problem(plan, cell.line, f"„{region}“ ist kein Gebietsschlüssel")
        return
    if level not in spec.levels:
        skipped[f"Ebene {_LEVEL_NAMES.get(level, level)}"] += 1
        return
    if unit is None and cell.sign == "-":
        skipped["„-“ für unbekannte (frühere) Gebietseinheiten"] += 1
        return
    ref: int | str
    if unit is None:
        if not (spec.historical_units and level == Level.MUNICIPALITY):
            name = f" ({cell.region_name.strip()})" if cell.region_name.strip() else ""
            _problem(
                plan,
                cell.line,
                f"Gebietsschlüssel {region}{name} ist unbekannt: weder im Gemeindeverzeichnis "
                "noch als frühere Gebietseinheit erfasst",
            )
            return
        ref = _former_municipality(plan, spec, cell, region, index)
    elif cell.sign == "-" and not unit.in_force(cell.period.date):
        skipped["„-“ für Einheiten, die zum Stichtag nicht bestanden"] += 1
        return
    else:
        ref = unit.id
    names = tuple(sorted(spec.dimension_names.items()))
    key = (ref, cell.period.date, _rename_cached(cell.breakdown, names, target.breakdown))
    rows = plan.rows.setdefault(target.code, {})
    if key in rows:
        _problem(
            plan,
            cell.line,
            f"doppelter Wert für {region}, {cell.period.date:%d.%m.%Y}, "
            f"{key[2] or 'insgesamt'} (schon in Zeile {first_line[(target.code, key)]})",
        )
        return
    first_line[(target.code, key)] = cell.line
    plan.period_kind[cell.period.kind] += 1
    rows[key] = Row(
        value=cell.value,
        sign=cell.sign,
        origin=Origin.PUBLISHED,
        territorial_status=spec.territorial_status or cell.period.date,
        period_label=cell.period.label,
        note=cell.note,
    )


def _problem(plan: _Plan, line: int, message: str) -> None:
    problem = Problem(line or None, message)
    if len(plan.problems) < 200 and (not plan.problems or plan.problems[-1] != problem):
        plan.problems.append(problem)


def _former_municipality(
    plan: _Plan, spec: TableSpec, cell: Cell, region: str, index: UnitIndex
) -> str:
    ags = region[:5] + region[9:] if len(region) == 12 else region
    if ags not in plan.new_units:
        parent = (
            (index.by_key.get((Level.ASSOCIATION, region[:9])) if len(region) == 12 else None)
            or index.by_key.get((Level.DISTRICT, ags[:5]))
            or index.by_key.get((Level.STATE, ags[:2]))
        )
        status = spec.territorial_status or cell.period.date
        plan.new_units[ags] = SpatialUnit(
            level=Level.MUNICIPALITY,
            code=ags,
            name=cell.region_name.strip()[:200] or ags,
            ars=region if len(region) == 12 else "",
            parent_id=parent.id if parent else None,
            territorial_status=status,
            valid_until=status,
            in_register=False,
            note=(
                f"nicht im aktuellen Gemeindeverzeichnis; Werte mit Gebietsstand {status:%d.%m.%Y}"
            ),
        )
    return f"new:{ags}"


def _fail(
    *,
    spec: TableSpec,
    file_name: str,
    sha: str,
    problems: list[Problem],
    actor: ActingUser | None,
    started: float,
) -> ImportRejected:
    run = ImportRun.objects.create(
        dataset=spec.key,
        file_name=file_name,
        sha256=sha,
        status=ImportRun.Status.FAILED,
        actor=account_of(actor),
        seconds=round(time.perf_counter() - started, 3),
        problems=[p.as_dict() for p in problems],
    )
    return ImportRejected(file_name, problems, run)


def table_import(
    *,
    spec: TableSpec,
    data: bytes,
    file_name: str,
    actor: ActingUser | None = None,
    index: UnitIndex | None = None,
) -> ImportReport:
    """Import one table (all-or-nothing). Raises :class:`ImportRejected` with the problems."""
    started = time.perf_counter()
    sha = hashlib.sha256(data).hexdigest()
    try:
        parsed = parse_table(spec, data)
    except TableError as exc:
        problems = [Problem(exc.line, exc.reason)]
        raise _fail(
            spec=spec, file_name=file_name, sha=sha, problems=problems, actor=actor, started=started
        ) from None
    return import_parsed(
        spec=spec,
        parsed=parsed,
        file_name=file_name,
        sha=sha,
        actor=actor,
        index=index,
        started=started,
    )


def import_parsed(
    *,
    spec: TableSpec,
    parsed: ParsedTable,
    file_name: str,
    sha: str,
    actor: ActingUser | None = None,
    index: UnitIndex | None = None,
    started: float | None = None,
) -> ImportReport:
    """The checks and the write of :func:`table_import` for an already parsed table."""
    started = started if started is not None else time.perf_counter()
    if parsed.problems:
        raise _fail(
            spec=spec,
            file_name=file_name,
            sha=sha,
            problems=parsed.problems,
            actor=actor,
            started=started,
        )
    index = index or UnitIndex.load()
    plan = _plan(spec, parsed, index)
    plan.problems += _indicator_problems(plan)
    if plan.problems:
        raise _fail(
            spec=spec,
            file_name=file_name,
            sha=sha,
            problems=plan.problems,
            actor=actor,
            started=started,
        )
    with transaction.atomic():
        lock_pool()
        ids = _create_units(plan, index)
        counts = SyncCounts()
        touched: list[Indicator] = []
        for code, target in plan.indicators.items():
            indicator = _upsert_indicator(spec, parsed, target, plan)
            touched.append(indicator)
            published = {
                (ids[ref] if isinstance(ref, str) else ref, date, bd): row
                for (ref, date, bd), row in plan.rows.get(code, {}).items()
            }
            desired = {**published, **computed_rows(indicator, published, index)}
            dates = {date for _u, date, _b in published}
            counts.add(sync_scope(indicator, dates, desired))
        for dependent in Indicator.objects.filter(weight_indicator__in=touched).exclude(
            pk__in=[i.pk for i in touched]
        ):
            counts.add(recompute(dependent, index))
        status = ImportRun.Status.SUCCEEDED if counts.changed else ImportRun.Status.UNCHANGED
        seconds = round(time.perf_counter() - started, 3)
        run = ImportRun.objects.create(
            dataset=spec.key,
            file_name=file_name,
            sha256=sha,
            status=status,
            actor=account_of(actor),
            seconds=seconds,
            created=counts.created,
            updated=counts.updated,
            deleted=counts.deleted,
            unchanged=counts.unchanged,
            aggregated=counts.aggregated,
            indicators=sorted(plan.indicators),
            notes=plan.notes,
        )
        if counts.changed or plan.new_units:
            audit_log(
                action="datapool.import.completed",
                actor=actor,
                obj=run,
                payload={
                    "dataset": spec.key,
                    "file": file_name,
                    "sha256": sha,
                    "created": counts.created,
                    "updated": counts.updated,
                    "deleted": counts.deleted,
                    "former_units_created": len(plan.new_units),
                },
            )
            # Apps above derive data from the pool (the planning outlook): they queue their
            # work on commit (ortswandel.core.changes).
            notify_content_changed(objects=[run])
    return ImportReport(
        spec.key, file_name, status, counts, sorted(plan.indicators), plan.notes, seconds, run.pk
    )


def _indicator_problems(plan: _Plan) -> list[Problem]:
    problems = []
    existing = {i.code: i for i in Indicator.objects.filter(code__in=list(plan.indicators))}
    for code, target in plan.indicators.items():
        if code in existing and existing[code].is_register:
            problems.append(Problem(None, f"Indikator „{code}“ ist für Registerdaten reserviert."))
        if (
            target.weight
            and target.weight not in plan.indicators
            and not Indicator.objects.filter(code=target.weight).exists()
        ):
            problems.append(
                Problem(None, f"Gewichtungsindikator „{target.weight}“ fehlt: zuerst laden.")
            )
    return problems


def _create_units(plan: _Plan, index: UnitIndex) -> dict[str, int]:
    ids: dict[str, int] = {}
    for ags, unit in plan.new_units.items():
        existing = SpatialUnit.objects.filter(level=unit.level, code=unit.code).first()
        if existing is None:
            unit.save()
            existing = unit
        ids[f"new:{ags}"] = existing.pk
        index.add(
            UnitInfo(
                existing.pk,
                existing.level,
                existing.code,
                existing.name,
                existing.parent_id,
                existing.valid_from,
                existing.valid_until,
                existing.ars,
            )
        )
    return ids


def _upsert_indicator(
    spec: TableSpec, parsed: ParsedTable, target: IndicatorSpec, plan: _Plan
) -> Indicator:
    weight = Indicator.objects.filter(code=target.weight).first() if target.weight else None
    rows = plan.rows.get(target.code, {})
    dims = {
        name: parsed.dimensions.get(name, {"label": name})
        for _r, _d, bd in rows
        for name in parse_breakdown(bd)
    }
    for old, new in spec.dimension_names.items():
        if new in dims and old in parsed.dimensions:
            dims[new] = {**parsed.dimensions[old], "label": new.capitalize()}
    kind = plan.period_kind.most_common(1)[0][0] if plan.period_kind else "stichtag"
    values = {
        "name": target.name[:200],
        "unit": target.unit[:60],
        "definition": target.definition,
        "source_table": spec.source_table,
        "source": spec.source,
        "reference_date": spec.reference_date or parsed.stand,
        "licence": spec.licence,
        "attribution": spec.attribution,
        "period": kind,
        "aggregation": target.aggregation,
        "weight_indicator": weight,
        "weight_breakdown": target.weight_breakdown,
        "complete_tables": spec.complete,
        "dimensions": dims,
    }
    indicator, created = Indicator.objects.get_or_create(code=target.code, defaults=values)
    if not created and any(getattr(indicator, k) != v for k, v in values.items()):
        for name, value in values.items():
            setattr(indicator, name, value)
        indicator.updated_at = timezone.now()
        indicator.save()
    return indicator
