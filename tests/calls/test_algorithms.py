"""Assignment and aggregation: pure functions, no database."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from ortswandel.calls.aggregation import aggregate, sensitivity_summary, weighted_score
from ortswandel.calls.assignment import plan_assignment


def test_assignment_is_balanced_and_complete():
    plan = plan_assignment(applications=list(range(200)), jurors=list(range(15)), k=3)
    per_app = Counter(a for _j, a in plan.pairs)
    assert set(per_app.values()) == {3}
    assert len(set(plan.pairs)) == 600
    loads = Counter(j for j, _a in plan.pairs)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_assignment_respects_conflicts_and_existing():
    rng = random.Random(7)
    conflicts = {(rng.randrange(10), rng.randrange(50)) for _ in range(80)}
    existing = [(0, 1), (1, 1)]
    plan = plan_assignment(
        applications=list(range(50)),
        jurors=list(range(10)),
        k=3,
        conflicts=conflicts,
        existing=existing,
    )
    assert not (set(plan.pairs) & conflicts)
    assert sum(1 for _j, a in plan.pairs if a == 1) == 1  # two existed already
    loads = Counter(j for j, _a in [*plan.pairs, *existing])
    assert max(loads.values()) - min(loads.values()) <= 2


def test_assignment_reports_shortfall():
    plan = plan_assignment(applications=[1], jurors=[1, 2], k=3, conflicts=[(2, 1)])
    assert plan.pairs == [(1, 1)]
    assert plan.short == {1: 2}


def test_weighted_score():
    assert weighted_score({1: 5, 2: 1}, {1: 3, 2: 1}) == pytest.approx(4.0)


def test_aggregate_mean_median_ties_disagreement():
    w = {1: 1}
    rows = aggregate(
        applications=[10, 20, 30, 40],
        review_scores=[
            (10, 1, {1: 5}),
            (10, 2, {1: 1}),
            (20, 1, {1: 3}),
            (20, 2, {1: 3}),
            (30, 1, {1: 4}),
            (30, 2, {1: 4}),
        ],
        weights=w,
        disagreement_spread=2,
    )
    by = {r.application: r for r in rows}
    assert by[30].rank == 1 and not by[30].tied
    assert by[10].rank == by[20].rank == 2 and by[10].tied
    assert by[10].disagreement and not by[20].disagreement
    assert by[10].median == 3 and by[10].spread == 4
    assert by[40].rank is None
    # without juror 2, application 10 scores 5 and leads
    assert by[10].rank_without[2] == 1
    assert sensitivity_summary(rows, top=1) == {2: [10, 30]}
