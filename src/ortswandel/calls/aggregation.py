"""Aggregation of jury scores (pure Python, no database): weighted score per review, mean and
median per application, spread and a disagreement flag, ranking with ties, and sensitivity (does
the ranking change if one juror is left out?)."""

from __future__ import annotations

import math
import statistics
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
        if app in rows:
            rows[app].scores[juror] = float(score)
            jurors.add(juror)
    for row in rows.values():
        vals = list(row.scores.values())
        if vals:
            row.mean = statistics.fmean(vals)
            row.median = statistics.median(vals)
            row.spread = max(vals) - min(vals)
            mean = row.mean
            row.stdev = math.sqrt(sum((v - mean) ** 2 for v in vals) / len(vals))
            row.disagreement = len(vals) > 1 and row.spread >= disagreement_spread
    ranks = _rank((a, r.mean) for a, r in rows.items())
    for app, (rank, tied) in ranks.items():
        rows[app].rank, rows[app].tied = rank, tied
    if sensitivity:
        for juror in sorted(jurors):
            means: list[tuple[int, float | None]] = []
            for app, row in rows.items():
                n = len(row.scores)
                if juror in row.scores:
                    rest = n - 1
                    total = sum(row.scores.values()) - row.scores[juror]
                    means.append((app, total / rest if rest else None))
                else:
                    means.append((app, row.mean))
            without = _rank(means)
            for app, row in rows.items():
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
