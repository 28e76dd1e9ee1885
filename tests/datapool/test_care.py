"""The care split by kind of care (Pflegestatistik 22411-02-03-4): the district's figure, the
Land's where the district's is suppressed or missing, Germany's as the last resort."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from ortswandel.core.env import data_dir
from ortswandel.datapool.care import CareError, care_split
from ortswandel.datapool.catalog import catalog_by_key

DATA = data_dir()
REL = catalog_by_key()["22411-02-03-4"].path
needs_file = pytest.mark.skipif(not (DATA / REL).exists(), reason=f"{REL} not in {DATA}")


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="latin-1", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def _expected(path: Path, region: str) -> tuple[int, dict[str, float]]:
    """Read the shares by hand: latest year, both sexes, columns as in the file's header."""
    rows = _rows(path)
    header = next(r for r in rows if len(r) > 4 and r[4] == "Pflegebedürftige")
    col = {name: i for i, name in enumerate(header)}
    data = [r for r in rows if len(r) > 4 and r[0][:6] == "31.12." and r[3] == "Insgesamt"]
    year = max(int(r[0][6:]) for r in data)
    row = next(r for r in data if r[0] == f"31.12.{year}" and r[1] == region)
    total = float(row[col["Pflegebedürftige"]])
    ambulant = float(row[col["ambulante Pflege"]])
    residential = float(row[col["Pflegebedürftige der Pflegeheime, vollstationär"]])
    return year, {
        "care_home": 1 - (ambulant + residential) / total,
        "care_ambulatory": ambulant / total,
        "care_residential": residential / total,
    }


@needs_file
def test_district_shares_are_the_files_figures():
    year, expected = _expected(DATA / REL, "12070")  # Prignitz (Wittenberge)
    split = care_split(kreis="12070", root=DATA)
    assert (split.level, split.region, split.year) == ("Kreis", "12070", year)
    assert split.shares == pytest.approx(expected, abs=1e-12)
    assert sum(split.shares.values()) == pytest.approx(1.0)
    label = split.label
    for part in ("22411-02-03-4", f"31.12.{year}", "dl-de/by-2-0", "Schätzung", "Prignitz"):
        assert part in label


@needs_file
def test_city_state_without_district_row_uses_the_land():
    year, expected = _expected(DATA / REL, "11")  # Berlin: only its Bezirke, all suppressed
    split = care_split(kreis="11000", root=DATA)
    assert (split.level, split.region, split.year) == ("Land", "11", year)
    assert split.shares == pytest.approx(expected, abs=1e-12)
    assert "des Landes Berlin" in split.label


@needs_file
def test_suppressed_district_falls_back_to_land_then_germany(tmp_path):
    target = tmp_path / REL
    target.parent.mkdir(parents=True)
    shutil.copyfile(DATA / REL, target)
    text = target.read_bytes().decode("latin-1")
    lines = text.split("\n")
    year, land = _expected(DATA / REL, "12")
    for i, line in enumerate(lines):
        cells = line.split(";")
        if cells[0] == f"31.12.{year}" and cells[1] in ("12070", "13072", "13"):
            cells[4] = "x"  # Pflegebedürftige suppressed
            lines[i] = ";".join(cells)
    target.write_bytes("\n".join(lines).encode("latin-1"))
    split = care_split(kreis="12070", root=tmp_path)
    assert (split.level, split.region) == ("Land", "12")
    assert split.shares == pytest.approx(land, abs=1e-12)
    _, germany = _expected(DATA / REL, "DG")
    deutschland = care_split(kreis="13072", root=tmp_path)
    assert (deutschland.level, deutschland.region) == ("Deutschland", "DG")
    assert deutschland.shares == pytest.approx(germany, abs=1e-12)
    assert "Deutschlands" in deutschland.label


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CareError, match="22411-02-03-4"):
        care_split(kreis="12070", root=tmp_path)
