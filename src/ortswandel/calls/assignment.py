"""Balanced automatic assignment of applications to jurors (pure Python, no database).

Each application gets ``k`` reviews from jurors without a conflict; the load (reviews per juror)
stays as even as possible. Greedy on the most constrained application first (fewest eligible
jurors), each time taking the eligible jurors with the lowest load; ties are broken by a fixed
rotation so that equal jurors share the work. With no conflicts this yields loads that differ by
at most one; conflicts can only push the spread where they leave no choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass
class AssignmentPlan:
    pairs: list[tuple[int, int]] = field(default_factory=list)  # new (juror, application)
    short: dict[int, int] = field(default_factory=dict)  # application → reviews missing
    load: dict[int, int] = field(default_factory=dict)  # juror → reviews after the plan


def plan_assignment(
    *,
    applications: Sequence[int],
    jurors: Sequence[int],
    k: int,
    conflicts: Iterable[tuple[int, int]] = (),
    existing: Iterable[tuple[int, int]] = (),
) -> AssignmentPlan:
    """New ``(juror, application)`` pairs so that every application has ``k`` reviewers.

    ``conflicts`` and ``existing`` are ``(juror, application)`` pairs; existing assignments count
    towards ``k`` and towards the load. Runs in O(A · J log J).
    """
    if k < 0:
        raise ValueError(f"k must be ≥ 0; got {k}")
    blocked: dict[int, set[int]] = {}
    for juror, app in conflicts:
        blocked.setdefault(app, set()).add(juror)
    have: dict[int, set[int]] = {}
    load = dict.fromkeys(jurors, 0)
    for juror, app in existing:
        have.setdefault(app, set()).add(juror)
        if juror in load:
            load[juror] += 1
    juror_set = set(jurors)
    order = {j: i for i, j in enumerate(jurors)}
    n = max(len(jurors), 1)

    def eligible(app: int) -> list[int]:
        return [j for j in jurors if j not in blocked.get(app, ()) and j not in have.get(app, ())]

    todo = sorted(applications, key=lambda a: (len(juror_set - blocked.get(a, set())), a))
    plan = AssignmentPlan(load=load)
    for step, app in enumerate(todo):
        need = k - len(have.get(app, ()))
        if need <= 0:
            continue
        candidates = eligible(app)
        # lowest load first; among equals rotate the starting juror so ties spread out
        candidates.sort(key=lambda j: (load[j], (order[j] - step) % n))
        chosen = candidates[:need]
        for juror in chosen:
            load[juror] += 1
            have.setdefault(app, set()).add(juror)
            plan.pairs.append((juror, app))
        if len(chosen) < need:
            plan.short[app] = need - len(chosen)
    return plan
