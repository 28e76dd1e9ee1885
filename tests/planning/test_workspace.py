"""The workspace computation (no database): defaults, changed assumptions, scenarios,
infrastructure with capacity changes, budget with housing-area follow-up costs, fan chart."""

from __future__ import annotations

import numpy as np
import pytest

from ortswandel.planning.workspace import (
    BASE,
    ScenarioChoice,
    Settings,
    base_defaults,
    compute,
    fan_chart,
    scenario_document,
)
from ortswandel.scenario import parse_scenario

from .conftest import AGS, needs_data

pytestmark = needs_data


def test_default_projection_covers_25_years_with_sources_and_error_band(built):
    r = compute(built, Settings())
    assert r["ags"] == AGS and r["name"].startswith("Wittenberge")
    assert len(r["years"]) == 26 and r["years"][-1] == r["launch"] + 25
    total = r["totals"][BASE]
    assert total[0] == pytest.approx(built.areas[0]["population"], rel=1e-6)
    # age groups add up to the total every year
    groups = np.array(list(r["age_groups"][BASE].values())).sum(axis=0)
    np.testing.assert_allclose(groups, total, atol=0.5)  # each value rounded to 0.1
    assert r["sources"] and all(s["attribution"] for s in r["sources"])
    assert [e["horizon"] for e in r["error_band"]][:3] == [1, 2, 3]
    assert r["error_band"][2]["mape"] > 0


def test_defaults_name_their_source(built):
    d = base_defaults(built)
    assert 1.0 < d["tfr"] < 2.5 and 75 < d["e0_female"] < 90 and 70 < d["e0_male"] < 85
    assert "Destatis" in d["tfr_source"] or "Geburtenziffer" in d["tfr_source"]
    assert "12621-0001" in d["e0_source"]


def test_changed_assumptions_move_the_projection_the_right_way(built):
    base = compute(built, Settings())["totals"][BASE][-1]
    more_births = compute(built, Settings(tfr=2.1))["totals"][BASE][-1]
    longer_life = compute(built, Settings(e0_female=90, e0_male=88))["totals"][BASE][-1]
    no_migration = compute(built, Settings(migration_factor=0.0))["totals"][BASE][-1]
    assert more_births > base
    assert longer_life > base
    assert no_migration != pytest.approx(base, rel=1e-3)


def test_housing_area_adds_people_and_follow_up_costs_only_in_its_scenario(built):
    s = Settings(
        scenarios=(ScenarioChoice("housing", "Neubau", 2025, per_year=30, years=4),),
    )
    r = compute(built, s)
    assert r["totals"]["Neubau"][-1] > r["totals"][BASE][-1] + 200
    i = r["years"].index(2025)
    assert r["totals"]["Neubau"][i - 1] == r["totals"][BASE][i - 1]  # nothing before 2025
    # 30 dwellings finished in 2025 are lived in on 31.12.2025: 30 × 3.0 × 0.8 = 72 persons
    assert r["totals"]["Neubau"][i] - r["totals"][BASE][i] == pytest.approx(72, abs=1)
    items = r["budget"]["Neubau"]["items"]
    assert "housing_area_construction" in items
    assert "housing_area_construction" not in r["budget"][BASE]["items"]
    # 120 dwellings × (5 m street × 1800 + 10 m pipes × 900) = 2.16 M EUR in 2025
    year = r["years"].index(2025)
    assert -items["housing_area_construction"][year] == pytest.approx(120 * (5 * 1800 + 10 * 900))


def test_migration_scenario_scales_migration(built):
    s = Settings(scenarios=(ScenarioChoice("migration", "Weniger", 2024, factor=0.0),))
    r = compute(built, s)
    r0 = compute(built, Settings(migration_factor=0.0))
    np.testing.assert_allclose(r["totals"]["Weniger"], r0["totals"][BASE], rtol=1e-9)


def test_kita_group_closing_lowers_capacity_from_its_year_and_flags_the_threshold(built):
    s = Settings(
        capacities={"kita_3_6": 500.0},
        scenarios=(
            ScenarioChoice(
                "kita", "Gruppe zu", 2027, facility="kita_3_6", groups=-4, group_size=25
            ),
        ),
    )
    r = compute(built, s)
    base, closed = (
        r["infrastructure"][BASE]["kita_3_6"],
        r["infrastructure"]["Gruppe zu"]["kita_3_6"],
    )
    i = r["years"].index(2027)
    assert closed["capacity"][i - 1] == 500 and closed["capacity"][i] == 400
    assert base["capacity"][i] == 500
    assert closed["demand"] == base["demand"]  # no population change
    assert closed["utilisation"][i] == pytest.approx(closed["demand"][i] / 400, abs=1e-3)


