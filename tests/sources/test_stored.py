"""Derived arrays kept on disk between processes (:mod:`ortswandel.sources.stored`): the same
values as built afresh, rebuilt when the data change, never an error when the file is bad."""

from __future__ import annotations

import os

import numpy as np
import pytest

from ortswandel.sources import boundaries
from ortswandel.sources.base_population import BasePopulation, _from_arrays, _to_arrays
from ortswandel.sources.official import Source
from ortswandel.sources.stored import stored

from .boundaryfiles import write_boundaries


def _counting_build(calls: list[int], value: float):
    def build() -> dict[str, np.ndarray]:
        calls.append(1)
        return {"x": np.arange(3) * value, "names": np.array(["a", "ä"])}

    return build


def test_second_call_reads_the_file_and_a_data_change_rebuilds(tmp_path):
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    (data / "table.csv").write_text("1;2\n", encoding="utf-8")
    calls: list[int] = []
    first = stored(cache, "t", root=data, build=_counting_build(calls, 1.0))
    again = stored(cache, "t", root=data, build=_counting_build(calls, 2.0))
    assert len(calls) == 1
    np.testing.assert_array_equal(again["x"], first["x"])
    assert again["names"].tolist() == ["a", "ä"]
    st = (data / "table.csv").stat()
    os.utime(data / "table.csv", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    changed = stored(cache, "t", root=data, build=_counting_build(calls, 2.0))
    assert len(calls) == 2
    np.testing.assert_array_equal(changed["x"], [0.0, 2.0, 4.0])


def test_broken_or_unwritable_cache_builds_in_memory(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "t.npz").write_bytes(b"not a zip file")
    calls: list[int] = []
    out = stored(cache, "t", root=data, build=_counting_build(calls, 1.0))
    assert len(calls) == 1 and out["x"].tolist() == [0.0, 1.0, 2.0]
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x", encoding="utf-8")
    out = stored(blocked, "t", root=data, build=_counting_build(calls, 3.0))
    assert len(calls) == 2 and out["x"].tolist() == [0.0, 3.0, 6.0]
    assert stored(None, "t", root=data, build=_counting_build(calls, 1.0))["x"].size == 3
    assert len(calls) == 3


def test_base_population_round_trip_is_exact():
    rng = np.random.default_rng(3)
    original = BasePopulation(
        ags=("12070424", "09162000"),
        names=("Wittenberge, Stadt", "München, Landeshauptstadt"),
        land=("12", "09"),
        population=rng.random((2, 2, 101)) * 100,
        year=2022,
        kreis=("12070", "09162"),
        official_ages=np.array([False, True]),
        estimates=("Schätzung A", "Schätzung B"),
        sources=(Source("gv100ad", "GV100AD", "Gemeindeverzeichnis", "gv/x.csv", "© Destatis"),),
        error={"misplaced": 1.25, "mape_0-5": 3.5},
    )
    back = _from_arrays(_to_arrays(original))
    np.testing.assert_array_equal(back.population, original.population)
    np.testing.assert_array_equal(back.official_ages, original.official_ages)
    for name in ("ags", "names", "land", "year", "kreis", "estimates", "sources", "error"):
        assert getattr(back, name) == getattr(original, name), name


def test_boundaries_from_the_stored_arrays_equal_the_parsed_ones(tmp_path):
    root = tmp_path / "data"
    write_boundaries(root)
    cache = tmp_path / "cache"
    boundaries.clear_cache()
    parsed = boundaries.municipality_boundaries(root)
    boundaries.municipality_boundaries(root, cache_dir=cache)  # writes the file
    boundaries.clear_cache()
    loaded = boundaries.municipality_boundaries(root, cache_dir=cache)
    assert (cache / "boundaries_gemeinde.npz").exists()
    assert loaded is not parsed
    assert list(loaded.items) == list(parsed.items) and loaded.keys == parsed.keys
    assert (loaded.level, loaded.attribution, loaded.bbox) == (
        parsed.level,
        parsed.attribution,
        parsed.bbox,
    )
    np.testing.assert_array_equal(loaded.boxes, parsed.boxes)
    for key, b in parsed.items.items():
        other = loaded.items[key]
        assert (other.name, other.bbox) == (b.name, b.bbox)
        assert [len(p) for p in other.polygons] == [len(p) for p in b.polygons]
        for ring, ring2 in zip(b.rings, other.rings, strict=True):
            np.testing.assert_array_equal(ring2, ring)
    window = parsed.bbox
    assert [b.key for b in loaded.intersecting(window)] == [
        b.key for b in parsed.intersecting(window)
    ]
    boundaries.clear_cache()


@pytest.mark.slow
def test_estimate_from_stored_arrays_equals_a_fresh_estimate(tmp_path):
    from ortswandel.core.env import data_dir
    from ortswandel.sources.base_population import estimate_base_population
    from ortswandel.sources.official import FILES, OfficialData

    root = data_dir()
    if not all((root / rel).exists() for rel, *_ in FILES.values()):
        pytest.skip(f"official data not in {root}")
    fresh = estimate_base_population(data=OfficialData(root))
    estimate_base_population(data=OfficialData(root, cache_dir=tmp_path))  # writes
    loaded = estimate_base_population(data=OfficialData(root, cache_dir=tmp_path))
    assert (tmp_path / "municipal_base.npz").exists()
    np.testing.assert_array_equal(loaded.population, fresh.population)
    assert loaded.ags == fresh.ags and loaded.sources == fresh.sources
    assert loaded.estimates == fresh.estimates and loaded.error == fresh.error
    districts = OfficialData(root, cache_dir=tmp_path).districts
    np.testing.assert_array_equal(districts.counts, OfficialData(root).districts.counts)


@pytest.mark.slow
def test_scenario_from_stored_assumptions_equals_a_fresh_one(tmp_path):
    from ortswandel.core.env import data_dir
    from ortswandel.scenario.build import build_scenario
    from ortswandel.sources.base_population import MUNICIPAL_YEAR
    from ortswandel.sources.official import FILES, OfficialData

    root = data_dir()
    if not all((root / rel).exists() for rel, *_ in FILES.values()):
        pytest.skip(f"official data not in {root}")

    def built(data: OfficialData):
        return build_scenario(["12070424", "12070"], MUNICIPAL_YEAR, horizon=10, data=data)

    fresh = built(OfficialData(root))
    built(OfficialData(root, cache_dir=tmp_path))  # writes the arrays
    assert any(p.name.startswith("assumptions_") for p in tmp_path.iterdir())
    loaded = built(OfficialData(root, cache_dir=tmp_path))
    assert loaded.document == fresh.document
    assert loaded.sources == fresh.sources and loaded.estimates == fresh.estimates
    for name in ("population", "survival", "fertility"):
        np.testing.assert_array_equal(getattr(loaded.inputs, name), getattr(fresh.inputs, name))
    np.testing.assert_array_equal(loaded.migration_counts, fresh.migration_counts)
