"""Probabilistic mode, infrastructure, budget and the Dask batch."""

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
from ortswandel.engine.sampling import binomial


def _inputs(areas: int = 1, steps: int = 10) -> ProjectionInputs:
    g = AgeGrid(1, 100)
    q = 1 - np.exp(-0.00003 * np.exp(0.095 * np.arange(100)))
    lt = LifeTable.from_qx(q)
    base = 60.0 * np.exp(-0.01 * np.arange(g.n))
    pop = np.rint(np.broadcast_to(base, (areas, 2, g.n)) * (1 + np.arange(areas))[:, None, None])
    return ProjectionInputs(grid=g, population=pop, survival=survival_from_tables(lt, lt),
                            fertility=gamma_schedule(g, 1.5, 31.0), steps=steps, start_year=2025,
                            net_migration=NetMigration(np.full((1, 2, g.n), 0.2)),
                            migration_timing="even")


def test_binomial_sampler_moments() -> None:
    rng = np.random.default_rng(42)
    for n, q in [(10, 0.01), (50, 0.3), (200, 0.2), (3, 0.9), (40, 1.0), (7, 0.0), (30, 0.7)]:
        x = binomial(rng, np.full(100_000, float(n)), np.array(q))
        assert x.min() >= 0 and x.max() <= n
        assert abs(x.mean() - n * q) < 4 * np.sqrt(n * q * (1 - q) / 1e5) + 1e-12
        assert abs(x.var() - n * q * (1 - q)) < 0.05 * n * q * (1 - q) + 1e-12


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


def test_kita_school_care_rates_and_demand() -> None:
    g = AgeGrid(1, 100)
    k = kita_rates(g)
    assert_allclose(k["kita_u3"][0, :3], [0.022, 0.366, 0.620])
    assert_allclose(k["kita_3_6"][0, 3:6], 1.0)
    assert k["kita_3_6"][0, 6] == 0
    be, by = school_rates(g, land="BE"), school_rates(g, land="09")
    assert be["primary"][0].sum() == 6 and by["primary"][0].sum() == 4
    assert school_rates(g, land="12")["secondary"][0, 12] == 1.0
    c = care_rates(g)
    assert_allclose(c[:, [50, 80, 87, 95]], [[0.023, 0.271, 0.606, 0.864],
                                             [0.023, 0.196, 0.432, 0.696]])
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
        revenue_per_capita=100.0, cost_per_capita=10.0, key_allocation_per_capita=5.0,
        income_tax_per_taxpayer=50.0, income_tax_lag=2,
        facilities=(FacilityCost("u3", rates, float(users[0]) - 1, 1000.0, 10.0),),
        housing_area=HousingAreaCost(2026, {"street": 100.0}, {"street": 2000.0},
                                     {"street": 10.0}, {"street": 500.0}, {"street": 2}),
        discount_rate=0.03,
    )
    b = budget(res, params)
    assert_allclose(b.items["revenue_per_capita"][:, 0], 100 * total)
    assert_allclose(b.items["income_tax_share"][:, 0],
                    50 * working[[0, 0, 0, 1, 2]])
    cap = np.maximum.accumulate(np.maximum(users, users[0] - 1))
    assert_allclose(-b.items["u3_investment"][:, 0],
                    1000 * np.diff(np.concatenate([[users[0] - 1], cap])))
    assert_allclose(b.items["housing_area_construction"][:, 0], [0, -200000, 0, 0, 0])
    assert_allclose(b.items["housing_area_operation"][:, 0], [0, 0, -1000, -1000, -1000])
    assert_allclose(b.items["housing_area_renewal"][:, 0], [0, 0, 0, -50000, 0])
    assert b.net.shape == (5, 1)
    assert_allclose(b.npv, [(b.net[:, 0] / 1.03 ** np.arange(5)).sum()])
    assert_allclose(npv(np.array([[100.0], [100.0]]), np.array([2025, 2030]), 0.0), [1000.0])


def test_dask_batch_equals_single_process() -> None:
    from distributed import Client, LocalCluster

    from ortswandel.engine.distributed import run_batch, run_local

    inp = _inputs(areas=5, steps=5)
    scen = [Scenario("Basis"), Scenario("niedrig", (ScaleMigration(0.5),))]
    unc = Uncertainty(tfr_cv=0.1, e0_sd=0.5, migration_cv=0.2)
    local = run_local(inp, scen, chunk_size=2, trajectories=20, uncertainty=unc, seed=9)
    with LocalCluster(n_workers=1, processes=False, threads_per_worker=2,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        dist = run_batch(inp, scen, chunk_size=2, trajectories=20, uncertainty=unc, seed=9,
                         client=client)
    for name in ("Basis", "niedrig"):
        np.testing.assert_array_equal(dist.population[name], local.population[name])
        np.testing.assert_array_equal(dist.total_quantiles[name], local.total_quantiles[name])
    np.testing.assert_allclose(local.population["Basis"], project(inp).population, rtol=1e-13)


def test_invalid_uncertainty_is_explained() -> None:
    with pytest.raises(ValueError, match="Fix:"):
        Uncertainty(tfr_cv=-1)
