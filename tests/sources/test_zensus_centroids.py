"""Zensus 2022 (1000A-0000 flat CSV) and centroid readers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from ortswandel.sources.centroids import parse_centroids, read_centroids
from ortswandel.sources.gv100ad import SourceFormatError
from ortswandel.sources.zensus import parse_census_population, read_census_population

from .gvfiles import CENSUS_HEADER, CENTROIDS_HEADER, census_row

DATA = Path(settings.ORTSWANDEL_DATA_DIR)
CENSUS = DATA / "zensus2022" / "1000A-0000_de_flat.csv"
CENTROIDS = DATA / "vg5000" / "vg5000_gemeinden_centroids_wgs84.csv"

GERMANY_ROW = (
    "1000A;Bevölkerung kompakt;STAG;Stichtag;2022-05-15;GEODL1;Deutschland;DG;Deutschland;"
    "82719540;Anzahl;PRS001;Personen;e"
)


def _census(*rows: str) -> str:
    return "\ufeff" + "\n".join([CENSUS_HEADER, *rows]) + "\n"


def test_census_parses_municipalities_and_skips_other_levels():
    text = _census(
        census_row("120540000000", "Potsdam, Stadt", 182806),
        GERMANY_ROW,
        census_row("120690304304", "Kleinmachnow", "-"),
        census_row("091840123123", "Haar", "."),
    )
    census = parse_census_population(text)
    assert census.reference_date == dt.date(2022, 5, 15)
    # "-" is exactly zero, "." (unknown/secret) is left out.
    assert census.by_ars == {"120540000000": 182806, "120690304304": 0}
    assert census.total == 182806


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            (census_row("12054000000", "Potsdam", 1),),
            "Zeile 2: ARS '12054000000' ist keine 12-stellige Zahl",
        ),
        (
            (census_row("120540000000", "Potsdam", "1,5"),),
            "Zeile 2: Einwohnerzahl '1,5' ist keine ganze Zahl",
        ),
        (
            (census_row("120540000000", "P", 1), census_row("120540000000", "P", 2)),
            "Zeile 3: ARS '120540000000' kommt doppelt vor (schon in Zeile 2)",
        ),
        (
            (
                census_row("120540000000", "P", 1),
                census_row("120690304304", "K", 2, time="2011-05-09"),
            ),
            "Zeile 3: Stichtag 09.05.2011 weicht von 15.05.2022 ab",
        ),
        (
            (census_row("120540000000", "P", 1, time="15.05.2022"),),
            "Zeile 2: Stichtag '15.05.2022' ist kein Datum (JJJJ-MM-TT)",
        ),
        (("1000A;zu;wenig",), "Zeile 2: 3 statt 14 Spalten"),
        ((GERMANY_ROW,), "die Datei enthält keine Gemeinden (GEOGM…)"),
    ],
)
def test_census_malformed(rows, expected):
    with pytest.raises(SourceFormatError) as info:
        parse_census_population(_census(*rows))
    assert str(info.value) == expected


def test_census_header_must_have_columns():
    with pytest.raises(
        SourceFormatError, match="Zeile 1: Spalte\\(n\\) fehlen in der Kopfzeile: value"
    ):
        parse_census_population("time;1_variable_code;1_variable_attribute_code\n")


def test_centroids_parse_and_validate():
    text = CENTROIDS_HEADER + "\n12054000,Potsdam,52.42602,13.02791,188.0\n\n"
    assert parse_centroids(text) == {"12054000": (52.42602, 13.02791)}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1205400,Potsdam,52.4,13.0,1", "Zeile 2: AGS '1205400' ist keine 8-stellige Zahl"),
        ("12054000,Potsdam,abc,13.0,1", "Zeile 2: Breite 'abc' ist keine Zahl"),
        (
            "12054000,Potsdam,13.0,52.4,1",
            "Zeile 2: Breite 13.0 liegt nicht in Deutschland (47.0 bis 55.5 Grad)",
        ),
        (
            "12054000,Potsdam,52.4,nan,1",
            "Zeile 2: Länge nan liegt nicht in Deutschland (5.5 bis 15.5 Grad)",
        ),
    ],
)
def test_centroids_malformed(line, expected):
    with pytest.raises(SourceFormatError) as info:
        parse_centroids(CENTROIDS_HEADER + "\n" + line + "\n")
    assert str(info.value) == expected


def test_centroids_duplicate():
    text = CENTROIDS_HEADER + "\n12054000,P,52.4,13.0,1\n12054000,P,52.4,13.0,1\n"
    with pytest.raises(SourceFormatError, match="Zeile 3: AGS '12054000' kommt doppelt vor"):
        parse_centroids(text)


@pytest.mark.skipif(not CENSUS.is_file(), reason="official data not available")
def test_real_census_file():
    census = read_census_population(CENSUS)
    assert len(census.by_ars) == 10_786
    assert census.by_ars["120540000000"] == 182_806
    assert census.reference_date == dt.date(2022, 5, 15)
    # Sum of the municipality rows as published (the Germany row, PRS001, differs slightly).
    assert census.total == 82_711_282


@pytest.mark.skipif(not CENTROIDS.is_file(), reason="official data not available")
def test_real_centroids_file():
    centroids = read_centroids(CENTROIDS)
    assert len(centroids) == 10_997
    assert centroids["12054000"] == pytest.approx((52.42602, 13.02791))
