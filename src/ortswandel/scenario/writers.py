"""Result tables and writers (CSV, JSON, XLSX).

Tables (every one long format, one value per row):

* ``population``: ``year, area, sex, age, population`` (age = first age of group), plus
  ``scenario`` when the file compares scenarios (more than the base)
* ``components``: ``year, area, sex, component, persons, scenario`` (per step starting in ``year``;
  components ``births, deaths, net, in, out, housing, clipped, net_migration``). ``year`` labels
  the stock the step starts from: with stocks of 31.12. (files of the scenario builder) the row
  ``2022`` holds what happens in the calendar year 2023 (docs/scenario-format.md, "Year labels")
* ``clipped``: ``year, area, sex, age, persons_added, scenario`` (cells that would have become
  negative in the step starting in ``year``; only written if there are any)
* ``differences``: ``year, area, age_band, difference, scenario`` (scenario - base)
* ``infrastructure``: ``year, area, facility, demand, capacity, utilisation, classes, scenario``
* ``capacity_summary``: ``area, facility, first_year_exceeded, first_year_below_threshold,
  scenario``
* ``budget``: ``year, area, item, eur, scenario``; ``budget_npv``: ``area, npv_eur, scenario``
* ``quantiles``: ``year, area, measure, q10, q50, q90, scenario``

CSV: ``population`` goes to the given file, every other table to
``<stem>_<table>.csv`` beside it. JSON: one object ``{table: [records]}``.
XLSX: one sheet per table.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ortswandel.engine import SEXES

from .problems import ScenarioError, problem
from .run import RunResult

__all__ = ["FORMATS", "MAX_ROWS", "check_size", "row_count", "tables", "write"]

FORMATS = ("csv", "json", "xlsx")
Table = tuple[list[str], list[list[Any]]]


def _num(x: float) -> float | None:
    """A value rounded to 6 decimals; ``None`` (an empty cell) if it is not finite, e.g. the
    utilisation of a capacity of 0."""
    v = float(x)
    return round(v, 6) if math.isfinite(v) else None


def _eur(x: float) -> float | None:
    v = float(x)
    return round(v, 2) if math.isfinite(v) else None


def _with_scenarios(res: RunResult) -> bool:
    """Whether the population table needs the ``scenario`` column (more than the base)."""
    return len(res.projections) > 1


def _population(res: RunResult) -> Iterator[list[Any]]:
    tag = _with_scenarios(res)
    for name, p in res.projections.items():
        ids = p.area_ids or tuple(str(i + 1) for i in range(p.population.shape[1]))
        ages = p.grid.starts
        for ti, year in enumerate(p.years):
            for ai, area in enumerate(ids):
                for si, sex in enumerate(SEXES):
                    row = p.population[ti, ai, si]
                    for gi, age in enumerate(ages):
                        out = [int(year), area, sex, int(age), _num(row[gi])]
                        yield [*out, name] if tag else out


def _components(res: RunResult) -> Iterator[list[Any]]:
    for name, p in res.projections.items():
        ids = p.area_ids or tuple(str(i + 1) for i in range(p.population.shape[1]))
        comps = {
            "births": p.births,
            "deaths": p.deaths,
            **p.migration,
            "clipped": p.clipped,
            "net_migration": p.net_migration,
        }
        for comp, arr in comps.items():
            a3 = arr.sum(axis=3) if arr.ndim == 4 else arr
            for ti, year in enumerate(p.years[:-1]):
                for ai, area in enumerate(ids):
                    for si, sex in enumerate(SEXES):
                        yield [int(year), area, sex, comp, _num(a3[ti, ai, si]), name]


def _clip_events(res: RunResult) -> Iterator[list[Any]]:
    for name, p in res.projections.items():
        ids = p.area_ids or tuple(str(i + 1) for i in range(p.population.shape[1]))
        ages = p.grid.starts
        for step, area, sex, age, added in p.clip_events:
            yield [
                int(p.years[int(step)]),
                ids[int(area)],
                SEXES[int(sex)],
                int(ages[int(age)]),
                _num(added),
                name,
            ]


def _band_label(lo: int, hi: int | None) -> str:
    return f"{lo}+" if hi is None else f"{lo}-{hi - 1}"


def _differences(res: RunResult) -> Iterator[list[Any]]:
    base = res.projections.get("Basis")
    for name, c in res.comparisons.items():
        assert base is not None  # noqa: S101 - comparisons exist only with a base
        ids = base.area_ids or tuple(str(i + 1) for i in range(c.total.shape[1]))
        for ti, year in enumerate(base.years):
            for ai, area in enumerate(ids):
                yield [int(year), area, "total", _num(c.total[ti, ai]), name]
                for bi, (lo, hi) in enumerate(c.bands):
                    yield [int(year), area, _band_label(lo, hi), _num(c.by_band[ti, ai, bi]), name]


def _infrastructure(res: RunResult) -> Iterator[list[Any]]:
    for name, dem in res.demand.items():
        p = res.projections[name]
        ids = p.area_ids or tuple(str(i + 1) for i in range(p.population.shape[1]))
        caps = res.capacity.get(name, {})
        classes = res.classes.get(name, {})
        for fac, d in dem.items():
            chk = caps.get(fac)
            cap = res.spec.infrastructure.capacities.get(fac) if res.spec.infrastructure else None
            for ti, year in enumerate(p.years):
                for ai, area in enumerate(ids):
                    util = None if chk is None else _num(chk.utilisation[ti, ai])
                    cls = classes[fac][ti, ai] if fac in classes else None
                    yield [
                        int(year),
                        area,
                        fac,
                        _num(d[ti, ai]),
                        None if cap is None else _num(cap[ai]),
                        util,
                        None if cls is None else int(cls),
                        name,
                    ]


def _capacity_summary(res: RunResult) -> Iterator[list[Any]]:
    for name, caps in res.capacity.items():
        p = res.projections[name]
        ids = p.area_ids or tuple(str(i + 1) for i in range(p.population.shape[1]))
        for fac, chk in caps.items():
            for ai, area in enumerate(ids):
                exc, below = int(chk.first_exceeded[ai]), int(chk.first_below[ai])
                yield [area, fac, exc if exc >= 0 else None, below if below >= 0 else None, name]


def _budget(res: RunResult) -> Iterator[list[Any]]:
    for name, b in res.budgets.items():
        ids = res.projections[name].area_ids or tuple(str(i + 1) for i in range(b.net.shape[1]))
        for item, arr in {**b.items, "net": b.net}.items():
            for ti, year in enumerate(b.years):
                for ai, area in enumerate(ids):
                    yield [int(year), area, item, _eur(arr[ti, ai]), name]


def _npv(res: RunResult) -> Iterator[list[Any]]:
    for name, b in res.budgets.items():
        ids = res.projections[name].area_ids or tuple(str(i + 1) for i in range(b.npv.shape[0]))
        for ai, area in enumerate(ids):
            yield [area, _eur(b.npv[ai]), name]


def _quantiles(res: RunResult) -> Iterator[list[Any]]:
    for name, tr in res.trajectories.items():
        ids = tr.area_ids or tuple(str(i + 1) for i in range(tr.totals.shape[2]))
        for ti, year in enumerate(tr.years):
            for ai, area in enumerate(ids):
                yield [
                    int(year),
                    area,
                    "total",
                    *(_num(v) for v in tr.total_quantiles[:, ti, ai]),
                    name,
                ]
                for bi, (lo, hi) in enumerate(tr.bands):
                    yield [
                        int(year),
                        area,
                        _band_label(lo, hi),
                        *(_num(v) for v in tr.age_quantiles[:, ti, ai, bi]),
                        name,
                    ]


def _streams(res: RunResult) -> dict[str, tuple[list[str], Iterator[list[Any]]]]:
    """Every table as ``(columns, row iterator)``; rows are produced while writing."""
    qcols = [
        f"q{round(q * 100):02d}"
        for q in (next(iter(res.trajectories.values())).quantiles if res.trajectories else ())
    ]
    return {
        "population": (
            ["year", "area", "sex", "age", "population"]
            + (["scenario"] if _with_scenarios(res) else []),
            _population(res),
        ),
        "components": (
            ["year", "area", "sex", "component", "persons", "scenario"],
            _components(res),
        ),
        "clipped": (["year", "area", "sex", "age", "persons_added", "scenario"], _clip_events(res)),
        "differences": (["year", "area", "age_band", "difference", "scenario"], _differences(res)),
        "infrastructure": (
            [
                "year",
                "area",
                "facility",
                "demand",
                "capacity",
                "utilisation",
                "classes",
                "scenario",
            ],
            _infrastructure(res),
        ),
        "capacity_summary": (
            ["area", "facility", "first_year_exceeded", "first_year_below_threshold", "scenario"],
            _capacity_summary(res),
        ),
        "budget": (["year", "area", "item", "eur", "scenario"], _budget(res)),
        "budget_npv": (["area", "npv_eur", "scenario"], _npv(res)),
        "quantiles": (["year", "area", "measure", *qcols, "scenario"], _quantiles(res)),
    }


def _non_empty(res: RunResult) -> Iterator[tuple[str, list[str], Iterator[list[Any]]]]:
    """Tables with at least one row (``population`` always), rows still lazy."""
    for name, (cols, rows) in _streams(res).items():
        first = next(rows, None)
        if first is None and name != "population":
            continue
        yield name, cols, itertools.chain([] if first is None else [first], rows)


def tables(res: RunResult) -> dict[str, Table]:
    """All non-empty result tables as ``{name: (columns, rows)}`` (materialised)."""
    return {name: (cols, list(rows)) for name, cols, rows in _non_empty(res)}


def row_count(res: RunResult) -> int:
    """Rows of the largest table (population or components), without building them."""
    n = 0
    for p in res.projections.values():
        n += max(p.population.size, p.births.size * (4 + len(p.migration)))
    return n


#: Rows a sheet of an XLSX workbook can hold (Excel's limit) and rows we build as JSON.
MAX_ROWS = {"xlsx": 1_048_575, "json": 3_000_000}


def check_size(res: RunResult, fmt: str) -> None:
    """Raise :class:`ScenarioError` if the result is too large for ``fmt``."""
    rows = row_count(res)
    if fmt in MAX_ROWS and rows > MAX_ROWS[fmt]:
        raise ScenarioError(
            [
                problem(
                    "--format",
                    "too_many_rows",
                    rows=f"{rows:,}",
                    fmt=fmt,
                    limit=f"{MAX_ROWS[fmt]:,}",
                )
            ]
        )


def _write_csv(path: Path, res: RunResult) -> list[Path]:
    written = []
    for name, cols, rows in _non_empty(res):
        target = path if name == "population" else path.with_name(f"{path.stem}_{name}.csv")
        with target.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(cols)
            w.writerows(rows)
        written.append(target)
    return written


def _write_json(path: Path, res: RunResult) -> list[Path]:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("{")
        for i, (name, cols, rows) in enumerate(_non_empty(res)):
            fh.write(("," if i else "") + json.dumps(name) + ":[")
            for j, r in enumerate(rows):
                fh.write(
                    ("," if j else "")
                    + json.dumps(
                        dict(zip(cols, r, strict=True)), ensure_ascii=False, allow_nan=False
                    )
                )
            fh.write("]")
        fh.write("}")
    return [path]


def _write_xlsx(path: Path, res: RunResult) -> list[Path]:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, cols, rows in _non_empty(res):
        ws = wb.create_sheet(title=name[:31])
        ws.append(cols)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return [path]


def write(res: RunResult, path: str | Path, fmt: str) -> list[Path]:
    """Write all tables of ``res`` to ``path`` in ``fmt``; returns the files written.

    Raises :class:`ScenarioError` if the result exceeds what ``fmt`` can hold.
    """
    check_size(res, fmt)
    writer = {"csv": _write_csv, "json": _write_json, "xlsx": _write_xlsx}[fmt]
    return writer(Path(path), res)
