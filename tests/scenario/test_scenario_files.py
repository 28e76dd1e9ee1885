"""Scenario JSON: parsing, clear problems, schema, results."""

import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from numpy.testing import assert_allclose
from scenario_examples import doc

from ortswandel.scenario import ScenarioError, load_scenario, parse_scenario, run, tables

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "scenario.schema.json").read_text(
        encoding="utf-8"
    )
)


def problems(d: dict) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(d)
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize("name", ["preston", "full"])
def test_examples_are_valid_against_schema_and_parser(name: str) -> None:
    d = doc(name)
    jsonschema.validate(d, SCHEMA)
    spec = parse_scenario(d)
    assert spec.inputs.steps >= 1


def test_preston_document_reproduces_box_6_2() -> None:
    res = run(parse_scenario(doc("preston")))
    pop = res.projections["Basis"].population
    assert_allclose(pop[1, 0, 0, :3], [302392, 298682, 252007], atol=0.5)


def test_full_document_runs_everything() -> None:
    spec = parse_scenario(doc("full"))
    assert spec.inputs.area_ids == ("09162000", "09184112")
    res = run(spec, trajectories=30)
    assert set(res.projections) == {
        "Basis",
        "Neubaugebiet 120 WE ab 2027",
        "niedrige Zuwanderung",
        "höhere Geburtenrate",
    }
    for p in res.projections.values():
        assert np.abs(p.accounting_residual()).max() < 1e-8
    assert set(res.capacity["Basis"]) == {"kita_u3", "kita_3_6", "primary", "care"}
    assert res.budgets["Basis"].net.shape == (9, 2)
    tabs = tables(res)
    assert tabs["population"][0][:5] == ["year", "area", "sex", "age", "population"]
    assert len(tabs["population"][1]) == 4 * 9 * 2 * 2 * 101
    assert {
        "components",
        "differences",
        "infrastructure",
        "capacity_summary",
        "budget",
        "budget_npv",
        "quantiles",
    } <= set(tabs)
    new = [
        r
        for r in tabs["differences"][1]
        if r[4] == "Neubaugebiet 120 WE ab 2027" and r[2] == "total"
    ]
    assert all(r[3] == 0 for r in new if r[0] <= 2027) and max(r[3] for r in new) > 100


def test_wrong_lengths_negatives_nonfinite_and_fertility_range() -> None:
    d = doc("preston")
    d["population"]["female"] = d["population"]["female"][:-1]
    d["population"]["male"][3] = -5
    d["net_migration"]["male"][0] = float("nan")
    d["fertility"]["first_age"] = 70
    out = problems(d)
    assert any(p.startswith("population.female: has 17 values, expected 18") for p in out)
    assert any(p.startswith("population.male[3]: must be >= 0") for p in out)
    assert any(p.startswith("net_migration.male[0]: must be a finite number") for p in out)
    assert any(p.startswith("fertility.rates: covers ages 70-104") for p in out)
    assert all("Fix:" in p for p in out)
    assert len(out) == 4


def test_unknown_and_missing_fields() -> None:
    d = doc("preston")
    d["populaton"] = d.pop("population")
    d["survival"]["female"]["Lx2"] = [1]
    del d["steps"]
    out = problems(d)
    assert "populaton: unknown field" in out[0] or any(
        p.startswith("populaton: unknown field") for p in out
    )
    assert any(p.startswith("steps: missing required field") for p in out)
    assert any(p.startswith("survival.female.Lx2: unknown field") for p in out)
    assert any(p.startswith("population: give either 'population'") for p in out)


def test_bad_values_in_sections() -> None:
    d = doc("full")
    d["migration_timing"] = "sometimes"
    d["step_width"] = 3
    out = problems(d)
    assert any(p.startswith("step_width: must be 1 or 5") for p in out)
    d = doc("full")
    d["scenarios"][0]["changes"][0]["type"] = "bulldoze"
    d["uncertainty"]["tfr_cv"] = -1
    d["infrastructure"]["capacities"]["hospital"] = 3
    d["budget"]["facilities"][0]["use"] = "pool"
    d["paths"]["tfr"] = [1.5]
    out = problems(d)
    for start in (
        "scenarios[0].changes[0].type: unknown change type 'bulldoze'",
        "uncertainty.tfr_cv: must be >= 0",
        "infrastructure.capacities.hospital: unknown field",
        "budget.facilities[0].use: unknown facility 'pool'",
        "paths.tfr: has 1 values, expected 8",
    ):
        assert any(p.startswith(start) for p in out), (start, out)


def test_schema_rejects_what_the_parser_rejects() -> None:
    d = doc("preston")
    d["unknown"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(d, SCHEMA)


def test_load_scenario_reports_json_syntax(tmp_path: Path) -> None:
    p = tmp_path / "s.json"
    p.write_text('{"start_year": 2020,\n}', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"s.json line 2 column 1: is not valid JSON"):
        load_scenario(p)
