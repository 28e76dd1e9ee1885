"""The BKG boundary reader: parsing, projection, merging, rounding, caching and bad files."""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest

from ortswandel.sources import boundaries
from ortswandel.sources.gv100ad import SourceFormatError

from .boundaryfiles import write_boundaries


@pytest.fixture
def root(tmp_path):
    boundaries.clear_cache()
    yield write_boundaries(tmp_path)
    boundaries.clear_cache()


def test_municipalities_keyed_by_ags_with_names_and_polygons(root):
    gemeinden = boundaries.municipality_boundaries(root)
    assert len(gemeinden) == 4
    assert "12070424" in gemeinden
    w = gemeinden.get("12070424")
    assert w.name == "Wittenberge, Stadt"
    assert len(w.polygons) == 1 and len(w.polygons[0]) == 2  # outer ring + hole
    multi = gemeinden.get("12070001")
    assert len(multi.polygons) == 2
    assert [b.key for b in gemeinden.with_prefix("12")] == ["12069002", "12070001", "12070424"]
    assert gemeinden.get("99999999") is None
    assert gemeinden.attribution == "© GeoBasis-DE / BKG (Daten verändert)"


def test_projection_is_planar_kilometres_with_y_south():
    x, y = boundaries.project(np.array([10.5, 11.5]), np.array([51.0, 52.0]))
    assert x[0] == pytest.approx(0) and y[0] == pytest.approx(0)
    assert x[1] == pytest.approx(70.06, abs=0.05)  # one degree of longitude at 51° N
    assert y[1] == pytest.approx(-111.13)  # north is up (negative y)


def test_bbox_and_rounded_rings(root):
    w = boundaries.municipality_boundaries(root).get("12070424")
    x0, y0, x1, y1 = w.bbox
    assert x1 - x0 == pytest.approx(0.1 * boundaries.KM_PER_DEG_LON)
    assert y1 - y0 == pytest.approx(0.1 * boundaries.KM_PER_DEG_LAT)
    rings = w.rings_at(scale=1.0, origin=(x0, y0))
    assert rings[0].dtype == np.int64
    assert rings[0].min() == 0
    # closing point dropped, 4 corners left
    assert len(rings[0]) == 4
    # at a tiny scale the rings collapse and are dropped
    assert w.rings_at(scale=0.001) == []


def test_districts_and_laender_merged_by_key(root):
    laender = boundaries.land_boundaries(root)
    assert sorted(laender.items) == ["09", "12"]
    assert len(laender.get("12").polygons) == 2  # two features of one Land merged
    assert boundaries.district_boundaries(root).get("12070").name == "Prignitz"


def test_parsed_once_per_process_and_reparsed_when_file_changes(root):
    first = boundaries.municipality_boundaries(root)
    assert boundaries.municipality_boundaries(root) is first
    path = root / boundaries.MUNICIPALITY_FILE
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))
    assert boundaries.municipality_boundaries(root) is not first


def test_missing_and_broken_files_raise_source_format_error(tmp_path):
    with pytest.raises(SourceFormatError, match="nicht gefunden"):
        boundaries.municipality_boundaries(tmp_path)
    (tmp_path / "vg5000").mkdir()
    bad = tmp_path / boundaries.LAND_FILE
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="JSON"):
        boundaries.land_boundaries(tmp_path)
    bad.write_text(json.dumps({"type": "FeatureCollection"}), encoding="utf-8")
    boundaries.clear_cache()
    with pytest.raises(SourceFormatError, match="features"):
        boundaries.land_boundaries(tmp_path)
    point = {"type": "Feature", "properties": {"ARS": "12"}, "geometry": {"type": "Point"}}
    bad.write_text(json.dumps({"features": [point]}), encoding="utf-8")
    boundaries.clear_cache()
    with pytest.raises(SourceFormatError, match="Point"):
        boundaries.land_boundaries(tmp_path)


@pytest.mark.skipif(
    not (
        boundaries.Path(os.environ.get("ORTSWANDEL_DATA_DIR", "/nonexistent"))
        / boundaries.MUNICIPALITY_FILE
    ).exists(),
    reason="official data not available",
)
def test_official_file_has_all_municipalities():
    gemeinden = boundaries.municipality_boundaries(os.environ["ORTSWANDEL_DATA_DIR"])
    assert len(gemeinden) == 10_990
    assert gemeinden.get("12070424").name.startswith("Wittenberge")
    assert len(boundaries.land_boundaries(os.environ["ORTSWANDEL_DATA_DIR"])) == 16


def test_window_query_finds_overlapping_areas_only(root):
    gemeinden = boundaries.municipality_boundaries(root)
    w = gemeinden.get("12070424")
    found = {b.key for b in gemeinden.intersecting(w.bbox)}
    assert found == {"12070424"}  # the neighbour square starts right of it, Haar is far
    x0, y0, x1, y1 = w.bbox
    wider = {b.key for b in gemeinden.intersecting((x0, y0, x1 + 10, y1))}
    assert wider == {"12070424", "12070001"}
