"""Back office reads: choice labels of the editing forms and the dashboard's drafts and
scheduled items."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ortswandel.catalogue.models import (
    NewsItem,
    Programme,
    Project,
    Publication,
    Result,
    Theme,
)
from ortswandel.core.models import PublicationStatus, Publishable
from ortswandel.municipalities.models import Municipality

# --------------------------------------------------------------------------------------------
# Editors: choice labels and the dashboard


def theme_choice_label(theme: Theme) -> str:
    """ "MSdZ · Klimaanpassung (Fokusthema)": a theme among those of several programmes."""
    return f"{theme.programme} · {theme.name} ({theme.get_kind_display()})"


def project_choice_label(project: Project) -> str:
    """ "Bad Belzig – Smart City Bad Belzig 2030 (MSdZ, ab 2020)": the programme and start year
    tell apart projects with the same acronym."""
    label = project.acronym
    if project.title and project.title != project.acronym:
        label += f" – {project.title[:60]}"
    extra = [str(project.programme)]
    if project.start_date:
        extra.append(_("ab %(year)s") % {"year": project.start_date.year})
    else:
        extra.append(project.slug)
    return f"{label} ({', '.join(extra)})"


def municipality_choice_label(municipality: Municipality) -> str:
    """ "Bad Belzig (Potsdam-Mittelmark, Brandenburg)"."""
    extra = [x for x in (municipality.kreis_name, municipality.land_name) if x]
    if municipality.kreis_name == municipality.name:  # kreisfreie Stadt
        extra = [municipality.land_name]
    return f"{municipality.name} ({', '.join(extra)})" if extra else municipality.name


#: Editorial content of a programme, in dashboard order.
EDITORIAL_MODELS: tuple[Any, ...] = (
    Project,
    Result,
    Publication,
    NewsItem,
    Theme,
)


def programme_drafts(programme: Programme, *, limit: int = 8) -> tuple[int, list[Publishable]]:
    """Drafts of a programme (not scheduled), newest change first: (count, first ``limit``)."""
    items: list[Publishable] = []
    total = 0
    for model in EDITORIAL_MODELS:
        qs = model.objects.filter(
            programme=programme, status=PublicationStatus.DRAFT, publish_at__isnull=True
        )
        total += qs.count()
        items.extend(qs.order_by("-updated_at")[:limit])
    items.sort(key=lambda o: o.updated_at, reverse=True)
    return total, items[:limit]


def programme_scheduled(programme: Programme, *, limit: int = 8) -> list[Publishable]:
    """Items of a programme with a publication date in the future, soonest first."""
    now = timezone.now()
    items: list[Publishable] = []
    for model in EDITORIAL_MODELS:
        items.extend(
            model.objects.filter(programme=programme, publish_at__gt=now).order_by("publish_at")[
                :limit
            ]
        )
    items.sort(key=lambda o: o.publish_at or now)
    return items[:limit]
