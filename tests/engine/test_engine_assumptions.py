"""Life tables, fertility schedules, migration schedules, age splitting, paths, scenarios."""

import ast
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from ortswandel.engine import (
    AddDwellings,
    AgeGrid,
    EngineValueError,
    LifeTable,
    NetMigration,
    ProjectionInputs,
    ScaleFertility,
    ScaleMigration,
    Scenario,
    ShapeError,
    compare,
    e0_from_survival,
    gamma_schedule,
    mortality_scale_for_e0,
    project,
    run_scenarios,
    scale_mortality,
    split_groups,
    survival_from_tables,
    tfr,
)
from ortswandel.engine.lifetable import lx_from_survival
from ortswandel.engine.paths import apply_e0_path, apply_migration_path, apply_tfr_path


def test_life_table_from_qx_constant_hazard_by_hand() -> None:
    # q = 0.1 at every age, single years, open group 3+; by hand (radix 1):
    # l = 1, .9, .81, .729; d = .1, .09, .081; a0 (Coale-Demeny, female, q0 = .1) = .35
    # L0 = .9 + .35 * .1 = .935, L1 = .81 + .5 * .09 = .855, L2 = .729 + .5 * .081 = .7695
    # open: m = d2 / L2 = .081 / .7695, T3 = l3 / m
    lt = LifeTable.from_qx([0.1, 0.1, 0.1], width=1, sex="female", radix=1.0)
    t3 = 0.729 / (0.081 / 0.7695)
    assert_allclose(lt.Lx, [0.935, 0.855, 0.7695, t3])
    s = lt.survival_ratios()
    assert_allclose(s, [0.935, 0.855 / 0.935, 0.7695 / 0.855, t3 / (0.7695 + t3)])
    assert_allclose(lt.e0, 0.935 + 0.855 + 0.7695 + t3)
    assert_allclose(lx_from_survival(s, 1, radix=1.0), lt.Lx)
    male = LifeTable.from_qx([0.05, 0.1, 0.1], width=1, sex="male", radix=1.0)
    assert_allclose(male.Lx[0], 0.95 + (0.0425 + 2.875 * 0.05) * 0.05)


def test_five_year_life_table_from_qx_with_ax() -> None:
    # 5-year groups, radix 1: l = 1, .99, .98, .9702; L = 5 l(x+5) + a d
    lt = LifeTable.from_qx([0.01, 0.01 / 0.99, 0.01], width=5, ax=[1.0, 2.5, 2.5], radix=1.0)
    l5, l10, l15 = 0.99, 0.98, 0.98 * 0.99
    assert_allclose(
        lt.Lx[:3], [5 * l5 + 1.0 * 0.01, 5 * l10 + 2.5 * 0.01, 5 * l15 + 2.5 * (l10 - l15)]
    )
    with pytest.raises(EngineValueError, match="ax"):
        LifeTable.from_qx([0.01, 0.01, 0.01], width=5, ax=[6.0, 2.5, 2.5])


def test_life_table_validation_messages() -> None:
    with pytest.raises(EngineValueError, match="Fix:"):
        LifeTable(np.array([100.0, -1.0, 5.0]))
    with pytest.raises(EngineValueError, match=r"<= 1"):
        LifeTable.from_qx([0.1, 1.5, 0.2])
    with pytest.raises(EngineValueError, match="radix"):
        LifeTable(np.array([600000.0, 5.0, 5.0]), width=5)


def test_mortality_scaling_reaches_target_e0() -> None:
    q = 1 - np.exp(-0.00003 * np.exp(0.095 * np.arange(100)))
    s = LifeTable.from_qx(q).survival_ratios()
    for target in (70.0, 80.0, 88.0):
        k = mortality_scale_for_e0(s, 1, target)
        assert_allclose(e0_from_survival(scale_mortality(s, k), 1), target, atol=1e-6)
    with pytest.raises(EngineValueError, match="cannot be reached"):
        mortality_scale_for_e0(s, 1, 0.0)


def test_gamma_schedule_has_requested_tfr_and_mean_age() -> None:
    g = AgeGrid(1, 100)
    f = gamma_schedule(g, 1.46, 31.5)
    assert_allclose(tfr(f, 1), 1.46)
    mean = (f * (g.starts + 0.5)).sum() / f.sum()
    assert abs(mean - 31.5) < 0.15
    assert f[:15].sum() == 0 and f[50:].sum() == 0
    g5 = AgeGrid(5, 85)
    assert_allclose(tfr(gamma_schedule(g5, 2.0, 29.0), 5), 2.0)


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.floats(0, 1e5), min_size=17, max_size=17))
def test_split_groups_preserves_mass_and_is_non_negative(counts: list[float]) -> None:
    bounds = [0, 3, 6, 10, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 75]
    single = split_groups(np.array(counts), bounds)
    assert single.shape == (101,)
    assert (single >= 0).all()
    edges = [*bounds, 101]
    for i, c in enumerate(counts):
        assert_allclose(single[edges[i] : edges[i + 1]].sum(), c, rtol=1e-9, atol=1e-6)


