"""Management commands: import_datapool (a small data directory) and import_genesis."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ortswandel.datapool.models import ImportRun, SpatialUnit, Value

from .conftest import CLASSIC_ROWS, classic_table

pytestmark = pytest.mark.django_db

CENSUS = (
    "\ufeffstatistics_code;statistics_label;time_code;time_label;time;1_variable_code;"
    "1_variable_label;1_variable_attribute_code;1_variable_attribute_label;value;value_unit;"
    "value_variable_code;value_variable_label;value_q\n"
    "1000A;Bevölkerung kompakt;STAG;Stichtag;2022-05-15;GEOGM4;Gemeinden;031590016016;"
    "Göttingen, Stadt;124548;Anzahl;PRS018;Personen;e\n"
    "1000A;Bevölkerung kompakt;STAG;Stichtag;2022-05-15;GEOGM4;Gemeinden;031590024024;"
    "Hann. Münden, Stadt;23000;Anzahl;PRS018;Personen;e\n"
)


def _run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


def test_import_datapool_loads_what_is_there_and_is_idempotent(data_dir):
    (data_dir / "zensus2022").mkdir()
    (data_dir / "zensus2022" / "1000A-0000_de_flat.csv").write_text(CENSUS, encoding="utf-8")
    out = _run("import_datapool", data_dir=str(data_dir))
    assert "zensus2022-1000A-0000: 5 neu" in out  # 2 municipalities, 2 associations, 1 Kreis
    assert "12411-0018: regionalstatistik_kreise/" in out and "fehlt, übersprungen" in out
    assert SpatialUnit.objects.filter(level="gemeinde").count() == 5
    assert (
        Value.objects.get(indicator__code="zensus2022-bevoelkerung", unit__code="03159").value
        == 124548 + 23000
    )
    population = Value.objects.get(
        indicator__code="gv100ad-bevoelkerung", unit__code="03", breakdown=""
    )
    assert population.value == 28000 + 31000 + 118000 + 23000
    again = _run("import_datapool", data_dir=str(data_dir))
    assert "zensus2022-1000A-0000: 0 neu, 0 geändert, 0 entfernt, 5 unverändert" in again
    assert "0 neu, 0 geändert, 30 unverändert" in again  # DE, 16 Länder, 3 + 5 + 5 units


def test_import_datapool_reports_a_broken_file_and_loads_the_others(data_dir):
    (data_dir / "zensus2022").mkdir()
    (data_dir / "zensus2022" / "1000A-0000_de_flat.csv").write_text(
        CENSUS.replace("124548", "12x4"), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="zensus2022-1000A-0000") as caught:
        _run("import_datapool", data_dir=str(data_dir))
    assert caught.value.returncode == 2
    assert not Value.objects.filter(indicator__code="zensus2022-bevoelkerung").exists()
    assert Value.objects.filter(indicator__code="gv100ad-bevoelkerung").exists()
    assert ImportRun.objects.get(status="failed").problems[0]["line"] == 2


def test_import_genesis_command(pool, tmp_path):
    path = tmp_path / "tabelle.csv"
    path.write_bytes(classic_table(CLASSIC_ROWS))
    options = {"code": "cmd-bev", "name": "Test", "attribution": "© Test, dl-de/by-2-0"}
    out = _run("import_genesis", str(path), **options)
    assert "cmd-bev" in out and "berechnet" in out
    assert Value.objects.filter(indicator__code="cmd-bev", unit__code="03").exists()
    path.write_bytes(classic_table([*CLASSIC_ROWS, "31.12.2016;03999;X;1;2;3;4"]))
    with pytest.raises(CommandError) as caught:
        _run("import_genesis", str(path), **options)
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="kein Datum"):
        _run("import_genesis", str(path), reference_date="morgen", **options)
