"""Dashboard panels of the knowledge portal (:mod:`ortswandel.core.dashboard`): one section per
programme the user edits, with its drafts, what is scheduled and the missing information."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ortswandel.accounts.roles import restrict_to_programmes
from ortswandel.core import dashboard
from ortswandel.core.dashboard import Panel, PanelRow, Scope

from . import selectors
from .models import Programme

#: The key of the missing-information panel: the content import registers its detailed list
#: under the same key (it replaces this one, which counts projects only).
MISSING_INFORMATION_PANEL = "catalogue.missing_information"


def programme_scopes(user: Any) -> list[Scope]:
    if not (user.is_active and user.is_staff):
        return []
    programmes = restrict_to_programmes(Programme.objects.order_by("name"), user, "id")
    return [Scope(key=f"programme-{p.pk}", title=p.name, obj=p) for p in programmes]


def _change_url(obj: Any) -> str:
    return reverse(f"admin:catalogue_{obj._meta.model_name}_change", args=[obj.pk])


def _label(obj: Any) -> str:
    return f"{obj._meta.verbose_name}: {obj}"


@dashboard.register_panel("catalogue.drafts", order=10)
def drafts_panel(request: HttpRequest, scope: Scope) -> Panel | None:
    if not isinstance(scope.obj, Programme):
        return None
    total, items = selectors.programme_drafts(scope.obj)
    return Panel(
        title=_("Entwürfe"),
        count=total,
        rows=[
            PanelRow(
                label=_label(o),
                url=_change_url(o),
                detail=_("geändert %(when)s")
                % {
                    "when": formats.date_format(
                        timezone.localtime(o.updated_at), "SHORT_DATE_FORMAT"
                    )
                },
            )
            for o in items
        ],
        empty_text=_("Keine Entwürfe."),
    )


@dashboard.register_panel("catalogue.scheduled", order=20)
def scheduled_panel(request: HttpRequest, scope: Scope) -> Panel | None:
    if not isinstance(scope.obj, Programme):
        return None
    items = selectors.programme_scheduled(scope.obj)
    return Panel(
        title=_("Geplante Veröffentlichungen"),
        count=len(items),
        rows=[
            PanelRow(
                label=_label(o),
                url=_change_url(o),
                detail=formats.date_format(
                    timezone.localtime(o.publish_at), "SHORT_DATETIME_FORMAT"
                ),
            )
            for o in items
            if o.publish_at is not None
        ],
        empty_text=_("Nichts geplant."),
    )


@dashboard.register_panel(MISSING_INFORMATION_PANEL, order=30)
def missing_information_panel(request: HttpRequest, scope: Scope) -> Panel | None:
    if not isinstance(scope.obj, Programme):
        return None
    report = selectors.missing_information(programme=scope.obj)
    labels = dict(selectors.PROJECT_FACTS)
    incomplete = [row for row in report.rows if row.missing]
    return Panel(
        title=_("Fehlende Angaben"),
        count=len(incomplete),
        rows=[
            PanelRow(
                label=row.project.acronym,
                url=_change_url(row.project),
                detail=", ".join(str(labels[key]) for key in row.missing),
            )
            for row in incomplete[:5]
        ],
        empty_text=_("Allen Projekten fehlt keine der erfassten Angaben."),
        more=(
            _("Alle fehlenden Angaben des Programms"),
            reverse("catalogue:missing_information", kwargs={"slug": scope.obj.slug}),
        ),
    )


dashboard.register_scopes(programme_scopes)
