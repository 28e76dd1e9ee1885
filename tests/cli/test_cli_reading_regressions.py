"""Inputs that used to end in an internal error (exit code 1) or a broken line: now one line
per problem and exit code 2."""

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from ortswandel.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scenario"))
from scenario_examples import doc

ERR = "ortswandel: error: "


def run_cli(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    p = tmp_path / "s.json"
    p.write_text(text, encoding="utf-8")
    code = main(["project", str(p), "--out", str(tmp_path / "r.csv")])
    return code, capsys.readouterr().err.strip().splitlines()


def with_change(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    d = doc("full")
    cur = d
    for key in path[:-1]:
        cur = cur[key]
    cur[path[-1]] = value
    return d


def test_integer_too_long_for_python(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = json.dumps(doc("preston")).replace('"steps": 1', '"steps": ' + "9" * 5000)
    code, err = run_cli(tmp_path, text, capsys)
    assert code == 2 and err == [
        ERR + "s.json: contains a number too long to be read (4300 digits or more). "
        "Fix: give a plausible number"
    ]


def test_closed_qx_ending_in_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = doc("full")
    d["survival"]["male"]["qx"][-1] = 1
    code, err = run_cli(tmp_path, json.dumps(d), capsys)
    assert code == 2 and len(err) == 1
    assert err[0].startswith(ERR + "survival.male.qx[99]: is 1 in the last closed group")


@pytest.mark.parametrize(
    ("path", "value", "line"),
    [
        (("paths",), None, "paths: must be an object, got null"),
        (("areas", 0, "population", "male"), None, "areas[0].population.male: must be a list of"),
        (("budget", "age_costs", 0, "to_age"), None, None),  # null: open end
        (("areas", 0, "id"), "09\udcff", "areas[0].id: is not valid Unicode text"),
        (("housing", "dwellings", "a\nb"), 3, "housing.occupants.a\\nb: missing required field"),
        (("net_migration", "female"), [-1e13] * 101, "net_migration.female[0]: must be >= -1e+12"),
        (("areas", 0, "population", "female"), [-1] * 101, "areas[0].population.female[0]: must"),
    ],
)
def test_one_line_each(
    tmp_path: Path,
    path: tuple[Any, ...],
    value: Any,
    line: str | None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, err = run_cli(tmp_path, json.dumps(with_change(path, value)), capsys)
    if line is None:
        assert code == 0, err
        return
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith(ERR + line) and ". Fix: " in err[0], err
    if isinstance(value, list):  # one line for all values of a list, at the first
        assert err[0].endswith("(101 such values). Fix: use values >= -1e+12") or err[0].endswith(
            "(101 such values). Fix: use non-negative numbers"
        ), err
