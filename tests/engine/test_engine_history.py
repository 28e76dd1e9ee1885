"""Splitting with a standard, life tables from deaths, residual migration, raking, backtests.

Exact small cases worked by hand, plus property tests (Hypothesis) for the invariants.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from ortswandel.engine import AgeGrid, EngineValueError, LifeTable, ProjectionInputs, project
from ortswandel.engine.backtest import (
    constant_growth,
    forecast_errors,
    hamilton_perry_single,
    no_change,
)
from ortswandel.engine.grouping import split_groups_like
from ortswandel.engine.mortality import (
    death_rates,
    gompertz_fit,
    hazard_factor,
    life_table_from_deaths,
    life_table_from_rates,
)
from ortswandel.engine.raking import rake_within_groups
from ortswandel.engine.residual import (
    expand_groups,
    group_sums,
    residual_migration,
    shrink_rates,
)

# --- splitting with a standard -------------------------------------------------------------


def test_split_like_by_hand() -> None:
    # groups 0-1 and 2+ (open); standard ages 0, 1, 2, 3+ = 1, 3, 2, 2
    # group 0-1: 10 * (1/4, 3/4); open group: 20 * (2/4, 2/4)
    out = split_groups_like([10, 20], [0, 2], [1, 3, 2, 2])
    assert_allclose(out, [2.5, 7.5, 10, 10])


def test_split_like_keeps_a_birth_trough_that_a_smooth_split_loses() -> None:
    # one 10-year group whose standard has a trough at ages 4-5 (like 1945/46)
    std = np.array([10, 10, 10, 10, 4, 4, 10, 10, 10, 10, 50.0])
    out = split_groups_like([176, 100], [0, 10], std * 2)
    assert_allclose(out[:10], std[:10] * 2)
    assert out[4] < 0.5 * out[3]


def test_split_like_broadcasts_and_falls_back_when_the_standard_is_empty() -> None:
    counts = np.array([[6.0, 9.0], [3.0, 0.0]])  # two areas
    std = np.array([0.0, 0.0, 0.0, 5.0, 5.0])  # nobody in 0-2 in the standard
    out = split_groups_like(counts, [0, 3], std)
    assert_allclose(out[0], [2, 2, 2, 4.5, 4.5])  # evenly within the closed group
    assert_allclose(out[1], [1, 1, 1, 0, 0])
    out = split_groups_like([[6.0, 9.0]], [0, 3], [1.0, 1.0, 1.0, 0.0, 0.0])
    assert_allclose(out[0, 3:], [9, 0])  # empty open group: all at its first age


def test_split_like_rejects_a_short_standard() -> None:
    with pytest.raises(EngineValueError, match="standard"):
        split_groups_like([1, 2], [0, 5], [1, 1, 1])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 1e5), min_size=4, max_size=4),
    st.lists(st.floats(0, 1e4), min_size=21, max_size=21),
    st.booleans(),
)
def test_split_like_preserves_every_group(counts, std, tilt) -> None:
    bounds = [0, 3, 8, 15]
    out = split_groups_like(counts, bounds, std, tilt=tilt)
    assert (out >= 0).all()
    assert_allclose(group_sums(out, bounds), counts, rtol=1e-9, atol=1e-6)


def test_tilt_follows_the_areas_own_profile() -> None:
    # an area with more people just below a group than the standard gets more at the
    # group's young end; the open group is not tilted
    std = np.ones(31)
    out_plain = split_groups_like([100, 200, 50], [0, 10, 20], std)
    out_tilt = split_groups_like([300, 200, 50], [0, 10, 20], std, tilt=True)
    assert_allclose(out_plain[10:20], 20)
    assert out_tilt[10] > out_tilt[19]
    assert_allclose(out_tilt[10:20].sum(), 200)
    assert_allclose(out_tilt[20:], 50 / 11)


# --- life tables from deaths ----------------------------------------------------------------


def test_gompertz_fit_recovers_parameters() -> None:
    x = np.arange(70, 85) + 0.5
    logc, b = gompertz_fit(0.0001 * np.exp(0.1 * x), x, np.ones_like(x))
    assert_allclose([logc, b], [np.log(0.0001), 0.1])


def test_death_rates_recover_an_exact_gompertz_population() -> None:
    # m = 1e-4 exp(0.1 (x + 1/2)) at every age; exposure known to 84, 85+ open
    ages = np.arange(101)
    m = 1e-4 * np.exp(0.1 * (ages + 0.5))
    exposure_single = 1000.0 * 0.97**ages
    deaths = m * exposure_single
    exposure = np.append(exposure_single[:85], exposure_single[85:].sum())
    assert_allclose(death_rates(deaths, exposure), m, rtol=1e-9)


def test_life_table_from_rates_constant_hazard() -> None:
    # m = 0.1 everywhere, a = 1/2: q = 0.1 / 1.05 (a0 by Coale-Demeny for q0)
    m = np.full(101, 0.1)
    lt = life_table_from_rates(m, sex="female")
    q = 0.1 / 1.05
    assert_allclose(lt.survival_ratios()[5], 1 - q, rtol=1e-12)  # L5/L4 with a = 1/2
    assert_allclose(lt.Lx[-1] / (lt.Lx[-2] / (1 - q / 2) * (1 - q)), 1 / 0.1)  # T = l / m
    with pytest.raises(EngineValueError, match="exposure"):
        life_table_from_deaths(np.ones(101), np.zeros(86), sex="male")


def test_hazard_factor_recovers_the_scaling() -> None:
    lt = LifeTable.from_qx(np.linspace(0.001, 0.3, 100), sex="male")
    s = lt.survival_ratios()
    start = np.full(101, 1000.0)
    k_true = np.array([0.8, 1.25])
    end = np.zeros((2, 101))
    end[:, 1:] = start[:-1] * s[1:] ** k_true[:, None]
    k = hazard_factor(np.stack([start, start]), end, s, np.arange(75, 89))
    assert_allclose(k, k_true, rtol=1e-9)


# --- residual migration --------------------------------------------------------------------


def test_residual_migration_and_a_past_year_reproduced() -> None:
    grid = AgeGrid(1, 10)
    pop = np.full((1, 2, 11), 100.0)
    inp = ProjectionInputs(
        grid=grid,
        population=pop,
        survival=np.full((2, 11), 0.99),
        fertility=np.r_[np.zeros(3), np.full(4, 0.1), np.zeros(4)],
        steps=1,
    )
    expected = project(inp).population[1]
    bounds = [0, 3, 7]
    migrants = np.array([[[5.0, -10.0, 2.0], [0.0, 4.0, -1.0]]])
    observed = group_sums(expected, bounds) + migrants
    counts, rates = residual_migration(observed, expected, bounds)
    assert_allclose(counts, migrants)
    assert_allclose(rates, migrants / group_sums(expected, bounds))
    # the rates applied to the survivors ("end" timing) give the observed groups back
    again = expected + expand_groups(rates, bounds, 11) * expected
    assert_allclose(group_sums(again, bounds), observed)


def test_shrink_rates_by_hand() -> None:
    # E = 1000, k = 1000: half own, half parent; k per group broadcasts
    out = shrink_rates([[0.02, -0.01]], [[1000.0, 3000.0]], [0.0, 0.01], [1000.0, 1000.0])
    assert_allclose(out, [[0.01, -0.01 * 0.75 + 0.01 * 0.25]])
    assert_allclose(shrink_rates([0.3], [0.0], [0.1], 0.0), [0.1])  # nobody: the parent
    with pytest.raises(EngineValueError):
        shrink_rates([0.1], [1.0], [0.0], -1.0)


# --- raking --------------------------------------------------------------------------------


def test_rake_within_groups_meets_both_margins() -> None:
    # two municipalities of one district, one stratum, two ages
    seed = np.array([[[1.0, 1.0]], [[1.0, 3.0]]])
    rows = np.array([[10.0], [30.0]])
    cols = np.array([[[12.0, 28.0]]])
    out = rake_within_groups(seed, rows, cols, [0, 0])
    assert_allclose(out.sum(axis=-1), rows)
    assert_allclose(out.sum(axis=0), cols[0], rtol=1e-8)
    # the cross-product ratio of the seed is kept (IPF property)
    assert_allclose(out[0, 0, 0] * out[1, 0, 1] / (out[0, 0, 1] * out[1, 0, 0]), 3.0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.1, 100), min_size=12, max_size=12), st.integers(0, 2**31))
def test_rake_rows_exact_and_columns_matched(values, seed) -> None:
    rng = np.random.default_rng(seed)
    x = np.asarray(values).reshape(4, 1, 3)
    group = np.array([0, 0, 1, 1])
    truth = x * rng.uniform(0.5, 2, size=x.shape)
    rows = truth.sum(axis=-1)
    cols = np.stack([truth[group == g].sum(axis=0) for g in (0, 1)])
    out = rake_within_groups(x, rows, cols, group)
    assert_allclose(out.sum(axis=-1), rows, rtol=1e-9)
    assert_allclose(np.stack([out[group == g].sum(axis=0) for g in (0, 1)]), cols, rtol=1e-6)


# --- backtest baselines and errors ---------------------------------------------------------


def test_hamilton_perry_single_by_hand() -> None:
    # one area, 60 ages; every cohort grows by 2 % a year, infants = 10 % of women 15-49
    n = 60
    p0 = np.full((1, 2, n), 100.0)
    p1 = np.full((1, 2, n), 102.0)
    p1[..., -1] = 0.98 * 200  # open group: 98 % of (ages n-2 and n-1)
    p1[..., 0] = 0.1 * 35 * 102
    out = hamilton_perry_single(np.stack([p0, p1]), 1)
    assert_allclose(out[1, 0, 0, 1:-1], 1.02 * p1[0, 0, :-2])
    assert_allclose(out[1, 0, 0, -1], 0.98 * (p1[0, 0, -2] + p1[0, 0, -1]))
    women = out[1, 0, 0, 15:50].sum()
    assert_allclose(out[1, 0, :, 0], p1[0, :, 0] / (35 * 102) * women)


def test_constant_growth_no_change_and_errors() -> None:
    hist = np.array([[100.0, 50.0], [110.0, 50.0], [121.0, 50.0]])
    assert_allclose(constant_growth(hist, 2)[2], [121 * 1.21, 50])
    assert_allclose(no_change([1.0, 2.0], 3)[3], [1, 2])
    e = forecast_errors([110.0, 90.0, 100.0], [100.0, 100.0, 100.0])
    assert e == {"mape": pytest.approx(20 / 3), "median_ape": 10.0, "bias": 0.0, "max_ape": 10.0}
    with pytest.raises(EngineValueError):
        forecast_errors([1.0], [0.0])
