"""Server-rendered SVG charts: valid XML, text alternatives, escaping, German numbers, tables."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ortswandel.core import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse_xml(text: str) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 - our own markup, not untrusted input


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def parse(chart):
    root = parse_xml(str(chart.svg))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox")
    assert root.get("width") == "100%"
    labelled = root.get("aria-labelledby").split()
    ids = {el.get("id"): el for el in root.iter() if el.get("id")}
    assert all(i in ids for i in labelled)
    return root


def test_german_number_formatting():
    assert charts.number(1234567.891, 1) == "1.234.567,9"
    assert charts.number(-0.04, 1) == "0,0"
    assert charts.number(-12.5, 1) == "−12,5"
    assert charts.number(None) == "–"
    assert (
        charts.percent(3.25, 1, signed=True) == "+3,2 %"
        or charts.percent(3.25, 1, signed=True) == "+3,3 %"
    )


def test_nice_ticks_cover_range():
    ticks = charts.nice_ticks(16_012, 17_230)
    assert ticks[0] <= 16_012 and ticks[-1] >= 17_230
    assert len(ticks) <= 8
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1


def test_line_chart_with_gap_band_and_escaping():
    chart = charts.line_chart(
        title="Bevölkerung <Test> & Co",
        description="Entwicklung 2011–2015",
        x=[2011, 2012, 2013, 2015],
        x_labels=["2011", "2012", "2013", "2015"],
        series=[
            charts.Series('Gemeinde "A"', [17000, 16800, None, 16500]),
            charts.Series("Kreis", [17100, 16900, 16700, 16400]),
        ],
        bands=[charts.Band("80-%-Intervall", [16900, 16700, 16500, 16000], [1, 2, 3, 4])],
        unit="Personen",
    )
    root = parse(chart)
    assert root.find(f"{SVG}title").text == "Bevölkerung <Test> & Co"
    paths = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "none"]
    # series A has a gap: two line segments; series B one
    assert len(paths) == 3
    labels = [el.get("data-label") for el in root.iter() if el.get("data-label")]
    assert 'Gemeinde "A", 2011: 17.000 Personen' in labels
    assert len(labels) == 7
    # distinctions not by colour alone: dash patterns and markers differ
    assert chart.legend[0].kind == "band"
    series_items = [i for i in chart.legend if i.kind == "line"]
    assert series_items[0].dash != series_items[1].dash
    assert series_items[0].marker != series_items[1].marker
    # table: same data, German numbers, gap shown as dash
    assert chart.table.columns[:3] == ["Zeitpunkt", 'Gemeinde "A" (Personen)', "Kreis (Personen)"]
    assert chart.table.rows[2] == ("2013", ["–", "16.700", "16.500", "3"])


def test_line_chart_without_data_says_so():
    chart = charts.line_chart(
        title="Leer", description="nichts", x=[], x_labels=[], series=[charts.Series("A", [])]
    )
    root = parse(chart)
    assert "Keine Daten" in ET.tostring(root, encoding="unicode")


def test_bar_chart_grouped_and_stacked_with_patterns():
    kwargs = {
        "title": "Altersstruktur",
        "description": "Anteile",
        "categories": ["Wittenberge", "Prignitz"],
        "series": [charts.Series("unter 18", [12.1, 13.2]), charts.Series("65+", [33.0, 31.0])],
        "unit": "%",
        "decimals": 1,
    }
    grouped = charts.bar_chart(**kwargs)
    root = parse(grouped)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "pt"]
    assert len(bars) == 4
    assert grouped.legend[0].pattern != grouped.legend[1].pattern
    assert grouped.table.rows[0] == ("Wittenberge", ["12,1", "33,0"])
    stacked = charts.bar_chart(**kwargs, stacked=True)
    parse(stacked)
    assert stacked.table.columns[-1] == "Summe"
    assert stacked.table.rows[1][1][-1] == "44,2"


def test_pyramid_counts_and_shares_with_comparison():
    female = [10.0, 20.0, 30.0]
    male = [15.0, 15.0, 10.0]
    chart = charts.population_pyramid(
        title="Alter",
        description="Pyramide",
        age_labels=["0–17", "18–64", "65+"],
        female=female,
        male=male,
        compare_female=[1, 1, 1],
        compare_male=[1, 1, 1],
        compare_label="Kreis",
        as_share=True,
    )
    root = parse(chart)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "pt"]
    assert len(bars) == 6
    # oldest first in the table, shares of the total (100 persons)
    assert chart.table.rows[0] == ("65+", ["10,00 %", "30,00 %", "16,67 %", "16,67 %"])
    assert [i.label for i in chart.legend] == ["Männer", "Frauen", "Kreis"]
    counts = charts.population_pyramid(
        title="Alter", description="d", age_labels=["0"], female=[1200], male=[1300]
    )
    assert counts.table.rows[0] == ("0", ["1.300", "1.200"])


def test_choropleth_classes_legend_escaping_and_table_limit():
    areas = [
        charts.MapArea(f"1207{i:04d}", f"Ort <{i}>", f"M{i} 0l1 0 0 1z", v)
        for i, v in enumerate([-12.0, -3.0, 0.0, 2.0, 9.0, None])
    ]
    scale = charts.diverging_scale([a.value for a in areas])
    assert len(scale.colors) == len(scale.labels) == len(scale.breaks) + 1
    assert scale.color(None) == charts.NO_DATA
    assert scale.color(-100) == charts.DIVERGING[0] and scale.color(100) == charts.DIVERGING[-1]
    chart = charts.choropleth(
        title="Veränderung",
        description="Karte",
        areas=areas,
        scale=scale,
        viewbox=(0, 0, 10, 10),
        value_label="Veränderung in %",
        highlight="12070001",
        outlines=["M0 0l10 0z"],
        table_rows=4,
    )
    root = parse(chart)
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "Ort <1>: −3,0" in titles
    assert chart.legend[-1].label == "keine Angabe"
    assert [r[0] for r in chart.table.rows] == ["Ort <0>", "Ort <1>", "Ort <3>", "Ort <4>"]
    assert "2 niedrigsten und höchsten Werte von 6" in chart.table.note
    seq = charts.sequential_scale([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert list(seq.breaks) == sorted(seq.breaks)
    assert seq.color(1) == charts.SEQUENTIAL[0]
    assert seq.color(10) == charts.SEQUENTIAL[-1]


def test_chart_include_renders_figure_legend_and_accessible_table():
    chart = charts.bar_chart(
        title="Zahl <x>",
        description="d",
        categories=["A"],
        series=[charts.Series("S", [1.0])],
    )
    html = render_to_string("core/_chart.html", {"chart": chart})
    assert "<figure" in html and "chart-legend" in html
    assert '<th scope="col">' in html and '<th scope="row">A</th>' in html
    assert "Zahl &lt;x&gt;" in html
    assert "<caption>Zahl &lt;x&gt;</caption>" in html
