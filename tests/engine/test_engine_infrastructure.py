"""Infrastructure use rates by Land, pupils per grade, defaults with sources, life-table details."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ortswandel.engine import AddDwellings, AgeGrid, BudgetParams, EngineValueError, LifeTable
from ortswandel.engine import defaults as d
from ortswandel.engine.infrastructure import (
    classes_needed,
    kita_rates,
    kita_u3_by_age,
    primary_years,
    pupils_by_grade,
    school_entry_age,
    school_grades,
    school_rates,
)

G1 = AgeGrid(1, 100)


@pytest.mark.parametrize(
    ("land", "days"),
    [
        # days from the cut-off to 31 December: 30 June -> 184, 30 Sept -> 92, 1 July -> 183,
        # 31 Aug -> 122, 1 Aug -> 152
        (None, 184),
        ("BW", 184),
        ("BY", 92),
        ("09162000", 92),
        ("11", 92),
        ("BB", 92),
        ("HH", 183),
        ("NW", 92),
        ("RP", 122),
        ("TH", 152),
        ("SN", 184),
    ],
)
def test_school_entry_age_follows_the_cutoff_of_the_land(land: str | None, days: int) -> None:
    assert_allclose(school_entry_age(land), 6 + days / 365)


def test_school_rates_berlin_brandenburg_six_primary_years() -> None:
    # BB: cut-off 30 Sept, entry at 6 + 92/365 on 31 Dec; grades 1-6 primary, 7-10 secondary
    e = 92 / 365
    r = school_rates(G1, land="BB")
    assert_allclose(r["primary"][0, 5:14], [0, 1 - e, 1, 1, 1, 1, 1, e, 0])
    assert_allclose(r["secondary"][1, 11:18], [0, 1 - e, 1, 1, 1, e, 0])
    assert_allclose([r["primary"][0].sum(), r["secondary"][0].sum()], [6, 4])
    assert school_grades("BE") == {"primary": (1, 6), "secondary": (7, 10)}
    by = school_rates(G1, land="09")
    assert_allclose([by["primary"][0].sum(), by["secondary"][0].sum()], [4, 6])
    assert primary_years("12054000") == 6 and primary_years(None) == 4


def test_kita_rates_end_at_school_entry() -> None:
    k = kita_rates(G1, land="BY")
    assert_allclose(k["kita_3_6"][0, 2:8], [0, 1, 1, 1, 92 / 365, 0])
    assert_allclose(k["kita_u3"][1, :4], [*kita_u3_by_age("BY"), 0])
    assert_allclose(kita_rates(G1)["kita_u3"][1, :4], [0.022, 0.366, 0.620, 0])


def test_kita_u3_rates_scaled_to_the_land() -> None:
    # MV 59.2 % of under-3s: the national age pattern x 1.776/1.008 puts age 2 above 1, so
    # age 2 is capped and ages 0-1 take the rest: x (1.776 - 1) / 0.388 = x 2
    assert_allclose(kita_u3_by_age("MV"), [0.044, 0.732, 1.0])
    assert_allclose(np.mean(kita_u3_by_age("13")), 0.592)
    # BY has no own figure in the reference list: West 32.7 %
    assert_allclose(kita_u3_by_age("BY"), np.array([0.022, 0.366, 0.620]) * 0.981 / 1.008)
    # BE: East (with Berlin) 54.2 %
    assert_allclose(np.mean(kita_u3_by_age("BE")), 0.542)
    assert kita_u3_by_age(None) == (0.022, 0.366, 0.620)
    with pytest.raises(EngineValueError, match="unknown Land"):
        kita_u3_by_age("XY")


def test_pupils_by_grade_and_classes() -> None:
    # persons aged a: a per sex; entry 6.5 -> grade j holds half of age 5+j and half of 6+j
    pop = np.broadcast_to(np.arange(101, dtype=float), (3, 2, 101))
    pupils = pupils_by_grade(pop, G1, (1, 4), entry_age=6.5)
    assert_allclose(pupils, np.broadcast_to(2 * (5.5 + np.arange(1, 5)), (3, 4)))
    assert_allclose(classes_needed(pupils, 13), np.full(3, 1 + 2 + 2 + 2))  # 13, 15, 17, 19
    # 5-year groups: ages spread evenly, grade 1 = a fifth of group 5-9
    g5 = AgeGrid(5, 85)
    pop5 = np.zeros((2, 18))
    pop5[:, 1] = 50.0
    assert_allclose(pupils_by_grade(pop5, g5, (1, 1), entry_age=6.0), [20.0])


def test_every_default_names_unit_and_source() -> None:
    for name, default in d.DEFAULTS.items():
        assert default.unit.strip() and len(default.source.strip()) > 20, name
    # the defaults used in the code are the documented ones
    assert AddDwellings(2030, 10).occupants == d.numbers("occupants_per_dwelling")["semi_detached"]
    assert AddDwellings(2030, 10).share_from_outside == d.number("share_from_outside")
    assert BudgetParams().income_tax_lag == 6 == d.number("income_tax_lag")
    assert BudgetParams().discount_rate == 0.04 == d.number("discount_rate")
    with pytest.raises(TypeError):
        d.number("care_rates_2021")


def test_five_year_life_table_from_qx_with_infant_mortality() -> None:
    # Destatis 12621-0001, 2022/24, men: L(0..4) = 99703, 99649, 99628, 99613, 99599
    # (5L0 = 498192), l(5) = 99593, q(0) = 0.00338118
    q5 = 1 - 99593 / 100000
    with_q0 = LifeTable.from_qx([q5, 0.0005, 0.0007], width=5, sex="male", q0=0.00338118)
    assert_allclose(with_q0.Lx[0], 498192, rtol=1e-4)
    plain = LifeTable.from_qx([q5, 0.0005, 0.0007], width=5, sex="male")
    assert abs(plain.Lx[0] / 498192 - 1) > 1e-3  # 5a0 = 2.5 is off by 0.16 %
    with pytest.raises(EngineValueError, match="q0"):
        LifeTable.from_qx([q5, 0.0005, 0.0007], width=5, q0=0.01)  # above 5q0
    with pytest.raises(EngineValueError, match="5-year"):
        LifeTable.from_qx([0.003, 0.0005, 0.0007], width=1, q0=0.003)
