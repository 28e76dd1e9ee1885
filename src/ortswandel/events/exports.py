"""Participant lists as CSV (Excel-friendly: UTF-8 with BOM, semicolons) and XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import timezone

from ortswandel.core.questions import display_value
from ortswandel.core.spreadsheets import safe_row

from .models import Event


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def participant_rows(event: Event) -> list[list[Any]]:
    questions = list(event.questions.all())
    header = [
        "Nr.",
        "Status",
        "Name",
        "E-Mail",
        "Organisation",
        "Art der Organisation",
        "Land",
        "angemeldet",
        "bestätigt",
        "nachgerückt",
        "abgemeldet",
        "teilgenommen",
        *[q.label for q in questions],
    ]
    rows: list[list[Any]] = [header]
    for registration in event.registrations.all().order_by("created_at", "id"):
        answers = registration.answers or {}
        rows.append(
            [
                registration.pk,
                registration.get_status_display(),
                registration.name,
                registration.email,
                registration.organisation,
                registration.get_organisation_kind_display()
                if registration.organisation_kind
                else "",
                registration.land_name,
                _when(registration.created_at),
                _when(registration.confirmed_at),
                _when(registration.promoted_at),
                _when(registration.cancelled_at),
                {True: "ja", False: "nein"}.get(registration.attended, ""),  # type: ignore[arg-type]
                *[_answer(answers.get(str(q.pk))) for q in questions],
            ]
        )
    return [safe_row(row) for row in rows]


def _answer(item: Any) -> str:
    return display_value(item.get("answer")) if item else ""


def to_csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[Any]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Teilnehmende"
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    workbook.properties.title = title[:200]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
