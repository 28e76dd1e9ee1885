"""Importing synthetic GENESIS tables: all-or-nothing, line-level problems, idempotency."""

from __future__ import annotations

import pytest

from ortswandel.core.models import AuditEntry
from ortswandel.datapool.models import ImportRun, Indicator, Origin, SpatialUnit, Value
from ortswandel.datapool.services.imports import ImportRejected, table_import
from ortswandel.datapool.specs import upload_spec

from .conftest import CLASSIC_HEADER, CLASSIC_ROWS, classic_table, flat_row, flat_table

pytestmark = pytest.mark.django_db


def _spec(**kwargs):
    options = {
        "file_name": "test.csv",
        "code": "test-bevoelkerung",
        "name": "Testbevölkerung",
        "attribution": "© Statistische Ämter des Bundes und der Länder, 2021, dl-de/by-2-0",
        "source_table": "99999-0001",
    }
    options.update(kwargs)
    return upload_spec(**options)


def _values(code="test-bevoelkerung", **filters):
    return Value.objects.filter(indicator__code=code, **filters)


def _value(unit, date, breakdown="", code="test-bevoelkerung"):
    return _values(code, unit__code=unit, date=date, breakdown=breakdown).get()


def test_classic_table_import_keeps_published_values_and_metadata(pool):
    report = table_import(spec=_spec(), data=classic_table(CLASSIC_ROWS), file_name="t.csv")
    assert report.status == ImportRun.Status.SUCCEEDED
    indicator = Indicator.objects.get(code="test-bevoelkerung")
    assert indicator.reference_date.isoformat() == "2021-08-17"  # from the footer
    assert indicator.attribution.startswith("© Statistische Ämter")
    assert indicator.source_table == "99999-0001"
    assert indicator.dimensions["sex"]["items"] == {"m": "männlich", "w": "weiblich"}
    value = _value("03152", "2015-12-31", "age=3+;sex=w")
    assert (value.value, value.origin, value.territorial_status.isoformat()) == (
        1100.0,
        Origin.PUBLISHED,
        "2015-12-31",
    )
    # "-" for a district that did not exist yet (03159 in 2015) or any more (03152 in 2016)
    assert not _values(unit__code="03159", date="2015-12-31", origin=Origin.PUBLISHED).exists()
    assert not _values(unit__code="03152", date="2016-12-31").exists()
    assert report.notes == [
        "8 Werte übersprungen: „-“ für Einheiten, die zum Stichtag nicht bestanden"
    ]


def test_totals_over_breakdowns_and_sums_up_the_hierarchy(pool):
    table_import(spec=_spec(), data=classic_table(CLASSIC_ROWS), file_name="t.csv")
    total = _value("03152", "2015-12-31")
    assert (total.value, total.origin) == (2290.0, Origin.AGGREGATED)
    assert "Summe über" in total.note
    assert _value("03155", "2015-12-31", "sex=w").value == 690.0
    land = _value("03", "2015-12-31")
    assert land.value == 2290 + 1340 + 660  # 03152 + 03155 + 03156, all in force in 2015
    assert land.note == "berechnet: Summe aus 3 Kreisen"
    assert _value("03", "2016-12-31").value == 1344 + 2954  # 03155 + 03159
    assert _value("12", "2016-12-31", "age=0-3;sex=m").value == 71
    # Germany needs all 16 Länder: the table covers two of them, so no German value
    assert not _values(unit__code="DG").exists()


def test_germany_is_summed_from_all_sixteen_laender(pool):
    rows = [
        flat_row(2020, f"{n:02d}", f"Land {n}", "ALT015B50", str(n * 1000)) for n in range(1, 17)
    ]
    spec = _spec(code="test-land", layout="flat")
    table_import(spec=spec, data=flat_table(rows), file_name="l.csv")
    germany = _value("DG", "2020-12-31", "age=15-50", code="test-land")
    assert germany.value == sum(n * 1000 for n in range(1, 17))
    assert germany.note == "berechnet: Summe aus 16 Ländern"
    table_import(spec=spec, data=flat_table(rows[:15]), file_name="l.csv")
    assert not _values("test-land", unit__code="DG").exists()


