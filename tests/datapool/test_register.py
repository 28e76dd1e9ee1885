"""A municipality's own register data: template round trip, replacement of estimates, privacy,
audit, and rejected files with line-level German messages (nothing half-stored)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from ortswandel.core.models import AuditEntry
from ortswandel.datapool import selectors
from ortswandel.datapool.models import RegisterKind, RegisterUpload, Value
from ortswandel.datapool.register_templates import template_file
from ortswandel.datapool.services.register import (
    RegisterUploadRejected,
    register_upload_create,
    register_upload_publish,
)

from .conftest import population_csv

pytestmark = pytest.mark.django_db


def _upload(user, data, *, name="melderegister.csv", kind=RegisterKind.POPULATION, ags="03159016"):
    return register_upload_create(user=user, ags=ags, kind=kind, file_name=name, data=data)


def _rejected(user, data, **kwargs) -> list[tuple[int | None, str]]:
    before = (Value.objects.count(), RegisterUpload.objects.count())
    with pytest.raises(RegisterUploadRejected) as caught:
        _upload(user, data, **kwargs)
    assert (Value.objects.count(), RegisterUpload.objects.count()) == before
    return caught.value.errors


def test_upload_replaces_the_estimate_for_staff_only(municipal_staff, registered_user):
    upload = _upload(municipal_staff, population_csv())
    assert (upload.rows, upload.reference_date, upload.is_published) == (
        101,
        dt.date(2024, 12, 31),
        False,
    )
    own = selectors.register_population("03159016", user=municipal_staff)
    assert own.source == "register"
    assert own.female[0] == 10 and own.female[100] == 2 and own.male[100] == 1
    assert own.as_array().sum() == 1903
    assert "Melderegister" in own.attribution
    assert Value.objects.filter(register_upload=upload, is_private=True).count() == 205
    public = selectors.register_population("03159016", user=registered_user)
    assert public is None or public.source == "estimate"
    entry = AuditEntry.objects.get(action="datapool.register.uploaded")
    assert entry.actor == municipal_staff
    assert entry.payload["ags"] == "03159016"


def test_publishing_makes_it_public_and_is_audited(municipal_staff, registered_user):
    upload = _upload(municipal_staff, population_csv())
    register_upload_publish(user=municipal_staff, upload=upload, publish=True)
    assert not Value.objects.filter(register_upload=upload, is_private=True).exists()
    assert selectors.register_population("03159016", user=registered_user).source == "register"
    register_upload_publish(user=municipal_staff, upload=upload, publish=False)
    assert Value.objects.filter(register_upload=upload, is_private=False).count() == 0
    actions = list(
        AuditEntry.objects.filter(action__startswith="datapool.register.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "datapool.register.uploaded",
        "datapool.register.published",
        "datapool.register.withdrawn",
    ]


def test_same_date_replaces_the_previous_upload(municipal_staff):
    first = _upload(municipal_staff, population_csv())
    second = _upload(
        municipal_staff, population_csv(age0="0;20;9;29", total="Insgesamt;1.012;901;1.913")
    )
    assert not RegisterUpload.objects.filter(pk=first.pk).exists()
    assert Value.objects.get(register_upload=second, breakdown="age=0;sex=w").value == 20
    latest = AuditEntry.objects.filter(action="datapool.register.uploaded").order_by("id").last()
    assert latest.payload["replaced_upload"] == first.pk


def test_xlsx_template_round_trip(municipal_staff):
    content, content_type, filename = template_file(
        RegisterKind.POPULATION, "xlsx", ags="03159016", name="Göttingen, Stadt"
    )
    assert filename == "ortswandel-bevoelkerung-03159016.xlsx"
    assert content_type.endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    sheet["B4"] = dt.datetime(2024, 12, 31)  # noqa: DTZ001 - Excel dates have no time zone
    for row in range(6, 107):
        sheet.cell(row=row, column=2, value=5)
        sheet.cell(row=row, column=3, value=4)
    sheet.cell(row=107, column=1).value = None  # no totals line
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = _upload(municipal_staff, buffer.getvalue(), name="vorlage.xlsx")
    assert Value.objects.get(register_upload=upload, breakdown="").value == 101 * 9


def test_csv_template_is_german_and_readable(municipal_staff):
    content, _type, _name = template_file(
        RegisterKind.POPULATION, "csv", ags="03159016", name="Göttingen, Stadt"
    )
    text = content.decode("utf-8-sig")
    assert "Gemeindeschlüssel (AGS);03159016" in text
    assert "Alter;weiblich;männlich;insgesamt" in text
    errors = _rejected(municipal_staff, content)  # empty template: Stichtag and numbers missing
    assert any("Stichtag" in message for _line, message in errors)
    assert any(line == 7 and "weiblich ist leer" in message for line, message in errors)


def test_facilities_upload_with_totals(municipal_staff):
    rows = [
        "Gemeindeschlüssel (AGS);03159016",
        "Stichtag (TT.MM.JJJJ);01.03.2025",
        "Art;Einrichtung;Plätze;belegt",
        "Kita;Kita Sonnenschein;80;76",
        "Kita;Kita Regenbogen;40;41",
        "Kita;Insgesamt;120;117",
        "Pflege;Haus am Park;60;58",
    ]
    upload = _upload(
        municipal_staff, "\n".join(rows).encode("cp1252"), kind=RegisterKind.FACILITIES
    )
    places = Value.objects.filter(register_upload=upload, indicator__code__endswith="plaetze")
    assert places.get(breakdown="art=kita").value == 120
    assert places.get(breakdown="art=kita;einrichtung=Kita Regenbogen").value == 40
    assert places.get(breakdown="art=pflege").value == 60
    rows[5] = "Kita;Insgesamt;121;117"
    errors = _rejected(municipal_staff, "\n".join(rows).encode(), kind=RegisterKind.FACILITIES)
    assert errors == [(6, "Summe Plätze Kita: angegeben 121, die Zeilen ergeben 120.")]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"age5": "5;10;9;20"}, (11, "insgesamt (20) ist nicht weiblich + männlich (19).")),
        ({"age7": "7;10;neun;19"}, (13, "männlich „neun“ ist keine ganze Zahl ≥ 0.")),
        ({"age8": "8;-1;9;8"}, (14, "weiblich „-1“ ist keine ganze Zahl ≥ 0.")),
        ({"age9": "8;10;9;19"}, (15, "Alter 8 kommt doppelt vor (schon in Zeile 14).")),
        ({"age3": "drei;10;9;19"}, (9, "„drei“ ist kein Alter (0 bis 99 oder „100 und älter“).")),
        (
            {"total": "Insgesamt;1.003;901;1.904"},
            (107, "Summe weiblich: angegeben 1003, die Zeilen ergeben 1002."),
        ),
    ],
)
def test_wrong_values_and_sums_are_rejected_by_line(municipal_staff, changes, expected):
    assert expected in _rejected(municipal_staff, population_csv(**changes))


def test_missing_ages_wrong_columns_wrong_municipality_future_date(municipal_staff):
    errors = _rejected(municipal_staff, population_csv(age42=""))
    assert (None, "Es fehlen Zeilen für das Alter: 42.") in errors
    data = population_csv().replace(b"Alter;weiblich;m", b"Alter;Frauen;m")
    errors = _rejected(municipal_staff, data)
    assert errors[0][0] == 5 and "Spalte „Frauen“ ist unbekannt" in errors[0][1]
    errors = _rejected(municipal_staff, population_csv(ags="03155011"))
    assert (None, "Die Datei gehört zur Gemeinde 03155011, hochgeladen wird für 03159016.") in (
        errors
    )
    errors = _rejected(municipal_staff, population_csv(date="31.12.2999"))
    assert errors[0][0] == 4 and "Zukunft" in errors[0][1]
    assert AuditEntry.objects.filter(action="datapool.register.rejected").count() == 4


def test_wrong_encodings_and_file_types(municipal_staff):
    errors = _rejected(municipal_staff, population_csv(encoding="utf-16"))
    assert "Binärdaten" in errors[0][1]
    doubled = population_csv().decode("utf-8").encode("utf-8").decode("latin-1").encode("utf-8")
    assert "doppelt kodiert" in _rejected(municipal_staff, doubled)[0][1]
    assert (
        "keine gültige Excel-Datei"
        in _rejected(municipal_staff, b"PK\x03\x04kaputt", name="daten.xlsx")[0][1]
    )
    assert "CSV- oder XLSX" in _rejected(municipal_staff, b"%PDF-1.4", name="daten.pdf")[0][1]
    assert "nicht erlaubt" in _rejected(municipal_staff, b"MZ", name="daten.exe")[0][1]
    assert "passt nicht zur Endung" in _rejected(municipal_staff, b"text", name="daten.xlsx")[0][1]


def test_latin1_csv_from_excel_is_accepted(municipal_staff):
    upload = _upload(municipal_staff, population_csv(encoding="cp1252"))
    assert upload.rows == 101


def test_register_values_are_never_aggregated(municipal_staff):
    _upload(municipal_staff, population_csv())
    levels = set(
        Value.objects.filter(indicator__code="register-bevoelkerung").values_list(
            "unit__level", flat=True
        )
    )
    assert levels == {"gemeinde"}


def test_empty_workbook_sheet(municipal_staff):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    errors = _rejected(municipal_staff, buffer.getvalue(), name="leer.xlsx")
    assert any("Gemeindeschlüssel" in message for _line, message in errors)
