"""``ortswandel scenario``: builds a file that ``ortswandel project`` runs; one error line."""

import csv
import json
import sys
from pathlib import Path

import pytest

from ortswandel.cli import main
from ortswandel.core.env import data_dir
from ortswandel.sources.official import FILES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scenario"))
from scenario_examples import doc

DATA = data_dir()
needs_data = pytest.mark.skipif(
    not all((DATA / rel).exists() for rel, *_ in FILES.values()),
    reason=f"official data not in {DATA}",
)


@needs_data
def test_scenario_then_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = tmp_path / "s.json"
    rc = main(
        ["scenario", "--ags", "09162,09184", "--launch", "2018", "--horizon", "2", "--out", str(s)]
    )
    assert rc == 0
    err = capsys.readouterr().err
    assert "ortswandel: estimate:" in err
    d = json.loads(s.read_text(encoding="utf-8"))
    assert [a["id"] for a in d["areas"]] == ["09162", "09184"]
    assert "12411-0018" in d["description"]
    out = tmp_path / "r.csv"
    assert main(["project", str(s), "--out", str(out)]) == 0
    with out.open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    assert header == ["year", "area", "sex", "age", "population"]
    assert {r[1] for r in rows} == {"09162", "09184"}
    assert {r[0] for r in rows} == {"2018", "2019", "2020"}
    assert len(rows) == 3 * 2 * 2 * 101


@needs_data
def test_scenario_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "--ags", "01001", "--launch", "2020", "--horizon", "1"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["start_year"] == 2020 and d["areas"][0]["id"] == "01001"


@pytest.mark.parametrize(
    ("args", "start", "needs"),
    [
        (["--ags", "1234", "--launch", "2018"], "ortswandel: error: --ags: '1234'", False),
        (["--ags", "09162", "--launch", "2030"], "ortswandel: error: --launch:", True),
        (["--ags", "09162", "--launch", "abc"], "ortswandel: error: --launch: 'abc'", False),
        (["--ags", "09162000", "--launch", "2018"], "ortswandel: error: --launch:", True),
        (
            ["--ags", "0916", "--launch", "2018", "--horizon", "x"],
            "ortswandel: error: --horizon",
            0,
        ),
        (
            ["--ags", "09162", "--launch", "2018", "--base-years", "x"],
            "ortswandel: error: --base",
            0,
        ),
        (
            ["--ags", "09162", "--launch", "2018", "--out", "/nonexistent/dir/s.json"],
            "ortswandel: error: --out",
            False,
        ),
    ],
)
def test_bad_input_one_line_exit_2(
    args: list[str], start: str, needs: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    if needs and not all((DATA / rel).exists() for rel, *_ in FILES.values()):
        pytest.skip(f"official data not in {DATA}")
    assert main(["scenario", *args]) == 2
    cap = capsys.readouterr()
    lines = cap.err.strip().splitlines()
    assert len(lines) == 1, cap.err
    assert lines[0].startswith(start)
    assert cap.out == ""


def test_project_header_has_scenario_column_only_with_scenarios(tmp_path: Path) -> None:
    d = doc("preston")
    s = tmp_path / "s.json"
    s.write_text(json.dumps(d), encoding="utf-8")
    out = tmp_path / "r.csv"
    assert main(["project", str(s), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == "year,area,sex,age,population"
    d["scenarios"] = [{"name": "hoch", "changes": [{"type": "scale_fertility", "factor": 1.2}]}]
    s.write_text(json.dumps(d), encoding="utf-8")
    assert main(["project", str(s), "--out", str(out)]) == 0
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["year", "area", "sex", "age", "population", "scenario"]
    assert {r["scenario"] for r in rows} == {"Basis", "hoch"}
