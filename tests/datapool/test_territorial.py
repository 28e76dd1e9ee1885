"""Territorial changes: values stay on their published territory; series across a merger are
converted for display, labelled — synthetic tables and the real Göttingen/Osterode merger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from ortswandel.datapool import selectors
from ortswandel.datapool.models import SpatialUnit, TerritorialChange, Value
from ortswandel.datapool.services.imports import table_import
from ortswandel.datapool.services.units import ChangeRow, territorial_changes_import
from ortswandel.datapool.specs import upload_spec

from .conftest import CLASSIC_ROWS, classic_table

pytestmark = pytest.mark.django_db

REAL = Path(settings.ORTSWANDEL_DATA_DIR)
KREISE_FILE = (
    REAL
    / "regionalstatistik_kreise"
    / "destatis_12411-0018_kreise_geschlecht_altersgruppen_2015-2020.csv"
)


def _spec():
    return upload_spec(
        file_name="t.csv", code="test-bev", name="Test", attribution="Test, dl-de/by-2-0"
    )


def _points(bundle, level):
    series = next(s for s in bundle.series if s.level == level)
    return {p.date.year: p for p in series.points}, series


def test_dissolved_districts_are_kept_with_their_validity(pool):
    old = SpatialUnit.objects.get(level="kreis", code="03152")
    new = SpatialUnit.objects.get(level="kreis", code="03159")
    assert (old.in_register, old.valid_until) == (False, dt.date(2016, 10, 31))
    assert new.valid_from == dt.date(2016, 11, 1)
    change = TerritorialChange.objects.get(successor=new)
    assert {p.code for p in change.predecessors.all()} == {"03152", "03156"}
    assert not TerritorialChange.objects.filter(successor__code="16063").exists()  # not loaded


def test_goettingen_series_lines_up_across_the_merger(pool):
    table_import(spec=_spec(), data=classic_table(CLASSIC_ROWS), file_name="t.csv")
    # stored as published: 2015 on the old districts, nothing for 03159 in 2015
    assert not Value.objects.filter(unit__code="03159", date="2015-12-31").exists()
    bundle = selectors.indicator_series("test-bev", "03159016")
    assert [s.level for s in bundle.series] == ["gemeinde", "kreis", "land", "bund"]
    points, series = _points(bundle, "kreis")
    assert points[2015].value == (100 + 1000 + 90 + 1100) + (20 + 300 + 10 + 330)
    assert points[2015].origin == selectors.CONVERTED
    assert "03152" in points[2015].note and "03156" in points[2015].note
    assert "01.11.2016" in points[2015].note
    assert points[2016].value == 121 + 1301 + 101 + 1431
    assert points[2016].origin == "aggregated"
    assert series.notes and "umgerechnet" in series.notes[0]
    unconverted, _series = _points(
        selectors.indicator_series("test-bev", "03159016", harmonise=False), "kreis"
    )
    assert 2015 not in unconverted


def test_incorporation_replaces_the_old_territory_of_the_continuing_unit(pool):
    territorial_changes_import(
        rows=[
            ChangeRow(1, dt.date(2016, 7, 1), "kreis", "eingliederung", "03155", code, name, "T")
            for code, name in (("03199", "Testkreis (bis 30.06.2016)"), ("03155", "Northeim"))
        ]
    )
    rows = [
        "31.12.2015;03155;Northeim;1;2;3;4",
        "31.12.2015;03199;Testkreis;10;20;30;40",
        "31.12.2016;03155;Northeim;12;23;34;45",
    ]
    table_import(spec=_spec(), data=classic_table(rows), file_name="t.csv")
    published = Value.objects.get(unit__code="03155", date="2015-12-31", breakdown="")
    assert published.value == 10  # kept as published, on the old territory
    points, _series = _points(selectors.indicator_series("test-bev", "03155011"), "kreis")
    assert points[2015].value == 110
    assert points[2015].origin == selectors.CONVERTED
    assert points[2016].value == 114


@pytest.mark.slow
@pytest.mark.skipif(not KREISE_FILE.is_file(), reason="official data directory not available")
def test_real_goettingen_district_series_is_comparable_before_and_after_2016(db):
    call_command(
        "import_datapool",
        only=["12411-0018", "22411-02-03-4"],
        data_dir=str(REAL),
        stdout=_Null(),
    )
    old = Value.objects.filter(
        indicator__code="12411-0018-bevoelkerung",
        unit__code__in=["03152", "03156"],
        date="2015-12-31",
        breakdown="",
    )
    assert old.count() == 2
    bundle = selectors.indicator_series("12411-0018-bevoelkerung", "03159016")
    points, _series = _points(bundle, "kreis")
    assert sorted(points) == [2015, 2016, 2017, 2018, 2019, 2020]
    assert points[2015].value == sum(v.value for v in old)  # 03152 + 03156
    assert points[2015].origin == selectors.CONVERTED
    assert "Osterode" in points[2015].note
    assert abs(points[2016].value / points[2015].value - 1) < 0.02  # comparable territory
    land, _s = _points(bundle, "land")
    assert land[2015].value == pytest.approx(7_926_599)  # 46 Kreise incl. 03152 and 03156
    care, _s = _points(
        selectors.indicator_series("22411-02-03-4-pflegebeduerftige", "03159016"), "kreis"
    )
    assert (care[2015].value, care[2015].origin) == (10183 + 4433, selectors.CONVERTED)
    assert care[2017].origin == "published"


class _Null:
    def write(self, *_args, **_kwargs) -> None:
        pass

    def flush(self) -> None:
        pass
