"""All files of the official data directory through ``import_datapool`` (skipped without them):
the published totals come out as Destatis publishes them, and a second run changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from ortswandel.datapool import selectors
from ortswandel.datapool.models import ImportRun, Indicator, SpatialUnit, Value

REAL = Path(settings.ORTSWANDEL_DATA_DIR)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (REAL / "gv100ad" / "GV100AD_301123.txt").is_file(),
        reason="official data directory not available",
    ),
]


def _value(code, unit, date, breakdown=""):
    return Value.objects.get(
        indicator__code=code, unit__code=unit, date=date, breakdown=breakdown
    ).value


def test_the_whole_data_directory(db):
    out = io.StringIO()
    call_command("import_datapool", data_dir=str(REAL), stdout=out, stderr=io.StringIO())
    assert "Datenpool geladen" in out.getvalue()
    assert not ImportRun.objects.filter(status="failed").exists()

    assert SpatialUnit.objects.filter(level="gemeinde", in_register=True).count() == 10_981
    assert SpatialUnit.objects.filter(level="gemeindeverband").count() == 4_597
    assert SpatialUnit.objects.filter(level="kreis", in_register=True).count() == 400
    # GV100AD: municipalities sum to the official 31.12.2022 population
    assert _value("gv100ad-bevoelkerung", "DG", "2022-12-31") == 84_358_845
    assert _value("gv100ad-bevoelkerung", "DG", "2022-12-31", "sex=m") == 41_559_052
    # Zensus 2022: Germany as published; 12 municipalities merged since are kept as former units
    assert _value("zensus2022-bevoelkerung", "DG", "2022-05-15") == 82_719_540
    former = SpatialUnit.objects.filter(level="gemeinde", in_register=False)
    assert former.count() == 12
    # 12411-0018: district ages and sexes sum to the official totals
    assert _value("12411-0018-bevoelkerung", "DG", "2015-12-31") == 82_175_684
    assert _value("12411-0018-bevoelkerung", "DG", "2020-12-31") == 83_155_031
    # 12411-0012 (Länder): Germany summed from the Länder; until 1989 the eleven western ones
    assert _value("12411-0012-bevoelkerung", "DG", "2023-12-31") == 84_669_326
    assert _value("12411-0012-bevoelkerung", "DG", "1989-12-31") == _value(
        "12411-0005-bevoelkerung", "DG", "1989-12-31"
    )
    assert _value("12411-0006-bevoelkerung", "DG", "2021-12-31", "sex=w") == 42_170_339
    assert _value("12411-0007-bevoelkerung", "DG", "2025-12-31", "nat=D;sex=m") == 34_697_384
    # births, deaths, projection with its assumptions, life tables
    assert _value("12612-0009-geburtenziffer", "DG", "2025-12-31", "age=15-50") == 1.316
    assert _value("12613-0003-gestorbene", "DG", "2022-12-31") == 1_066_341
    assert _value("12421-0002-bevoelkerung", "DG", "2070-12-31", "variante=BEV-VARIANTE-01") == (
        74_521.6
    )
    assert _value("15kbv-annahme-geburtenrate", "DG", "2070-12-31", "annahme=G2") == 1.55
    assert _value("12621-0001-ex", "DG", "2024-12-31", "age=0;sex=m") == 78.47
    tfr = Value.objects.get(
        indicator__code="12612-0104-geburtenziffer",
        unit__code="01",
        date="1991-12-31",
        breakdown="age=15-50",
    )
    assert (tfr.value, tfr.sign) == (None, ".")
    # every indicator carries its attribution and licence
    assert not Indicator.objects.filter(attribution="").exists()
    assert not Indicator.objects.filter(is_register=False, licence="").exists()
    # a rate summed up as a population-weighted mean
    rate = Value.objects.get(
        indicator__code="inkar-betreuungsquote-kleinkinder", unit__code="16", breakdown=""
    )
    assert rate.origin == "aggregated" and "gewichtet" in rate.note
    figures = {f.indicator: f for f in selectors.key_figures("03159016")}
    assert figures["zensus2022-bevoelkerung"].value == 124_548
    assert figures["12411-0018-bevoelkerung"].level == "kreis"

    count = Value.objects.count()
    again = io.StringIO()
    call_command(
        "import_datapool",
        data_dir=str(REAL),
        only=["zensus2022-1000A-0000", "12411-0018", "12421-0002"],
        stdout=again,
    )
    assert Value.objects.count() == count
    assert "0 neu, 0 geändert, 0 entfernt" in again.getvalue()
    assert ImportRun.objects.filter(status="unchanged").count() == 3
