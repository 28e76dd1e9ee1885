"""Invariants of the projection (Hypothesis) and a plainly written per-area reference."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from ortswandel.engine import (
    AgeGrid,
    GrossMigration,
    HousingMigration,
    NetMigration,
    ProjectionInputs,
    project,
    take_areas,
)

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_inputs(
    seed: int,
    *,
    areas: int = 4,
    steps: int = 3,
    width: int = 1,
    open_age: int = 20,
    timing: str = "even",
    gross: bool = True,
    housing: bool = True,
    net_scale: float = 5.0,
) -> ProjectionInputs:
    rng = np.random.default_rng(seed)
    g = AgeGrid(width, open_age)
    pop = rng.uniform(0, 50, (areas, 2, g.n))
    pop[rng.random(pop.shape) < 0.1] = 0.0
    surv = rng.uniform(0.5, 1.0, (areas, 2, g.n))
    fert = np.zeros((areas, g.n))
    fert[:, 2:6] = rng.uniform(0, 0.3, (areas, 4))
    net = NetMigration(rng.normal(0, net_scale, (steps, areas, 2, g.n)))
    gm = None
    if gross:
        prof = rng.random((1, 2, g.n))
        gm = GrossMigration(
            rng.uniform(0, 0.2, (areas, 2, g.n)), rng.uniform(0, 20, (areas,)), prof / prof.sum()
        )
    hm = None
    if housing:
        prof = rng.random((2, g.n))
        hm = HousingMigration(
            rng.uniform(0, 5, (steps, areas, 2)), [3.2, 2.1], [0.8, 0.7], prof / prof.sum()
        )
    return ProjectionInputs(
        grid=g,
        population=pop,
        survival=surv,
        fertility=fert,
        steps=steps,
        sex_ratio_at_birth=rng.uniform(1.0, 1.1),
        net_migration=net,
        gross_migration=gm,
        housing=hm,
        migration_timing=timing,
        area_ids=tuple(f"{i:08d}" for i in range(areas)),
    )


def reference_projection(inp: ProjectionInputs) -> np.ndarray:
    """Straightforward loops over areas, sexes and ages (independent of the vectorised code)."""
    g, n = inp.grid, inp.grid.width
    a_n, steps = inp.n_areas, inp.steps
    out = np.zeros((steps + 1, a_n, 2, g.n))
    out[0] = inp.population
    half = 0.5 if inp.migration_timing == "even" else 0.0

    def at(arr, t, a):
        return arr[min(t, arr.shape[0] - 1)][min(a, arr.shape[1] - 1)]

    for t in range(steps):
        for a in range(a_n):
            p = out[t, a].copy()
            m = np.zeros((2, g.n))
            if inp.net_migration is not None:
                m += at(inp.net_migration.counts, t, a)
            if inp.gross_migration is not None:
                gm = inp.gross_migration
                rate = np.minimum(at(gm.out_rates, t, a) * n, 1.0)
                m -= rate * p
                tot = gm.in_total[min(t, len(gm.in_total) - 1)][min(a, gm.in_total.shape[1] - 1)]
                m += tot * n * gm.in_profile[min(a, gm.in_profile.shape[0] - 1)]
            if inp.housing is not None:
                h = inp.housing
                dw = at(h.dwellings, t, a)
                persons = sum(
                    dw[k] * h.occupants[k] * h.share_from_outside[k] for k in range(len(dw))
                )
                m += persons * n * h.profile[min(a, h.profile.shape[0] - 1)]
            s = at(inp.survival, t, a)
            f = at(inp.fertility, t, a)
            srb = at(inp.sex_ratio_at_birth, t, a)
            new = np.zeros((2, g.n))
            px = np.maximum(p + half * m, 0.0)
            for sex in range(2):
                for x in range(1, g.n):
                    new[sex, x] = px[sex, x - 1] * s[sex, x]
                new[sex, -1] += px[sex, -1] * s[sex, -1]
                for x in range(g.n):
                    new[sex, x] += half * m[sex, x]
            births = sum(n * f[x] * (px[0, x] + new[0, x]) / 2 for x in range(g.n))
            new[0, 0] += births / (1 + srb) * s[0, 0]
            new[1, 0] += births * srb / (1 + srb) * s[1, 0]
            if not half:
                new += m
            out[t + 1, a] = np.maximum(new, 0.0)
    return out


@SETTINGS
@given(
    seed=st.integers(0, 10_000),
    timing=st.sampled_from(["end", "even"]),
    width=st.sampled_from([1, 5]),
)
def test_matches_plain_reference_implementation(seed: int, timing: str, width: int) -> None:
    inp = random_inputs(
        seed, timing=timing, width=width, open_age=20 if width == 1 else 40, net_scale=0.5
    )
    res = project(inp)
    if len(res.clip_events) == 0:
        assert_allclose(res.population, reference_projection(inp), rtol=1e-10, atol=1e-9)


@SETTINGS
@given(
    seed=st.integers(0, 10_000),
    timing=st.sampled_from(["end", "even"]),
    by_age=st.booleans(),
    scale=st.sampled_from([0.0, 5.0, 200.0]),
)
def test_no_negatives_and_accounting_identity(
    seed: int, timing: str, by_age: bool, scale: float
) -> None:
    inp = random_inputs(seed, timing=timing, net_scale=scale)
    res = project(inp, by_age=by_age)
    assert (res.population >= 0).all()
    assert np.abs(res.accounting_residual()).max() < 1e-8 * max(1.0, res.population.max())
    # every clipped person is reported, and only where a cell was negative
    clipped = res.clipped.sum()
    assert clipped >= 0
    assert_allclose(
        res.clip_events[:, 4].sum() if len(res.clip_events) else 0.0, clipped, atol=1e-9
    )
    if scale == 0.0 and timing == "end":
        assert len(res.clip_events) == 0 or res.migration["out"].sum() > 0


@SETTINGS
@given(seed=st.integers(0, 10_000), width=st.sampled_from([1, 5]), steps=st.integers(1, 6))
def test_zero_rates_only_age_the_population(seed: int, width: int, steps: int) -> None:
    rng = np.random.default_rng(seed)
    g = AgeGrid(width, 30)
    pop = rng.uniform(0, 100, (3, 2, g.n))
    inp = ProjectionInputs(
        grid=g, population=pop, survival=np.ones((2, g.n)), fertility=np.zeros(g.n), steps=steps
    )
    res = project(inp)
    expect = pop.copy()
    for t in range(1, steps + 1):
        nxt = np.zeros_like(expect)
        nxt[..., 1:] = expect[..., :-1]
        nxt[..., -1] += expect[..., -1]
        expect = nxt
        assert_allclose(res.population[t], expect, rtol=1e-12)
    assert_allclose(
        res.population.sum(axis=(2, 3)), pop.sum(axis=(1, 2))[None].repeat(steps + 1, 0), rtol=1e-12
    )


@SETTINGS
@given(seed=st.integers(0, 10_000), data=st.data())
def test_independent_of_area_order(seed: int, data: st.DataObject) -> None:
    inp = random_inputs(seed, areas=6)
    perm = np.asarray(data.draw(st.permutations(range(6))))
    a = project(inp)
    b = project(take_areas(inp, perm))
    assert_allclose(b.population, a.population[:, perm], rtol=1e-13, atol=1e-12)
    assert_allclose(b.births, a.births[:, perm], rtol=1e-13, atol=1e-12)
    assert b.area_ids == tuple(inp.area_ids[i] for i in perm)


THOUSANDS = random_inputs(7, areas=3000, steps=5, open_age=40)
TOGETHER = {block: project(THOUSANDS, block=block) for block in (7, 512, 10_000)}


@settings(max_examples=30, deadline=None)
@given(k=st.integers(0, 2999), block=st.sampled_from([7, 512, 10_000]))
def test_one_area_alone_equals_same_area_among_thousands(k: int, block: int) -> None:
    together = TOGETHER[block]
    alone = project(take_areas(THOUSANDS, [k]))
    assert_allclose(alone.population[:, 0], together.population[:, k], rtol=1e-13, atol=1e-12)
    assert_allclose(alone.deaths[:, 0], together.deaths[:, k], rtol=1e-12, atol=1e-9)
    assert_allclose(alone.births[:, 0], together.births[:, k], rtol=1e-13, atol=1e-12)
    for name, arr in alone.migration.items():
        assert_allclose(arr[:, 0], together.migration[name][:, k], rtol=1e-12, atol=1e-9)


def test_one_area_per_block_equals_all_at_once() -> None:
    assert_allclose(
        project(THOUSANDS, block=1).population, TOGETHER[10_000].population, rtol=1e-13, atol=1e-12
    )


def test_uninitialised_memory_never_reaches_the_result(monkeypatch) -> None:
    """The projection allocates its output with ``np.empty``: whatever that memory holds (here:
    signalling NaN everywhere) must never be read — it once was, at age 0 before adding
    migration, which raised "invalid value encountered in add" when the garbage happened to be a
    signalling NaN."""
    real_empty = np.empty
    signalling_nan = np.array([0x7FF0000000000001], dtype=np.uint64).view(np.float64)[0]

    def nan_empty(shape, *args, **kwargs):
        array = real_empty(shape, *args, **kwargs)
        if array.dtype == np.float64:
            array.view(np.uint64).fill(signalling_nan.view(np.uint64))
        return array

    monkeypatch.setattr(np, "empty", nan_empty)
    result = project(take_areas(THOUSANDS, range(50)), block=7)
    assert np.isfinite(result.population).all()
    assert_allclose(result.population, TOGETHER[10_000].population[:, :50], rtol=1e-13, atol=1e-12)


def test_clipping_is_reported_where_it_happened() -> None:
    g = AgeGrid(1, 3)
    pop = np.array([[[10.0, 10, 10, 10], [10, 10, 10, 10]]])
    net = np.zeros((1, 2, 4))
    net[0, 1, 2] = -50.0  # 50 men aged 2 leave, only ~10 are there
    inp = ProjectionInputs(
        grid=g,
        population=pop,
        survival=np.ones((2, 4)),
        fertility=np.zeros(4),
        steps=1,
        net_migration=NetMigration(net),
    )
    res = project(inp)
    assert (res.population >= 0).all()
    assert len(res.clip_events) == 1
    step, area, sex, age, added = res.clip_events[0]
    assert (step, area, sex, age) == (0, 0, 1, 2)
    assert_allclose(added, 40.0)
    assert_allclose(res.net_migration[0, 0, 1], -10.0)
    assert_allclose(np.abs(res.accounting_residual()).max(), 0.0, atol=1e-12)


def test_single_year_hand_computed_step() -> None:
    # ages 0, 1 and open 2+, one step, "end" timing; computed by hand:
    # survivors: age 1 = 100 * 0.9 = 90, open = (50 + 20) * 0.5 = 35
    # births = width * f[1] * (women aged 1 at start + at end) / 2 = 0.2 * (50 + 90) / 2 = 14
    # girls 14 / 2.05 (alive at end: x 0.95), boys 14 * 1.05 / 2.05
    # deaths (by age at start): 100 * 0.1 + newborn deaths, 50 * 0.5, 20 * 0.5
    g = AgeGrid(1, 2)
    pop = np.array([[[100.0, 50.0, 20.0], [100.0, 50.0, 20.0]]])
    surv = np.array([[0.95, 0.9, 0.5], [0.95, 0.9, 0.5]])
    fert = np.array([0.0, 0.2, 0.0])
    inp = ProjectionInputs(grid=g, population=pop, survival=surv, fertility=fert, steps=1)
    res = project(inp, by_age=True)
    girls, boys = 14 / 2.05, 14 * 1.05 / 2.05
    assert_allclose(res.population[1, 0, 0], [girls * 0.95, 90, 35])
    assert_allclose(res.population[1, 0, 1], [boys * 0.95, 90, 35])
    assert_allclose(res.births[0, 0], [girls, boys])
    assert_allclose(res.deaths[0, 0, 0], [10 + girls * 0.05, 25, 10])
