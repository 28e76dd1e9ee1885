"""Year labels (docs/scenario-format.md, "Year labels"): stocks carry their own label, a step
and its components the label of the stock it starts from; checked on the published Box 6.2
(Preston, Heuveline & Guillot 2001: Sweden 1993 -> 1998) and on a dwelling change."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
from scenario_examples import doc

from ortswandel.scenario import parse_scenario, run
from ortswandel.scenario.writers import tables

# Box 6.2: female births 1993-1998 by age of mother 15-19 .. 45-49 (published whole persons)
BOX_6_2_BIRTHS = [15244, 126688, 229354, 170057, 63203, 10971, 472]
BOX_6_2_FEMALE_0_4_1998 = 302392


def _by(rows: list[list], key: int, *cols: int) -> dict:
    out: dict = defaultdict(float)
    for r in rows:
        out[tuple(r[c] for c in cols)] += r[key]
    return out


def test_box_6_2_step_is_labelled_by_its_starting_stock():
    res = run(parse_scenario(doc("preston")))
    tabs = tables(res)
    pop_rows, comp_rows = tabs["population"][1], tabs["components"][1]
    assert sorted({r[0] for r in pop_rows}) == [1993, 1998]  # stocks
    assert sorted({r[0] for r in comp_rows}) == [1993]  # the one step 1993 -> 1998
    female_0 = next(r[4] for r in pop_rows if r[0] == 1998 and r[2] == "female" and r[3] == 0)
    assert female_0 == pytest.approx(BOX_6_2_FEMALE_0_4_1998, abs=0.5)
    comps = _by(comp_rows, 4, 0, 3)
    births = comps[(1993, "births")]
    assert births == pytest.approx(sum(BOX_6_2_BIRTHS), abs=1.0)
    pop = _by(pop_rows, 4, 0)
    change = pop[(1998,)] - pop[(1993,)]
    assert change == pytest.approx(
        births - comps[(1993, "deaths")] + comps[(1993, "net_migration")], abs=0.01
    )


def test_dwellings_of_from_year_are_counted_in_the_next_stock():
    d = doc("full")
    d["scenarios"] = [
        {
            "name": "Neubau",
            "changes": [{"type": "add_dwellings", "from_year": 2027, "per_year": 30}],
        }
    ]
    d["migration_timing"] = "end"
    res = run(parse_scenario(d))
    years = [int(y) for y in res.projections["Basis"].years]
    diff = res.comparisons["Neubau"].total.sum(axis=1)
    first = years[int(np.flatnonzero(np.abs(diff) > 1e-9)[0])]
    assert first == 2028  # step 2027 ends with the stock 2028
    comps = _by(tables(res)["components"][1], 4, 0, 3, 5)
    extra = {y: comps[(y, "housing", "Neubau")] - comps[(y, "housing", "Basis")] for y in years}
    # two areas x 30 dwellings x 3.0 occupants x 80 % from outside, in the step 2027 only
    assert extra[2027] == pytest.approx(2 * 30 * 3.0 * 0.8)
    assert all(v == pytest.approx(0.0) for y, v in extra.items() if y != 2027)
