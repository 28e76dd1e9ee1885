"""Municipality maps from the boundary files: outline, position with inset, choropleth."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from ortswandel.core import charts
from ortswandel.municipalities import maps
from tests.sources.boundaryfiles import write_boundaries

SVG = "{http://www.w3.org/2000/svg}"


def parse_xml(text: str) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 - our own markup, not untrusted input


@pytest.fixture
def root(tmp_path):
    maps.clear_cache()
    with translation.override("de"):
        yield write_boundaries(tmp_path)
    maps.clear_cache()


def test_path_data_is_relative_and_compact():
    import numpy as np

    ring = np.array([[0, 0], [10, 0], [10, -5]])
    assert maps.path_data([ring]) == "M0 0l10 0 0-5z"
    assert maps.path_data([ring[:2]]) == ""


def test_outline_map_shows_target_and_neighbours_and_is_valid_xml(root):
    result = maps.outline_map("12070424", data_dir=root)
    svg = parse_xml(str(result.svg))
    assert svg.get("role") == "img"
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert titles[0] == "Lage von Wittenberge, Stadt und Nachbargemeinden"
    # the neighbour with "&" and "<" in its name is escaped and present; far-away ones are not
    assert "A & <B>" in titles
    assert "Haar" not in titles and "Stahnsdorf" not in titles
    target = [p for p in svg.iter(f"{SVG}path") if p.get("fill") == maps.FILL_TARGET]
    assert len(target) == 1
    assert target[0].get("fill-rule") == "evenodd"  # the hole stays a hole
    assert target[0].get("d").count("M") == 2
    assert "GeoBasis-DE / BKG" in result.attribution


def test_maps_are_cached_per_language(root):
    """The first visitor's language must not be served to everyone after: the cached maps
    carry translated titles and descriptions."""
    german = maps.outline_map("12070424", data_dir=root).title
    german_position = maps.position_map("12070424", data_dir=root).title
    with translation.override("en"):
        english = maps.outline_map("12070424", data_dir=root).title
        english_position = maps.position_map("12070424", data_dir=root).title
    assert german.startswith("Lage von")
    assert english == "Location of Wittenberge, Stadt and neighbouring municipalities"
    assert german_position.startswith("Lage von") and english_position.startswith("Location")


def test_position_map_has_land_districts_marker_and_inset(root):
    result = maps.position_map("12070424", data_dir=root)
    svg = parse_xml(str(result.svg))
    assert "Brandenburg" in svg.find(f"{SVG}title").text
    assert "Prignitz" in svg.find(f"{SVG}desc").text
    assert len(list(svg.iter(f"{SVG}circle"))) == 3  # marker (two strokes) + inset dot
    inset = [p for p in svg.iter(f"{SVG}path") if p.get("fill") == maps.FILL_TARGET]
    assert len(inset) == 2  # the municipality and its Land in the inset


@pytest.mark.parametrize("ags", ["99999999", "1207042", "abcdefgh", "", "12070424/../"])
def test_unknown_or_malformed_ags_gives_none(root, ags):
    assert maps.outline_map(ags, data_dir=root) is None
    assert maps.position_map(ags, data_dir=root) is None


def test_missing_files_give_none_not_an_error(tmp_path):
    maps.clear_cache()
    assert maps.outline_map("12070424", data_dir=tmp_path) is None
    assert maps.position_map("12070424", data_dir=tmp_path) is None
    assert maps.choropleth_areas({}, data_dir=tmp_path) is None


def test_choropleth_for_a_land_and_for_germany(root):
    areas, viewbox, outlines = maps.choropleth_areas(
        {"12070424": -5.0, "12069002": 3.0}, land="12", href="/kommunen/{ags}/", data_dir=root
    )
    assert sorted(a.key for a in areas) == ["12069002", "12070001", "12070424"]
    assert {a.key: a.value for a in areas}["12070001"] is None
    assert areas[0].href.startswith("/kommunen/")
    assert viewbox[2] <= 900.5 and viewbox[3] <= 1125.5  # fitted into 900 × 1125
    assert max(viewbox[2], viewbox[3] / 1.25) == pytest.approx(900, abs=1)
    assert len(outlines) == 2  # the Land's districts
    chart = charts.choropleth(
        title="Veränderung",
        description="d",
        areas=areas,
        scale=charts.diverging_scale([a.value for a in areas]),
        viewbox=viewbox,
        value_label="%",
        outlines=outlines,
    )
    parse_xml(str(chart.svg))
    germany = maps.choropleth_areas({}, data_dir=root)
    assert len(germany[0]) == 4
    assert len(germany[2]) == 2  # Land borders
    assert maps.choropleth_areas({}, land="1x", data_dir=root) is None
    assert maps.choropleth_areas({}, land="03", data_dir=root) is None
