"""Grant letters' data as XLSX (openpyxl): one row per selected application and year."""

from __future__ import annotations

import io
from decimal import Decimal

from ortswandel.core.spreadsheets import safe_cell

from .formspec import requested_grant
from .models import Application, ApplicationStatus, Call


def grants_xlsx(call: Call) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Zuwendungen"
    sheet.append(
        [
            "Ausschreibung",
            "Bewerbung",
            "Kommune",
            "AGS",
            "Antragsteller/in",
            "Jahr",
            "Zuwendung (€)",
            "beantragt gesamt (€)",
            "Förderkennzeichen",
            "Auszahlungen und Berichte",
        ]
    )
    applications = (
        Application.objects.filter(call=call, status=ApplicationStatus.SELECTED)
        .select_related("municipality", "applicant")
        .prefetch_related("grants__budget", "milestones")
        .order_by("pk")
    )
    for application in applications:
        milestones = "; ".join(
            f"{m.get_kind_display()} {m.due_on:%d.%m.%Y} {m.label}"
            for m in application.milestones.all()
        )
        for grant in sorted(application.grants.all(), key=lambda g: g.budget.year):
            sheet.append(
                [
                    safe_cell(call.title),
                    safe_cell(application.title),
                    safe_cell(application.municipality.name),
                    application.municipality.ags,
                    safe_cell(application.applicant.email),
                    grant.budget.year,
                    float(grant.amount),
                    float(requested_grant(application.budget) or Decimal(0)),
                    f"{call.slug}/{application.pk}",
                    safe_cell(milestones),
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
