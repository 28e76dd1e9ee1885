"""The scenario builder (``ortswandel.scenario.build``) against the official files.

Skipped with a reason when the data directory is absent. The numerical building blocks have
exact synthetic tests in tests/engine/test_engine_history.py.
"""

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ortswandel.core.env import data_dir
from ortswandel.engine import project
from ortswandel.engine.residual import group_sums
from ortswandel.scenario import parse_scenario, run, tables
from ortswandel.scenario.assumptions import (
    MigrationOptions,
    _expected,
    district_assumptions,
    tfr_basis_factor,
)
from ortswandel.scenario.build import BuildError, build_scenario
from ortswandel.scenario.errorband import error_band, error_text, mean_absolute_error
from ortswandel.sources.derived import district_single_years, land_standard, period_death_rates
from ortswandel.sources.official import FILES, OfficialData

DATA = data_dir()
HAVE_DATA = all((DATA / rel).exists() for rel, *_ in FILES.values())
needs_data = pytest.mark.skipif(not HAVE_DATA, reason=f"official data not in {DATA}")


@pytest.fixture(scope="module")
def data() -> OfficialData:
    return OfficialData(DATA)


@needs_data
def test_district_file_reproduces_the_service(data: OfficialData) -> None:
    b = build_scenario(["09162"], 2017, horizon=3, data=data)
    doc = json.loads(json.dumps(b.document))
    assert doc["start_year"] == 2017 and doc["steps"] == 3
    assert [a["id"] for a in doc["areas"]] == ["09162"]
    spec = parse_scenario(doc)
    from_file = run(spec).projections["Basis"].population
    from_service = project(b.inputs).population
    assert_allclose(from_file, from_service, rtol=1e-6, atol=0.01)  # file: 1/1000 person
    cols, rows = tables(run(spec))["population"]
    assert cols == ["year", "area", "sex", "age", "population"]
    assert {r[1] for r in rows} == {"09162"}
    # base = official district ages of 31.12.2017 (17 groups)
    hist = data.districts
    i = hist.ags5.index("09162")
    assert_allclose(group_sums(b.inputs.population[0], hist.group_starts), hist.at(2017)[i])
    assert any(s["table"] == "12411-0018" for s in b.sources)
    assert all("dl-de/by-2-0" in s["attribution"] for s in b.sources)


@needs_data
def test_base_year_reproduced_exactly_by_its_own_rates(data: OfficialData) -> None:
    """Estimated from 2016 -> 2017 and applied to 31.12.2016, the residual rates give the
    official groups of 31.12.2017 back (the method's accounting identity)."""
    a = district_assumptions(data, 2017, MigrationOptions(base_years=(2017,), shrink=0.0))
    m = period_death_rates(data, 2017).m
    p2016 = district_single_years(data, 2016, land_standard(data, 2016, m))
    # births during 2017 at the fertility of 2017 (Land TFR x child-woman factor)
    exp = _expected(p2016, a.survival, a.fertility, 2016)
    again = exp * (1 + a.rates_single)
    hist = data.districts
    assert_allclose(group_sums(again, hist.group_starts), hist.at(2017), rtol=1e-9)


@needs_data
def test_multi_area_and_municipal_build(data: OfficialData) -> None:
    b = build_scenario(["09162000", "09184"], 2022, horizon=2, data=data)
    assert [a["id"] for a in b.document["areas"]] == ["09162000", "09184"]
    assert b.areas[0]["level"] == "Gemeinde" and b.areas[1]["level"] == "Kreis"
    muni = next(m for m in data.municipalities if m["ags"] == "09162000")
    assert_allclose(
        b.inputs.population[0].sum(axis=1), [float(muni["female"]), float(muni["male"])]
    )
    text = " ".join(b.estimates)
    assert "Altersstruktur der Gemeinden geschätzt" in text and "Kreise aus ihrem Land" in text
    assert "09162000: Wanderungsraten" in text
    assert "Zensus 2011" in text  # the TFR basis factor of 2021 carried to 2022
    assert "eine Sterbetafel und eine Fertilität für alle Gebiete" in text
    spec = parse_scenario(json.loads(json.dumps(b.document)))
    a, c = run(spec).projections["Basis"].population, project(b.inputs).population
    assert_allclose(a.sum(axis=(2, 3)), c.sum(axis=(2, 3)), rtol=5e-3)  # shared tables
    assert_allclose(b.migration_counts, b.inputs.net_migration.counts[0])


