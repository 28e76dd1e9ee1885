"""The ``ortswandel project`` command: outputs and error handling."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ortswandel.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scenario"))
from scenario_examples import doc


def write(tmp_path: Path, d: dict, name: str = "s.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(d), encoding="utf-8")
    return p


def test_csv_output_with_components(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = write(tmp_path, doc("preston"))
    out = tmp_path / "result.csv"
    assert main(["project", str(s), "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:5] == ["year", "area", "sex", "age", "population"]
    f0 = next(r for r in rows if (r["year"], r["sex"], r["age"]) == ("1998", "female", "0"))
    assert abs(float(f0["population"]) - 302392) < 0.5
    comps = list(csv.DictReader((tmp_path / "result_components.csv").open(encoding="utf-8")))
    assert {r["component"] for r in comps} >= {"births", "deaths", "net", "net_migration"}
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_json_and_xlsx(tmp_path: Path, fmt: str) -> None:
    s = write(tmp_path, doc("full"))
    out = tmp_path / f"r.{fmt}"
    assert main(["project", str(s), "--out", str(out), "--trajectories", "20"]) == 0
    if fmt == "json":
        data = json.loads(out.read_text(encoding="utf-8"))
        assert {"population", "components", "quantiles", "budget"} <= set(data)
        assert set(data["population"][0]) >= {"year", "area", "sex", "age", "population"}
    else:
        from openpyxl import load_workbook

        wb = load_workbook(out, read_only=True)
        assert {"population", "components", "quantiles", "budget"} <= set(wb.sheetnames)


def test_problems_exit_2_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = doc("preston")
    d["population"]["female"] = d["population"]["female"][:5]
    d["fertility"]["rates"][0] = -1
    d["bogus"] = True
    s = write(tmp_path, d)
    assert main(["project", str(s), "--out", str(tmp_path / "r.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3
    assert all(line.startswith("ortswandel: error: ") and "Fix:" in line for line in err)
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["project"],
        ["project", "missing.json", "--out", "r.csv"],
        ["project", "{s}", "--out", "r.csv", "--format", "pdf"],
        ["project", "{s}", "--out", "/nonexistent-dir/r.csv"],
        ["project", "{s}", "--out", "r.csv", "--trajectories", "-3"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    s = write(tmp_path, doc("preston"))
    assert main([a.replace("{s}", str(s)) for a in args]) == 2


def test_negative_population_is_clipped_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = doc("preston")
    d["net_migration"]["male"][17] = -1_000_000.0  # far more than live at 85+
    s = write(tmp_path, d)
    assert main(["project", str(s), "--out", str(tmp_path / "r.csv")]) == 0
    # "even" timing: half of the leavers at the start of the step, half at its end
    assert "negative in 2 cells" in capsys.readouterr().err
    rows = list(csv.DictReader((tmp_path / "r_clipped.csv").open(encoding="utf-8")))
    assert [(r["year"], r["sex"], r["age"]) for r in rows] == [("1993", "male", "85")] * 2
    pop = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    assert all(float(r["population"]) >= 0 for r in pop)


def test_console_script_never_prints_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"start_year": "soon", "steps": 0, "survival": 1, "fertility": []}', encoding="utf-8"
    )
    exe = Path(sys.executable).with_name("ortswandel")
    proc = subprocess.run(
        [str(exe), "project", str(bad), "--out", str(tmp_path / "r.csv")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "start_year: must be a number" in proc.stderr
    help_ = subprocess.run(
        [str(exe), "project", "--help"], capture_output=True, text=True, check=False, timeout=120
    )
    assert help_.returncode == 0 and "--trajectories" in help_.stdout