def test_school_merger_removes_places_and_classes_follow_land_rules(built):
    s = Settings(
        capacities={"primary": 600.0},
        scenarios=(ScenarioChoice("school", "Fusion", 2030, facility="primary", places=200),),
    )
    r = compute(built, s)
    merged = r["infrastructure"]["Fusion"]["primary"]
    assert merged["capacity"][-1] == 400
    # Brandenburg: six primary grades, at most 25 pupils per class by default
    assert all(c >= d / 25 for c, d in zip(merged["classes"], merged["demand"], strict=True))


def test_threshold_years_are_reported(built):
    r = compute(built, Settings(capacities={"kita_3_6": 1.0, "care_residential": 1e6}))
    assert r["infrastructure"][BASE]["kita_3_6"]["first_exceeded"] == r["years"][0] or (
        r["infrastructure"][BASE]["kita_3_6"]["first_exceeded"] is None
        and r["infrastructure"][BASE]["kita_3_6"]["demand"][0] <= 1.0
    )
    assert r["infrastructure"][BASE]["care_residential"]["first_below"] is not None


def test_document_is_a_valid_scenario_file(built):
    s = Settings(
        tfr=1.7,
        migration_factor=1.2,
        scenarios=(ScenarioChoice("housing", "Neubau", 2025, per_year=10, years=2),),
    )
    doc = scenario_document(built, s)
    assert doc["paths"]["tfr"] == [1.7] * 25
    assert doc["scenarios"][0]["changes"][0]["type"] == "add_dwellings"
    spec = parse_scenario(doc)
    assert len(spec.scenarios) == 1


def test_settings_round_trip(built):
    s = Settings(tfr=1.4, scenarios=(ScenarioChoice("migration", "M", 2024, factor=1.5),))
    assert Settings.from_dict(s.as_dict()) == s


def test_fan_chart_orders_its_quantiles(built):
    f = fan_chart(built, Settings(), n=200)
    q = np.array(f["scenarios"][BASE])
    assert q.shape == (5, 26)
    assert (np.diff(q[:, -1]) >= 0).all() and q[-1, -1] > q[0, -1]


def test_care_split_is_the_districts_official_figure(built):
    """The split by kind of care comes from Pflegestatistik 22411-02-03-4 of Wittenberge's
    district (Prignitz), read here by hand from the file, and is labelled as an estimate."""
    from tests.datapool.test_care import REL, _expected

    from .conftest import DATA

    year, expected = _expected(DATA / REL, built.areas[0]["kreis"])
    r = compute(built, Settings())
    assert r["care"]["shares"] == pytest.approx(expected, abs=1e-12)
    assert (r["care"]["level"], r["care"]["year"]) == ("Kreis", year)
    infra = r["infrastructure"][BASE]
    for key, share in expected.items():
        # demand per kind = all persons in need of care x the district's share (rounded to 0.1)
        total = np.array(infra["care_home"]["demand"]) + infra["care_ambulatory"]["demand"]
        total = total + infra["care_residential"]["demand"]
        np.testing.assert_allclose(infra[key]["demand"], total * share, atol=0.2)
    for part in ("22411-02-03-4", str(year), "dl-de/by-2-0", "Schätzung"):
        assert part in r["care_source"]


@pytest.mark.slow
@pytest.mark.django_db
def test_missing_care_table_is_a_clear_unprocessable_error(tmp_path, settings):
    """Without the Pflegestatistik the workspace says what is missing (422), never a 500."""
    from ortswandel.core.errors import Unprocessable
    from ortswandel.planning.selectors import workspace_result
    from tests.datapool.test_care import REL

    from .conftest import DATA

    for path in DATA.rglob("*"):
        if path.is_file() and path.relative_to(DATA).as_posix() != REL:
            target = tmp_path / path.relative_to(DATA)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    settings.ORTSWANDEL_DATA_DIR = tmp_path
    settings.ORTSWANDEL_DERIVED_DIR = tmp_path / "derived"
    with pytest.raises(Unprocessable) as caught:
        workspace_result(ags=AGS, s=Settings(horizon=5))
    assert caught.value.code == "data_missing"
    assert "22411-02-03-4" in str(caught.value.message)