@needs_data
def test_flagged_base_years_and_national_path(data: OfficialData) -> None:
    b = build_scenario(["03159"], 2017, horizon=2, base_years=[2016, 2017], data=data)
    assert any("Fluchtmigration" in e for e in b.estimates)
    assert b.notes["base_years"] == [2016, 2017]
    w = build_scenario(["09162"], 2022, horizon=3, national_migration="W2", data=data)
    national = w.notes["national_net_migration"]
    expected = np.interp([2023, 2024, 2025], [2022, 2033], [1_300_000, 250_000]) / national
    assert_allclose(w.migration_level, expected)
    assert w.document["paths"]["migration_level"] == pytest.approx(list(expected))
    first = build_scenario(["09162"], 2015, horizon=1, data=data)  # no district history
    assert any("Raten des Landes" in e for e in first.estimates)
    assert any("2015" in e and "Fluchtmigration" in e for e in first.estimates)
    n = build_scenario(["09162"], 2020, horizon=2, national_migration=[0, 0], data=data)
    assert n.migration_level == [0.0, 0.0]
    assert project(n.inputs).net_migration.sum() == 0


@needs_data
@pytest.mark.parametrize(
    ("ags", "launch", "kwargs", "field"),
    [
        (["0916"], 2017, {}, "--ags"),
        (["09162", "09162"], 2017, {}, "--ags"),
        (["99999"], 2017, {}, "--ags"),
        (["09162999"], 2022, {}, "--ags"),
        (["09162000"], 2017, {}, "--launch"),
        (["09162"], 2013, {}, "--launch"),
        (["09162"], 2021, {}, "--launch"),
        (["09162"], 2017, {"base_years": [2018]}, "--base-years"),
        (["09162"], 2017, {"base_years": [2014]}, "--base-years"),
        (["09162"], 2017, {"horizon": 0}, "--horizon"),
        (["09162"], 2017, {"national_migration": "W1"}, "--national-migration"),
        (["09162"], 2022, {"national_migration": "W9"}, "--national-migration"),
        (["09162"], 2022, {"national_migration": [1.0]}, "--national-migration"),
        (["09162"], 2022, {"national_migration": [-1.0] * 10}, "--national-migration"),
    ],
)
def test_bad_input_is_one_build_error(data, ags, launch, kwargs, field) -> None:
    with pytest.raises(BuildError) as exc:
        build_scenario(ags, launch, data=data, **kwargs)
    assert exc.value.field == field
    assert "\n" not in str(exc.value) and "Fix:" in str(exc.value)


def test_missing_data_directory_is_a_build_error(tmp_path) -> None:
    with pytest.raises(BuildError, match="ORTSWANDEL_DATA_DIR"):
        build_scenario(["09162"], 2017, data=OfficialData(tmp_path))


@needs_data
def test_tfr_basis_factor(data: OfficialData) -> None:
    f2021, est = tfr_basis_factor(data, 2021)
    assert_allclose(f2021, 1.576 / 1.610, atol=1e-3) and not est
    assert tfr_basis_factor(data, 2022) == (f2021, True)
    assert tfr_basis_factor(data, 2005)[0] == pytest.approx(1.0, abs=2e-3)


def test_error_band_for_the_ui() -> None:
    band = error_band()
    assert set(band["by_horizon"]) >= {"1", "2", "3"}
    three = band["by_horizon"]["3"]
    assert three["total"]["mape"] <= 1.0
    for b in ("total", "0-5", "6-17", "65+", "75+"):  # the target the bench measured
        assert three[b]["mape"] < min(v[b]["mape"] for v in band["baselines"]["3"].values())
    assert mean_absolute_error(3) == three["total"]["mape"]
    assert mean_absolute_error(50) is None and error_text(50) is None
    text = error_text(3)
    assert text is not None and "nach 3 Jahren im Mittel um" in text and "," in text