def test_never_down_the_hierarchy(pool):
    table_import(spec=_spec(), data=classic_table(CLASSIC_ROWS), file_name="t.csv")
    levels = set(_values().values_list("unit__level", flat=True))
    assert levels == {"kreis", "land"}
    assert not _values(unit__level__in=["gemeinde", "gemeindeverband"]).exists()


def test_import_is_idempotent(pool):
    data = classic_table(CLASSIC_ROWS)
    first = table_import(spec=_spec(), data=data, file_name="t.csv")
    snapshot = sorted(_values().values_list("unit__code", "date", "breakdown", "value", "origin"))
    audits = AuditEntry.objects.filter(action="datapool.import.completed").count()
    second = table_import(spec=_spec(), data=data, file_name="t.csv")
    assert second.status == ImportRun.Status.UNCHANGED
    assert (second.counts.created, second.counts.updated, second.counts.deleted) == (0, 0, 0)
    assert second.counts.unchanged == first.counts.created
    assert sorted(_values().values_list("unit__code", "date", "breakdown", "value", "origin")) == (
        snapshot
    )
    assert AuditEntry.objects.filter(action="datapool.import.completed").count() == audits


def test_changed_and_removed_rows_are_updated_and_deleted(pool):
    table_import(spec=_spec(), data=classic_table(CLASSIC_ROWS), file_name="t.csv")
    rows = [r for r in CLASSIC_ROWS if "12054" not in r]
    rows[1] = "31.12.2015;03155;Northeim, Landkreis;55;600;40;650"
    report = table_import(spec=_spec(), data=classic_table(rows), file_name="t.csv")
    assert report.counts.updated > 0
    assert report.counts.deleted > 0
    assert _value("03155", "2015-12-31", "age=0-3;sex=m").value == 55.0
    assert not _values(unit__code="12054").exists()
    # without Brandenburg, Germany can no longer be summed (a Land in force has no value)
    assert not _values(unit__code="DG").exists()


def test_secret_value_makes_the_parent_unknown(pool):
    rows = [
        "31.12.2015;03152;A;x;1.000;90;1.100",
        "31.12.2015;03155;B;50;600;40;650",
        "31.12.2015;03156;C;20;300;10;330",
    ]
    table_import(spec=_spec(), data=classic_table(rows), file_name="t.csv")
    secret = _value("03152", "2015-12-31", "age=0-3;sex=m")
    assert (secret.value, secret.sign) == (None, "x")
    assert not _values(unit__code="03", breakdown="age=0-3;sex=m").exists()
    assert _value("03", "2015-12-31", "age=0-3;sex=w").value == 140.0
    assert not _values(unit__code="03152", breakdown="").exists()  # total unknown


def _rejected(data, spec=None):
    before = Value.objects.count()
    with pytest.raises(ImportRejected) as caught:
        table_import(spec=spec or _spec(), data=data, file_name="kaputt.csv")
    assert Value.objects.count() == before
    run = ImportRun.objects.latest("id")
    assert run.status == ImportRun.Status.FAILED
    assert run.problems == [p.as_dict() for p in caught.value.problems]
    return caught.value.problems


def test_unknown_key_rejects_the_whole_file_with_its_line(pool):
    rows = [*CLASSIC_ROWS, "31.12.2016;03999;Nirgendwo;1;2;3;4"]
    problems = _rejected(classic_table(rows))
    assert [(p.line, "03999 (Nirgendwo) ist unbekannt" in p.message) for p in problems] == [
        (len(CLASSIC_HEADER) + len(CLASSIC_ROWS) + 1, True)
    ]
    assert not Indicator.objects.filter(code="test-bevoelkerung").exists()


