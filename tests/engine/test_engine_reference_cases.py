"""Published and hand-checkable reference cases.

* Preston, Heuveline & Guillot (2001), *Demography*, Box 6.2: female population of
  Sweden 1993 -> 1998, 5-year groups, open 85+, Lx, fertility 15-49, net migrants
  ("even" timing). Inputs and published results transcribed from the copies in
  markalava/ccmppWPP (data-raw/sweden_1993.R) and markalava/CCMPP
  (tests/testthat/preseton_sweden_box_6_2.R). The males there are a synthetic
  copy of the females (same inputs), so only their 0-4 group differs (x 1.05).
  The book rounds to whole persons: tolerance 0.5 persons.
* Shared reference README: Leslie matrix (statdemog), Rogers–Castro schedule,
  Hamilton–Perry. Numbers transcribed from there.
"""

import numpy as np
from numpy.testing import assert_allclose

from ortswandel.engine import (
    AgeGrid,
    LifeTable,
    NetMigration,
    ProjectionInputs,
    RogersCastro,
    project,
    rogers_castro,
    survival_from_tables,
)
from ortswandel.engine.leslie import hamilton_perry, leslie_matrix, stable_population

P0 = [
    293395,
    248369,
    240012,
    261346,
    285209,
    314388,
    281290,
    286923,
    304108,
    324946,
    247613,
    211351,
    215140,
    221764,
    223506,
    183654,
    141990,
    112424,
]
LX = [
    497487,
    497138,
    496901,
    496531,
    495902,
    495168,
    494213,
    492760,
    490447,
    486613,
    480665,
    471786,
    457852,
    436153,
    402775,
    350358,
    271512,
    291707,
]
FX = [0.0120, 0.0908, 0.1499, 0.1125, 0.0441, 0.0074, 0.0003]
NM = [
    6840,
    4150,
    3365,
    5270,
    9240,
    8230,
    5470,
    3155,
    1770,
    1115,
    1075,
    845,
    645,
    530,
    465,
    300,
    250,
    175,
]
PZ_F = [
    302392,
    298682,
    252007,
    244150,
    268267,
    293515,
    320624,
    284767,
    288031,
    303166,
    322062,
    243989,
    205841,
    205516,
    205270,
    194771,
    142565,
    131966,
]
PZ_M_0 = 317340
BIRTHS_BY_AGE = [15244, 126688, 229354, 170057, 63203, 10971, 472]  # mothers 15-19 .. 45-49


def _preston_inputs() -> ProjectionInputs:
    grid = AgeGrid(5, 85)
    lt = LifeTable(np.array(LX, dtype=float), width=5)
    fert = np.zeros(grid.n)
    fert[3:10] = FX
    pop = np.array([P0, P0], dtype=float)
    return ProjectionInputs(
        grid=grid,
        population=pop,
        survival=survival_from_tables(lt, lt),
        fertility=fert,
        steps=1,
        start_year=1993,
        net_migration=NetMigration(np.array([NM, NM], dtype=float)[None]),
        migration_timing="even",
    )


def test_preston_box_6_2_sweden_1993_to_1998() -> None:
    res = project(_preston_inputs(), by_age=True)
    assert list(res.years) == [1993, 1998]
    assert_allclose(res.population[1, 0, 0], PZ_F, atol=0.5)
    assert_allclose(res.population[1, 0, 1, 0], PZ_M_0, atol=0.5)
    assert_allclose(res.population[1, 0, 1, 1:], PZ_F[1:], atol=0.5)
    assert_allclose(res.births[0, 0].sum(), sum(BIRTHS_BY_AGE), atol=1.0)
    assert_allclose(np.abs(res.accounting_residual()).max(), 0.0, atol=1e-6)


def test_preston_births_by_age_of_mother() -> None:
    # births by age of mother, derived by hand from the same formula: n * f * (P_start + P_end)/2
    res = project(_preston_inputs(), by_age=True)
    p_start = np.array(P0, float) + np.array(NM, float) / 2
    p_end = res.population[1, 0, 0]
    by_age = 5 * np.array(FX) * (p_start[3:10] + p_end[3:10]) / 2
    assert_allclose(by_age, BIRTHS_BY_AGE, atol=0.6)


def test_leslie_reference_case() -> None:
    m = leslie_matrix([0.0, 0.675, 0.03], [0.65, 0.75, 0.15])
    assert_allclose(m, [[0, 0.675, 0.03], [0.65, 0, 0], [0, 0.75, 0.15]])
    p = np.array([18000.0, 17000.0, 14000.0])
    assert_allclose(m @ p, [11895, 11700, 14850], rtol=1e-12)
    assert_allclose(np.linalg.matrix_power(m, 10) @ p, [392.28855, 366.71224, 524.32819], atol=5e-5)
    st = stable_population(m)
    assert_allclose(st.r, -0.38157036, atol=1e-8)
    assert_allclose(st.shares, [0.30376041, 0.28917346, 0.40706613], atol=1e-8)


def test_rogers_castro_reference_values() -> None:
    x = [0, 5, 10, 15, 20, 25, 30, 40, 50, 65, 80]
    want = [
        0.023000,
        0.015131,
        0.010358,
        0.007524,
        0.027779,
        0.036427,
        0.025668,
        0.011484,
        0.006122,
        0.003697,
        0.003155,
    ]
    assert_allclose(rogers_castro(x, RogersCastro()), want, atol=5e-7)
    fine = np.arange(15, 35, 0.001)
    m = rogers_castro(fine, RogersCastro())
    assert abs(fine[np.argmax(m)] - 23.32) < 0.01
    assert_allclose(m.max(), 0.037969, atol=5e-7)


def test_hamilton_perry_reference_case() -> None:
    out = hamilton_perry([100, 110, 120, 130, 400], [105, 102, 115, 125, 420], 200, 210)
    assert_allclose(out, [110.25, 107.1, 106.6364, 119.7917, 431.8868], atol=5e-5)


def test_cohort_component_equals_preston_leslie_matrix() -> None:
    # Preston et al. (2001), sec. 6.3: without migration the projection is a Leslie matrix with
    # first row  S0 * n/2 * (F_i + S_{i+1} F_{i+1}) / (1 + srb)  (female, one-sex form).
    inp = _preston_inputs()
    inp_closed = ProjectionInputs(
        grid=inp.grid,
        population=inp.population,
        survival=inp.survival,
        fertility=inp.fertility,
        steps=10,
    )
    res = project(inp_closed)
    s = inp.survival[0, 0, 0]
    f = inp.fertility[0, 0]
    n, srb = 5, 1.05
    row = s[0] * n / 2 * (f + np.append(s[1:], 0) * np.append(f[1:], 0)) / (1 + srb)
    surv = np.append(s[1:], s[-1])
    m = leslie_matrix(row, surv)
    m[-1, -2] = s[-1]  # the last closed group also enters the open group with S_open
    p = np.array(P0, float)
    for t in range(1, 11):
        p = m @ p
        assert_allclose(res.population[t, 0, 0], p, rtol=1e-12)
