"""The calls app's part of a catalogue project page: the call the project was selected in,
with its grants per year (registered in ``CallsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ortswandel.catalogue.contributions import ProjectSection, SectionItem

from .models import Application, ApplicationStatus


def project_section(project: Any) -> ProjectSection | None:
    application = (
        Application.objects.filter(project=project, status=ApplicationStatus.SELECTED)
        .select_related("call")
        .prefetch_related("grants__budget")
        .first()
    )
    if application is None or not application.call.is_public:
        return None
    items = [
        SectionItem(
            label=application.call.title,
            url=application.call.get_absolute_url(),
            note=_("ausgewählt von der Jury"),
        )
    ]
    items.extend(
        SectionItem(
            label=_("Zuwendung %(y)s: %(a)s €")
            % {"y": g.budget.year, "a": number_format(g.amount, 2, force_grouping=True)}
        )
        for g in sorted(application.grants.all(), key=lambda g: g.budget.year)
    )
    return ProjectSection(
        key="ausschreibung", title=_("Förderung aus der Ausschreibung"), items=items
    )