def test_duplicate_keys_are_rejected(pool):
    rows = [*CLASSIC_ROWS, "31.12.2016;03155;Northeim, Landkreis;1;2;3;4"]
    problems = _rejected(classic_table(rows))
    first_line = len(CLASSIC_HEADER) + 7
    assert f"schon in Zeile {first_line}" in problems[0].message
    assert problems[0].line == len(CLASSIC_HEADER) + len(CLASSIC_ROWS) + 1


def test_one_bad_number_loads_nothing(pool):
    rows = list(CLASSIC_ROWS)
    rows[4] = "31.12.2015;12054;Potsdam;70;80,0,0;60;850"
    problems = _rejected(classic_table(rows))
    assert problems[0].line == len(CLASSIC_HEADER) + 5
    assert "80,0,0" in problems[0].message


def test_wrong_encoding_and_missing_columns(pool):
    problems = _rejected("a;b\n".encode("utf-16"))
    assert "Nullbytes" in problems[0].message
    problems = _rejected(
        classic_table(CLASSIC_ROWS), _spec(encoding="utf-8")
    )  # ISO-8859-1 bytes declared UTF-8
    assert "nicht UTF-8" in problems[0].message
    assert problems[0].line == 2
    problems = _rejected(b"statistics_code;time;wert\n1;2020;3\n", _spec(layout="flat"))
    assert problems[0].line == 1
    assert "value" in problems[0].message


def test_flat_import_with_published_germany_and_no_aggregation(pool):
    rows = [
        flat_row(2020, "DG", "Deutschland", "ALT015B50", "1,530"),
        flat_row(2020, "03", "Niedersachsen", "ALT015B50", "1,612"),
        flat_row(2020, "12", "Brandenburg", "ALT015B50", "."),
    ]
    spec = _spec(code="test-tfr", name="TFR", aggregation="none", layout="flat")
    report = table_import(spec=spec, data=flat_table(rows), file_name="f.csv")
    assert report.counts.created == 3
    assert _value("DG", "2020-12-31", "age=15-50", code="test-tfr").value == 1.53
    missing = _value("12", "2020-12-31", "age=15-50", code="test-tfr")
    assert (missing.value, missing.sign) == (None, ".")
    assert Indicator.objects.get(code="test-tfr").period == "jahr"


def test_levels_not_chosen_are_skipped_and_noted(pool):
    spec = _spec(levels=frozenset({"kreis"}))
    report = table_import(spec=spec, data=classic_table(CLASSIC_ROWS), file_name="t.csv")
    assert report.status == ImportRun.Status.SUCCEEDED
    rows = ["31.12.2015;03;Niedersachsen;1;2;3;4", *CLASSIC_ROWS[:3]]
    report = table_import(spec=spec, data=classic_table(rows), file_name="t.csv")
    assert "4 Werte übersprungen: Ebene Land" in report.notes


def test_former_municipalities_are_created_only_when_allowed(pool):
    header = (
        "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;"
        "1_variable_label;1_variable_attribute_code;1_variable_attribute_label;value;"
        "value_unit;value_variable_code;value_variable_label"
    )
    rows = [
        "1000A;Zensus;STAG;Stichtag;2022-05-15;GEOGM4;Gemeinden;031590016016;Göttingen;124548;"
        "Anzahl;PRS018;Personen",
        "1000A;Zensus;STAG;Stichtag;2022-05-15;GEOGM4;Gemeinden;031590024999;Altdorf;500;"
        "Anzahl;PRS018;Personen",
    ]
    data = ("\ufeff" + header + "\n" + "\n".join(rows) + "\n").encode()
    problems = _rejected(data, _spec(layout="flat"))
    assert "031590024999 (Altdorf) ist unbekannt" in problems[0].message
    import datetime as dt

    spec = _spec(layout="flat")
    spec = type(spec)(
        **{**spec.__dict__, "historical_units": True, "territorial_status": dt.date(2022, 5, 15)}
    )
    table_import(spec=spec, data=data, file_name="z.csv")
    former = SpatialUnit.objects.get(code="03159999")
    assert (former.in_register, former.parent.code, former.name) == (False, "031590024", "Altdorf")
    assert _value("03159", "2022-05-15").value == 124548 + 500