def test_split_groups_smooth_for_linear_density() -> None:
    # a population with constant density 10 per year must come back as 10 per year
    bounds = [0, 3, 6, 10, 15, 20]
    counts = np.array([30.0, 30, 40, 50, 50, 10 * 81])
    single = split_groups(counts, bounds, open_to=100, open_weights=np.ones(81))
    assert_allclose(single, 10.0, rtol=1e-9)
    with pytest.raises(EngineValueError):
        split_groups(counts, [0, 3, 2, 10, 15, 20])


def _inputs(steps: int = 5) -> ProjectionInputs:
    g = AgeGrid(1, 100)
    q = 1 - np.exp(-0.00003 * np.exp(0.095 * np.arange(100)))
    lt = LifeTable.from_qx(q)
    pop = np.full((2, 2, g.n), 100.0)
    return ProjectionInputs(
        grid=g,
        population=pop,
        survival=survival_from_tables(lt, lt),
        fertility=gamma_schedule(g, 1.5, 31.0),
        steps=steps,
        start_year=2025,
        net_migration=NetMigration(np.full((1, 2, g.n), 1.0)),
        migration_timing="even",
    )


def test_paths_scale_inputs() -> None:
    inp = _inputs()
    t = apply_tfr_path(inp, [1.4, 1.5, 1.6, 1.7, 1.8])
    assert_allclose(tfr(t.fertility[:, 0], 1), [1.4, 1.5, 1.6, 1.7, 1.8])
    e = apply_e0_path(inp, np.linspace(84, 86, 5), np.linspace(79, 81, 5))
    assert_allclose(
        e0_from_survival(e.survival[:, 0], 1),
        np.stack([np.linspace(84, 86, 5), np.linspace(79, 81, 5)], axis=1),
        atol=1e-6,
    )
    m = apply_migration_path(inp, [0, 0, 0, 0, 0])
    assert project(m).migration["net"].sum() == 0
    with pytest.raises(ShapeError, match="one per step"):
        apply_tfr_path(inp, [1.5, 1.5])


def test_scenarios_compose_and_compare() -> None:
    inp = _inputs(steps=6)
    res = run_scenarios(
        inp,
        [
            Scenario("Neubaugebiet 120 WE ab 2027", (AddDwellings(2027, 30.0, years=4),)),
            Scenario("niedrige Zuwanderung", (ScaleMigration(0.5),)),
            Scenario("höhere Geburtenrate", (ScaleFertility(1.2),)),
            Scenario("beides", (ScaleFertility(1.2), ScaleMigration(0.5))),
        ],
    )
    cmp = compare(res)
    new = cmp["Neubaugebiet 120 WE ab 2027"]
    # nothing changes before 2027; afterwards 30 dwellings x 3.0 x 0.8 = 72 persons per year arrive
    assert_allclose(new.total[:3], 0.0, atol=1e-9)
    assert new.total[3].min() > 60
    assert_allclose(res["Neubaugebiet 120 WE ab 2027"].migration["housing"][2:6].sum(axis=2), 72.0)
    assert cmp["niedrige Zuwanderung"].total[-1].max() < 0
    assert cmp["höhere Geburtenrate"].by_band[-1, :, 0].min() > 0
    assert_allclose(
        cmp["höhere Geburtenrate"].by_band.sum(axis=2), cmp["höhere Geburtenrate"].total
    )
    with pytest.raises(EngineValueError, match="unique"):
        run_scenarios(inp, [Scenario("Basis")])


def test_engine_is_pure() -> None:
    """No Django, file or network access inside the numeric core (dask only in distributed)."""
    root = Path(__file__).resolve().parents[2] / "src" / "ortswandel" / "engine"
    banned = {"django", "os", "pathlib", "socket", "urllib", "requests", "http", "io", "shutil"}
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [(node.module or "").split(".")[0]]
            assert not banned & set(names), f"{path.name} imports {banned & set(names)}"
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                ours = node.module.split(".")[:2]
                assert ours[0] != "ortswandel" or ours == ["ortswandel", "engine"], (
                    f"{path.name} imports {node.module}: the engine imports nothing of ours"
                )
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("ortswandel.") or alias.name.startswith(
                        "ortswandel.engine"
                    ), f"{path.name} imports {alias.name}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "open", f"{path.name} opens files"
        assert len(path.read_text(encoding="utf-8").splitlines()) < 520, path.name
