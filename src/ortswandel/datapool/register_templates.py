"""Downloadable templates for a municipality's register data (CSV for any spreadsheet, XLSX).

The file format is German in every UI language (the reader expects these labels).
"""

from __future__ import annotations

import csv
import io

from .models import RegisterKind
from .register_files import OPEN_AGE

TITLES: dict[str, str] = {
    RegisterKind.POPULATION: "Einwohner nach Alter und Geschlecht (Melderegister)",
    RegisterKind.FACILITIES: "Kita, Schule, Pflege: Plätze und Belegung",
}
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_rows(kind: str, *, ags: str, name: str) -> list[list[str]]:
    """The rows of the template: title, AGS, Stichtag, header, one line per age or example."""
    head = [
        [f"Ortswandel – Vorlage: {TITLES[kind]}"],
        ["Gemeindeschlüssel (AGS)", ags],
        ["Gemeinde", name],
        ["Stichtag (TT.MM.JJJJ)", ""],
    ]
    if kind == RegisterKind.POPULATION:
        ages = [[str(age), "", "", ""] for age in range(OPEN_AGE)]
        return [
            *head,
            ["Alter", "weiblich", "männlich", "insgesamt"],
            *ages,
            ["100 und älter", "", "", ""],
            ["Insgesamt", "", "", ""],
        ]
    return [
        *head,
        ["Art", "Einrichtung", "Plätze", "belegt"],
        ["Kita", "", "", ""],
        ["Schule", "", "", ""],
        ["Pflege", "", "", ""],
    ]


def template_file(kind: str, fmt: str, *, ags: str, name: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the template in ``fmt`` (``csv`` or ``xlsx``)."""
    rows = template_rows(kind, ags=ags, name=name)
    filename = f"ortswandel-{kind}-{ags}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), CSV_TYPE, filename
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has a sheet
    sheet.title = "Einwohner" if kind == RegisterKind.POPULATION else "Einrichtungen"
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 30
    buffer_bytes = io.BytesIO()
    workbook.save(buffer_bytes)
    return buffer_bytes.getvalue(), XLSX_TYPE, filename
