"""Probabilistic mode, infrastructure, budget and the Dask batch."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ortswandel.engine import (
    AgeGrid,
    BudgetParams,
    FacilityCost,
    HousingAreaCost,
    LifeTable,
    NetMigration,
    ProjectionInputs,
    ScaleMigration,
    Scenario,
    Uncertainty,
    budget,
    gamma_schedule,
    npv,
    project,
    project_trajectories,
    survival_from_tables,
)
from ortswandel.engine.infrastructure import (
    band_rates,
    care_rates,
    check_capacity,
    classes_needed,
    demand,
    kita_rates,
    school_rates,
)
from ortswandel.engine.sampling import binomial, prepare


def _inputs(areas: int = 1, steps: int = 10) -> ProjectionInputs:
    g = AgeGrid(1, 100)
    q = 1 - np.exp(-0.00003 * np.exp(0.095 * np.arange(100)))
    lt = LifeTable.from_qx(q)
    base = 60.0 * np.exp(-0.01 * np.arange(g.n))
    pop = np.rint(np.broadcast_to(base, (areas, 2, g.n)) * (1 + np.arange(areas))[:, None, None])
    return ProjectionInputs(
        grid=g,
        population=pop,
        survival=survival_from_tables(lt, lt),
        fertility=gamma_schedule(g, 1.5, 31.0),
        steps=steps,
        start_year=2025,
        net_migration=NetMigration(np.full((1, 2, g.n), 0.2)),
        migration_timing="even",
    )


def test_binomial_sampler_moments() -> None:
    rng = np.random.default_rng(42)
    for n, q in [(10, 0.01), (50, 0.3), (200, 0.2), (3, 0.9), (40, 1.0), (7, 0.0), (30, 0.7)]:
        x = binomial(rng, np.full(100_000, float(n)), np.array(q))
        assert x.min() >= 0 and x.max() <= n
        assert abs(x.mean() - n * q) < 4 * np.sqrt(n * q * (1 - q) / 1e5) + 1e-12
        assert abs(x.var() - n * q * (1 - q)) < 0.05 * n * q * (1 - q) + 1e-12


@pytest.mark.parametrize(
    ("n", "q", "q_shape"),
    [(20, 0.25, ()), (6, 0.02, (2, 1)), (25, 0.7, (400, 2, 1)), (40, 0.2, (400, 2, 1))],
)
def test_binomial_sampler_matches_the_pmf(n: int, q: float, q_shape: tuple[int, ...]) -> None:
    """Frequencies of every outcome against the exact pmf (probabilities per cell given
    unprepared, prepared once, broadcast or of the full shape)."""
    rng = np.random.default_rng(7)
    shape = (400, 2, 250)
    qq = np.full(q_shape, q)
    for probs in (qq, prepare(qq)):
        x = binomial(rng, np.full(shape, float(n)), probs)
        assert x.shape == shape and x.dtype == np.float64
        counts = np.bincount(x.astype(np.int64).ravel(), minlength=n + 1)
        pmf = np.array([math.comb(n, k) * q**k * (1 - q) ** (n - k) for k in range(n + 1)])
        expected = pmf * x.size
        big = expected > 50
        # chi-square per outcome: each term is ~1 on average; 25 would be a 5-sigma deviation
        assert (((counts - expected) ** 2 / expected)[big] < 25).all(), (counts, expected)
        assert counts[~big].sum() < 2 * expected[~big].sum() + 50


def test_binomial_walk_beyond_the_rounded_pmf_sum_gives_the_mean() -> None:
    from ortswandel.engine.sampling import _invert

    # Binomial(3, 1/2): F = 1/8, 4/8, 7/8, 1. A P(X=0) rounded down leaves F(3) below the
    # largest float32 uniform: that cell gets the mean (rounded), not the walk's cap
    n, q = np.full(2, 3.0, np.float32), np.full(2, 0.5, np.float32)
    u = np.array([np.nextafter(np.float32(1), np.float32(0)), 0.6], np.float32)
    p0 = np.array([0.125 - 2e-7, 0.125], np.float32)
    assert_allclose(_invert(n, q, u, p0), [2.0, 2.0])  # rint(1.5) = 2; F(1) < .6 <= F(2)


def test_trajectories_are_seeded_and_reproducible() -> None:
    inp = _inputs()
    unc = Uncertainty(tfr_cv=0.1, e0_sd=1.0, migration_cv=0.3)
    a = project_trajectories(inp, 200, uncertainty=unc, seed=5)
    b = project_trajectories(inp, 200, uncertainty=unc, seed=5)
    c = project_trajectories(inp, 200, uncertainty=unc, seed=6)
    assert_allclose(a.totals, b.totals)
    assert not np.allclose(a.totals, c.totals)
    q10, q50, q90 = a.total_quantiles
    assert (q10 <= q50).all() and (q50 <= q90).all()
    assert (a.age_quantiles[0] <= a.age_quantiles[2]).all()
    assert a.age_quantiles.shape == (3, 11, 1, len(a.bands))


def test_trajectories_without_noise_equal_deterministic() -> None:
    inp = _inputs(areas=2)
    det = project(inp)
    tr = project_trajectories(inp, 3, uncertainty=Uncertainty(demographic=False), seed=1)
    for i in range(3):  # the trajectory state is float32
        assert_allclose(tr.totals[i], det.totals(), rtol=2e-6)


def test_trajectory_median_close_to_deterministic() -> None:
    inp = _inputs()
    tr = project_trajectories(inp, 400, seed=3)
    det = project(inp).totals()[-1, 0]
    assert abs(tr.total_quantiles[1, -1, 0] - det) < 0.02 * det
    assert (tr.totals >= 0).all()


@pytest.mark.parametrize("timing", ["even", "end"])
def test_trajectories_never_negative_with_fractional_migrants(timing: str) -> None:
    # migrants are spread over ages in fractions; deaths are drawn from whole persons
    g = AgeGrid(1, 20)
    inp = ProjectionInputs(
        grid=g,
        population=np.zeros((2, 2, g.n)),
        survival=np.full((2, g.n), 0.05),
        fertility=np.zeros(g.n),
        steps=3,
        net_migration=NetMigration(np.full((1, 2, g.n), 0.7)),
        migration_timing=timing,
    )
    tr = project_trajectories(inp, 300, seed=2)
    assert (tr.age_quantiles >= 0).all() and (tr.totals >= 0).all()
    assert tr.totals[:, 1:].max() > 0


def test_kita_school_care_rates_and_demand() -> None:
    g = AgeGrid(1, 100)
    k = kita_rates(g)
    assert_allclose(k["kita_u3"][0, :3], [0.022, 0.366, 0.620])
    assert_allclose(k["kita_3_6"][0, 3:6], 1.0)
    # default cut-off 30 June: on 31 December the 6-year-olds are half in school
    assert_allclose(k["kita_3_6"][0, 6:8], [184 / 365, 0])
    be, by = school_rates(g, land="BE"), school_rates(g, land="09")
    assert_allclose([be["primary"][0].sum(), by["primary"][0].sum()], [6, 4])
    assert_allclose(school_rates(g, land="12")["secondary"][0, 13], 1.0)
    c = care_rates(g)
    assert_allclose(
        c[:, [50, 80, 87, 95]], [[0.023, 0.271, 0.606, 0.864], [0.023, 0.196, 0.432, 0.696]]
    )
    g5 = AgeGrid(5, 85)
    assert_allclose(band_rates(g5, [(3, 6, 1.0, 1.0)])[0, :2], [0.4, 0.2])
    pop = np.ones((3, 2, 2, 101))
    assert_allclose(demand(pop, k["kita_u3"]), 2 * (0.022 + 0.366 + 0.620))


def test_capacity_check_and_classes() -> None:
    d = np.array([[10.0, 50.0], [20.0, 40.0], [35.0, 20.0]])
    chk = check_capacity(d, [30.0, 60.0], [2025, 2026, 2027], threshold=0.5)
    assert list(chk.first_exceeded) == [2027, -1]
    assert list(chk.first_below) == [2025, 2027]
    assert_allclose(chk.utilisation[0], [1 / 3, 50 / 60])
    assert_allclose(classes_needed(np.array([[25.0, 26.0, 0.0, 50.0]]), 25), [5.0])


def test_budget_cash_flows_by_hand() -> None:
    inp = _inputs(steps=4)
    res = project(inp)
    g = inp.grid
    total = res.population.sum(axis=(2, 3))[:, 0]
    working = res.population[:, 0, :, 18:65].sum(axis=(1, 2))
    rates = band_rates(g, [(0, 3, 1.0, 1.0)])
    users = (res.population[:, 0] * rates).sum(axis=(1, 2))
    params = BudgetParams(
        revenue_per_capita=100.0,
        cost_per_capita=10.0,
        key_allocation_per_capita=5.0,
        income_tax_per_taxpayer=50.0,
        income_tax_lag=2,
        facilities=(FacilityCost("u3", rates, float(users[0]) - 1, 1000.0, 10.0),),
        housing_area=HousingAreaCost(
            2026,
            {"street": 100.0},
            {"street": 2000.0},
            {"street": 10.0},
            {"street": 500.0},
            {"street": 2},
        ),
        discount_rate=0.03,
    )
    b = budget(res, params)
    assert_allclose(b.items["revenue_per_capita"][:, 0], 100 * total)
    assert_allclose(b.items["income_tax_share"][:, 0], 50 * working[[0, 0, 0, 1, 2]])
    cap = np.maximum.accumulate(np.maximum(users, users[0] - 1))
    assert_allclose(
        -b.items["u3_investment"][:, 0], 1000 * np.diff(np.concatenate([[users[0] - 1], cap]))
    )
    assert_allclose(b.items["housing_area_construction"][:, 0], [0, -200000, 0, 0, 0])
    assert_allclose(b.items["housing_area_operation"][:, 0], [0, 0, -1000, -1000, -1000])
    assert_allclose(b.items["housing_area_renewal"][:, 0], [0, 0, 0, -50000, 0])
    assert b.net.shape == (5, 1)
    assert_allclose(b.net[:, 0], np.sum(list(b.items.values()), axis=0)[:, 0])
    assert_allclose(b.npv, [(b.net[:, 0] / 1.03 ** np.arange(5)).sum()])
    assert_allclose(npv(np.array([[100.0], [100.0]]), np.array([2025, 2030]), 0.0), [1000.0])


def test_budget_per_dwelling_follow_up_costs_and_age_revenues() -> None:
    res = project(_inputs(steps=6))
    area = HousingAreaCost(
        2026,
        {},
        {},
        {},
        {},
        {},
        dwellings=120,
        construction_per_dwelling=2000,
        operation_per_dwelling=50,
        renewal_per_dwelling=900,
        dwelling_renewal_years=2,
    )
    b = budget(
        res,
        BudgetParams(housing_area=area, age_revenues=((18, 65, 10.0),), age_costs=((0, 3, 5.0),)),
    )
    # years 2025..2031: built in 2026, operated from 2027, renewed every 2 years after building
    assert_allclose(b.items["housing_area_construction"][:, 0], [0, -240000, 0, 0, 0, 0, 0])
    assert_allclose(b.items["housing_area_operation"][:, 0], [0, 0, *[-6000] * 5])
    assert_allclose(b.items["housing_area_renewal"][:, 0], [0, 0, 0, -108000, 0, -108000, 0])
    pop = res.population[:, 0]
    assert_allclose(b.items["age_revenue_18_65"][:, 0], 10 * pop[:, :, 18:65].sum(axis=(1, 2)))
    assert_allclose(b.items["age_cost_0_3"][:, 0], -5 * pop[:, :, :3].sum(axis=(1, 2)))
    with pytest.raises(ValueError, match="renewal_years"):
        HousingAreaCost(2026, {}, {}, {}, {}, {}, dwelling_renewal_years=0)


def test_dask_batch_on_a_given_scheduler_address() -> None:
    from distributed import LocalCluster

    from ortswandel.engine.distributed import run_batch, run_local

    inp = _inputs(areas=3, steps=4)
    scen = [Scenario("Basis"), Scenario("niedrig", (ScaleMigration(0.5),))]
    local = run_local(inp, scen, chunk_size=2, trajectories=10, seed=4)
    with LocalCluster(
        n_workers=1, processes=False, threads_per_worker=1, protocol="tcp", dashboard_address=None
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        dist = run_batch(
            inp, scen, chunk_size=2, trajectories=10, seed=4, address=cluster.scheduler_address
        )
    for name in ("Basis", "niedrig"):
        np.testing.assert_array_equal(dist.population[name], local.population[name])
        np.testing.assert_array_equal(dist.total_quantiles[name], local.total_quantiles[name])


def test_dask_batch_equals_single_process() -> None:
    from distributed import Client, LocalCluster

    from ortswandel.engine.distributed import run_batch, run_local

    inp = _inputs(areas=5, steps=5)
    scen = [Scenario("Basis"), Scenario("niedrig", (ScaleMigration(0.5),))]
    unc = Uncertainty(tfr_cv=0.1, e0_sd=0.5, migration_cv=0.2)
    local = run_local(inp, scen, chunk_size=2, trajectories=20, uncertainty=unc, seed=9)
    with (
        LocalCluster(
            n_workers=1, processes=False, threads_per_worker=2, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        dist = run_batch(
            inp, scen, chunk_size=2, trajectories=20, uncertainty=unc, seed=9, client=client
        )
    for name in ("Basis", "niedrig"):
        np.testing.assert_array_equal(dist.population[name], local.population[name])
        np.testing.assert_array_equal(dist.total_quantiles[name], local.total_quantiles[name])
    np.testing.assert_allclose(local.population["Basis"], project(inp).population, rtol=1e-13)


def test_invalid_uncertainty_is_explained() -> None:
    with pytest.raises(ValueError, match="Fix:"):
        Uncertainty(tfr_cv=-1)
