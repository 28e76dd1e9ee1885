"""Aggregation of jury scores (pure Python, no database): weighted score per review, mean and
median per application, spread and a disagreement flag, ranking with ties, and sensitivity (does
the ranking change if one juror is left out?)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Row:
    application: int
    scores: dict[int, float] = field(default_factory=dict)  # juror → weighted score
    mean: float | None = None
    median: float | None = None
    spread: float | None = None  # max − min
    stdev: float | None = None
    disagreement: bool = False
    rank: int | None = None
    tied: bool = False
    #: juror → rank without that juror (only where it differs)
    rank_without: dict[int, int | None] = field(default_factory=dict)


def weighted_score(values: Mapping[int, int], weights: Mapping[int, Decimal | float]) -> float:
    """Σ wᵢ·vᵢ / Σ wᵢ over the criteria scored (same scale as the values)."""
    total = sum(float(weights[c]) for c in values if c in weights)
    if not total:
        return 0.0
    return sum(float(weights[c]) * v for c, v in values.items() if c in weights) / total


def _rank(rows: Iterable[tuple[int, float | None]]) -> dict[int, tuple[int | None, bool]]:
    """Competition ranking (1, 2, 2, 4) on the mean rounded to 2 decimals; unscored: None."""
    scored = sorted(
        ((round(m, 2), a) for a, m in rows if m is not None), key=lambda t: (-t[0], t[1])
    )
    result: dict[int, tuple[int | None, bool]] = {}
    counts: dict[float, int] = {}
    for value, _app in scored:
        counts[value] = counts.get(value, 0) + 1
    rank = 0
    previous: float | None = None
    for position, (value, app) in enumerate(scored, start=1):
        if value != previous:
            rank, previous = position, value
        result[app] = (rank, counts[value] > 1)
    return result


def aggregate(
    *,
    applications: Iterable[int],
    review_scores: Iterable[tuple[int, int, Mapping[int, int]]],
    weights: Mapping[int, Decimal | float],
    disagreement_spread: float,
    sensitivity: bool = True,
) -> list[Row]:
    """Rows sorted by rank. ``review_scores``: ``(application, juror, {criterion: value})`` of
    submitted reviews. Disagreement: spread (max − min) ≥ ``disagreement_spread``."""
    fweights = {c: float(w) for c, w in weights.items()}
    weighted = [
        (app, juror, weighted_score(values, fweights))
        for app, juror, values in review_scores
        if values
    ]
    return aggregate_weighted(
        applications=applications,
        weighted=weighted,
        disagreement_spread=disagreement_spread,
        sensitivity=sensitivity,
    )


def aggregate_weighted(
    *,
    applications: Iterable[int],
    weighted: Iterable[tuple[int, int, float]],
    disagreement_spread: float,
    sensitivity: bool = True,
) -> list[Row]:
    """As :func:`aggregate`, from the weighted score per review ``(application, juror, score)``
    (e.g. computed by the database)."""
    rows = {a: Row(application=a) for a in applications}
    jurors: set[int] = set()
    for app, juror, score in weighted:
        row = rows.get(app)
        if row is not None:
            row.scores[juror] = float(score)
            jurors.add(juror)
    # (application, row, Σ scores, n) once: the leave-one-out loop below reuses the sums.
    totals: list[tuple[int, Row, float, int]] = []
    for app, row in rows.items():
        vals = sorted(row.scores.values())
        n = len(vals)
        if n:
            total = math.fsum(vals)
            mean = total / n
            half = n // 2
            row.mean = mean
            row.median = vals[half] if n % 2 else (vals[half - 1] + vals[half]) / 2
            row.spread = vals[-1] - vals[0]
            row.stdev = math.sqrt(sum((v - mean) ** 2 for v in vals) / n)
            row.disagreement = n > 1 and row.spread >= disagreement_spread
            totals.append((app, row, total, n))
        else:
            totals.append((app, row, 0.0, 0))
    ranks = _rank((a, r.mean) for a, r in rows.items())
    for app, (rank, tied) in ranks.items():
        rows[app].rank, rows[app].tied = rank, tied
    if sensitivity:
        for juror in sorted(jurors):
            without = _rank(
                (
                    app,
                    (((total - row.scores[juror]) / (n - 1)) if n > 1 else None)
                    if juror in row.scores
                    else row.mean,
                )
                for app, row, total, n in totals
            )
            for app, row, _total, _n in totals:
                new = without.get(app, (None, False))[0]
                if new != row.rank:
                    row.rank_without[juror] = new
    return sorted(rows.values(), key=lambda r: (r.rank is None, r.rank or 0, r.application))


def sensitivity_summary(rows: list[Row], *, top: int) -> dict[int, list[int]]:
    """juror → applications that enter or leave the top ``top`` without that juror."""
    inside = {r.application for r in rows if r.rank is not None and r.rank <= top}
    changes: dict[int, list[int]] = {}
    for row in rows:
        for juror, rank in row.rank_without.items():
            now_inside = rank is not None and rank <= top
            if now_inside != (row.application in inside):
                changes.setdefault(juror, []).append(row.application)
    for apps in changes.values():
        apps.sort()
    return changes
