"""Nasty scenario files: one clear line per problem, exit code 2, never a traceback."""

import importlib
import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

from ortswandel.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scenario"))
from scenario_examples import doc

ERR = "ortswandel: error: "


def run_cli(
    tmp_path: Path,
    text: str | bytes,
    capsys: pytest.CaptureFixture[str],
    *extra: str,
    out: str = "r.csv",
) -> tuple[int, list[str]]:
    p = tmp_path / "s.json"
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    code = main(["project", str(p), "--out", str(tmp_path / out), *extra])
    return code, capsys.readouterr().err.strip().splitlines()


def mutate(d: dict, path: tuple[Any, ...], value: Any) -> dict:
    cur = d
    for key in path[:-1]:
        cur = cur[key]
    cur[path[-1]] = value
    return d


CASES = [
    # (path in the "full" example, value, start of the expected line)
    (("steps",), 10**400, "steps: is far too large"),
    (("start_year",), "2024", "start_year: must be a number, got a string"),
    (("sex_ratio_at_birth",), 1e308, "sex_ratio_at_birth: must be <= 10"),
    (("open_age",), 10**9, "open_age: must be <= 150"),
    (
        ("fertility",),
        {"tfr": 1.4, "mean_age": 31, "sd": float("nan")},
        "fertility.sd: must be finite",
    ),
    (("areas", 0, "population", "male", 3), -1e308, "areas[0].population.male[3]: must be >= 0"),
    (
        ("areas", 0, "population", "female", 7),
        10**400,
        "areas[0].population.female[7]: must be a finite number",
    ),
    (("areas", 1, "net_migration", "female"), [[1]] * 101, "areas[1].net_migration.female[0]"),
    (("areas", 1), [1, 2], "areas[1]: must be an object, got a list"),
    (("net_migration", "male"), [], "net_migration.male: has 0 values, expected 101"),
    (
        ("gross_migration", "in_profile", "rogers_castro", "alpha1"),
        1e300,
        "gross_migration.in_profile.rogers_castro.alpha1: must be <= 10",
    ),
    (
        ("gross_migration", "out_rates", "female", 0),
        2,
        "gross_migration.out_rates.female[0]: must be <= 1",
    ),
    (("housing", "dwellings"), {}, "housing.dwellings: is empty"),
    (("paths", "tfr"), [], "paths.tfr: has 0 values, expected 8"),
    (
        ("scenarios", 0, "changes", 0, "type"),
        ["add_dwellings"],
        "scenarios[0].changes[0].type: unknown change type",
    ),
    (
        ("scenarios", 1, "changes"),
        {"type": "scale_migration"},
        "scenarios[1].changes: must be a list",
    ),
    (("uncertainty", "migration_cv"), 50, "uncertainty.migration_cv: must be <= 1"),
    (
        ("infrastructure", "capacities", "care"),
        {"x": 1},
        "infrastructure.capacities.care.x: unknown field",
    ),
    (("budget", "age_costs"), math.inf, "budget.age_costs: must be a list"),
    (("budget", "discount_rate"), -1, "budget.discount_rate: must be >= -0.99"),
    (
        ("budget", "housing_area", "renewal_years", "street"),
        0,
        "budget.housing_area.renewal_years.street: must be >= 1",
    ),
    (("fertility",), {"rates": []}, "fertility.rates: is empty"),
]


@pytest.mark.parametrize(("path", "value", "line"), CASES)
def test_one_line_per_problem_naming_field_and_fix(
    tmp_path: Path, path: tuple[Any, ...], value: Any, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = json.dumps(mutate(doc("full"), path, value))  # NaN/Infinity as JSON extensions
    code, err = run_cli(tmp_path, text, capsys)
    assert code == 2, err
    assert err and all(e.startswith(ERR) and ". Fix: " in e for e in err), err
    assert any(e[len(ERR) :].startswith(line) for e in err), (line, err)
    assert not any("Traceback" in e for e in err)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (b"\xff\xfe{", "is not UTF-8 text"),
        ("[" * 100_000 + "]" * 100_000, "is nested too deeply"),
        ('{"start_year": 2024,}', "s.json line 1 column 21: is not valid JSON"),
        ("", "s.json line 1 column 1: is not valid JSON"),
        ("[]", "(top level): must be an object, got a list"),
        ('"text"', "(top level): must be an object, got a string"),
    ],
)
def test_unreadable_files(
    tmp_path: Path, text: str | bytes, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_cli(tmp_path, text, capsys)
    assert code == 2 and len(err) == 1 and line in err[0] and "Fix:" in err[0], err


def test_zero_capacity_gives_empty_utilisation_not_infinity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = doc("full")
    d["infrastructure"]["capacities"]["kita_u3"] = 0
    code, err = run_cli(tmp_path, json.dumps(d), capsys, out="r.json")
    assert code == 0, err
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    kita = [r for r in data["infrastructure"] if r["facility"] == "kita_u3"]
    assert kita and all(r["utilisation"] is None and r["capacity"] == 0 for r in kita)
    summary = [r for r in data["capacity_summary"] if r["facility"] == "kita_u3"]
    assert all(r["first_year_exceeded"] == 2024 for r in summary)


def test_runs_too_large_for_memory_or_format_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_mod = importlib.import_module("ortswandel.scenario.run")
    writers = importlib.import_module("ortswandel.scenario.writers")

    monkeypatch.setattr(run_mod, "MEMORY_LIMIT", 1e6)
    code, err = run_cli(tmp_path, json.dumps(doc("full")), capsys, "--trajectories", "5000")
    assert code == 2 and any(e.startswith(ERR + "--trajectories: 5000 trajectories") for e in err)
    monkeypatch.setattr(run_mod, "MEMORY_LIMIT", 8e9)
    monkeypatch.setitem(writers.MAX_ROWS, "xlsx", 1000)
    code, err = run_cli(tmp_path, json.dumps(doc("full")), capsys, out="r.xlsx")
    assert code == 2 and err[0].startswith(ERR + "--format: the result has")
    assert "use --format csv" in err[0]


def test_unexpected_errors_are_one_line_with_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ortswandel import scenario

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("something broke")

    monkeypatch.setattr(scenario, "run", boom)
    code, err = run_cli(tmp_path, json.dumps(doc("preston")), capsys)
    assert code == 1
    assert err == [
        "ortswandel: internal error: RuntimeError: something broke. Please report it "
        "with the scenario file"
    ]
