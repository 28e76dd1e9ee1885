"""Several areas with their own Land, capacities and dwellings; school and budget sections."""

import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from numpy.testing import assert_allclose
from scenario_examples import doc, two_laender

from ortswandel.engine.infrastructure import school_entry_age
from ortswandel.scenario import ScenarioError, parse_scenario, run, tables

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "scenario.schema.json").read_text(
        encoding="utf-8"
    )
)


def problems(d: dict) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(d)
    return [str(p) for p in exc.value.problems]


def test_land_from_the_ags_of_each_area() -> None:
    d = two_laender()
    jsonschema.validate(d, SCHEMA)
    res = run(parse_scenario(d))
    pop = res.projections["Basis"].population
    primary = res.demand["Basis"]["primary"]
    # BY (Munich): 4 grades from 6 + 92/365; BB (Potsdam): 6 grades from the same age
    for area, grades in ((0, 4), (1, 6)):
        e = school_entry_age("BY")
        ages = np.arange(101)
        share = np.clip(np.minimum(ages + 1, e + grades) - np.maximum(ages, e), 0, 1)
        assert_allclose(primary[:, area], (pop[:, area].sum(axis=1) * share).sum(axis=1))
    chk = res.capacity["Basis"]["primary"]
    assert_allclose(chk.utilisation[:, 1], primary[:, 1] / 500)
    assert_allclose(chk.utilisation[:, 0], primary[:, 0] / 200)
    assert set(res.classes["Basis"]) == {"primary", "secondary"}
    assert (res.classes["Basis"]["primary"][:, 1] > res.classes["Basis"]["primary"][:, 0]).all()


def test_dwellings_only_in_the_chosen_area() -> None:
    res = run(parse_scenario(two_laender()))
    diff = res.comparisons["Neubaugebiet 120 WE ab 2027"].total
    assert_allclose(diff[:, 0], 0.0, atol=1e-9)
    assert diff[-1, 1] > 100


def test_budget_per_dwelling_renewal_and_age_revenues() -> None:
    res = run(parse_scenario(two_laender()))
    b = res.budgets["Basis"]
    years = list(b.years)  # 2024..2032; area built 2027, dwelling renewal every 4 years
    renewal = -b.items["housing_area_renewal"][:, 0]
    # street renewal every 3 years (2030), pipes every 5 (2032), dwellings every 4 (2031)
    assert_allclose(
        renewal[[years.index(y) for y in (2030, 2031, 2032)]], [600 * 900, 120 * 500, 1200 * 700]
    )
    pop = res.projections["Basis"].population
    assert_allclose(b.items["age_revenue_18_65"], 100 * pop[..., 18:65].sum(axis=(2, 3)))
    tabs = tables(res)
    assert {"budget", "budget_npv", "infrastructure", "capacity_summary"} <= set(tabs)
    infra = [r for r in tabs["infrastructure"][1] if r[2] == "primary" and r[-1] == "Basis"]
    assert {r[4] for r in infra} == {200.0, 500.0}  # capacity per area


def test_problems_in_areas_and_sections_name_the_field() -> None:
    d = two_laender()
    d["areas"][0]["id"] = 9162000
    d["infrastructure"]["capacities"]["primary"] = {"12054000": 5}
    d["scenarios"][0]["changes"][0]["areas"] = ["00000000"]
    d["budget"]["age_costs"] = [{"from_age": 10, "to_age": 5, "eur_per_person": 1}]
    d["infrastructure"]["land"] = "Bayern"
    out = problems(d)
    for start in (
        "areas[0].id: must be a non-empty text",
        "infrastructure.land: unknown Land",
        "scenarios[0].changes[0].areas: unknown area ids",
        "budget.age_costs[0].to_age: must be above from_age",
    ):
        assert any(p.startswith(start) for p in out), (start, out)
    assert all("Fix:" in p for p in out)


def test_scenario_changes_are_checked_against_the_base() -> None:
    d = doc("full")
    d["scenarios"].append({"name": "kurz", "changes": [{"type": "tfr_path", "tfr": [1.5, 1.6]}]})
    out = problems(d)
    assert len(out) == 1 and out[0].startswith("scenarios[3] (kurz): paths.tfr:")


def test_survival_from_five_year_qx_with_infant_mortality() -> None:
    d = doc("preston")
    q = [0.004, *[0.001] * 16]
    d["survival"] = {"female": {"qx": q, "q0": 0.0032}, "male": {"qx": [*q, 1.0]}}
    jsonschema.validate(d, SCHEMA)
    spec = parse_scenario(d)
    s = spec.inputs.survival[0, 0]
    # women, by hand (radix 1): l1 = .9968, l5 = .996, 1a0 = .05 + 3 q0 = .0596,
    # 4a1 = 1.524 - 1.627 q0 = 1.51879; 5L0 = l1 + 1a0 q0 + 4 l5 + 4a1 (l1 - l5) = 4.9822058
    assert_allclose(s[0, 0], 4.9822058 / 5, rtol=1e-7)
    assert_allclose(s[1, 0], (5 * 0.996 + 2.5 * 0.004) / 5)  # men: 5a0 = 2.5
    d["survival"]["male"]["qx"][-1] = 0.5
    assert any(
        p.startswith("survival.male.qx[17]: the open group's value must be 1") for p in problems(d)
    )


@pytest.mark.parametrize("steps", ["8", 0, 10**400, None, 8.5])
def test_invalid_steps_is_one_problem_not_a_cascade(steps: object) -> None:
    d = doc("full")  # paths and dwellings per step: their lengths are not checked against it
    d["steps"] = steps
    out = problems(d)
    assert len(out) == 1 and out[0].startswith("steps: "), out
