"""Public directories with facets: the project directory, the result library and the list of
publications. Filters are OR-combined within a facet and AND-combined across facets; every
selector runs a constant number of queries — facet counts come from one aggregate query per
facet, or for the project directory from the in-memory posting index of ``facets.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from ortswandel.catalogue.facets import (
    Facet,
    MunicipalityThrough,
    ThemeThrough,
    build_facet,
    project_facet_index,
)
from ortswandel.catalogue.filters import (
    PROJECT_SORTS,
    RESULT_SORTS,
    ProjectFilters,
    PublicationFilters,
    ResultFilters,
    text_condition,
    text_needle,
)
from ortswandel.catalogue.models import (
    Programme,
    Project,
    ProjectStatus,
    PublicationKind,
    Result,
    ResultKind,
    Theme,
)
from ortswandel.core.errors import InvalidInput
from ortswandel.core.paging import paginate
from ortswandel.municipalities.models import LAND_NAMES, SizeClass

from .public import (
    _themes_prefetch,
    published_programmes,
    published_publications,
    published_results,
    published_themes,
)

PROJECTS_PER_PAGE = 20
PROJECT_CARD_FIELDS = (
    "acronym",
    "slug",
    "title",
    "title_en",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "project_status",
    "programme__name",
    "programme__short_name",
    "programme__slug",
)
RESULTS_PER_PAGE = 20
PUBLICATIONS_PER_PAGE = 20

ResultThemeThrough = Result.themes.through


# --------------------------------------------------------------------------------------------
# Project directory


@dataclass
class ProjectDirectory:
    filters: ProjectFilters
    page: Page
    facets: list[Facet]
    total: int


def _resolve_programmes(slugs: Iterable[str], programmes: Iterable[Programme]) -> list[int]:
    by_slug = {p.slug: p for p in programmes}
    missing = [s for s in slugs if s not in by_slug]
    if missing:
        raise InvalidInput(
            _("Das Programm „%(slug)s“ gibt es nicht.") % {"slug": missing[0][:50]},
            fields={"programme": _("Unbekanntes Programm.")},
        )
    return [by_slug[s].pk for s in slugs]


def _resolve_themes(ids: Iterable[int]) -> dict[int, Theme]:
    ids = list(ids)
    if not ids:
        return {}
    found = {t.pk: t for t in published_themes().filter(pk__in=ids).select_related("programme")}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(
            _("Das Thema Nr. %(id)d gibt es nicht.") % {"id": missing[0]},
            fields={"theme": _("Unbekanntes Thema.")},
        )
    return found


def _programme_facet(
    programmes: list[Programme], counts_by_id: dict[str, int], selected: Iterable[str]
) -> Facet:
    """The programme facet: one option per published programme (by slug), counted by id."""
    return build_facet(
        "programme",
        _("Programm"),
        [(p.slug, str(p)) for p in programmes],
        {p.slug: counts_by_id.get(str(p.pk), 0) for p in programmes},
        selected,
    )


def _theme_facet(themes: Iterable[Theme], counts: dict[str, int], selected: Iterable[int]) -> Facet:
    """The theme facet: one option per theme (by id), labelled with its programme."""
    return build_facet(
        "theme",
        _("Thema"),
        [(str(t.pk), t.name, str(t.programme)) for t in themes],
        counts,
        [str(i) for i in selected],
    )


def _filter_projects(
    qs: QuerySet[Project], f: ProjectFilters, programme_ids: list[int], skip: str = ""
) -> QuerySet[Project]:
    if programme_ids and skip != "programme":
        qs = qs.filter(programme_id__in=programme_ids)
    if f.themes and skip != "theme":
        # OR within the facet; a subquery avoids duplicate rows from the M2M join.
        qs = qs.filter(
            pk__in=ThemeThrough.objects.filter(theme_id__in=f.themes).values("project_id")
        )
    if f.lands and skip != "land":
        qs = qs.filter(
            pk__in=MunicipalityThrough.objects.filter(municipality__land_code__in=f.lands).values(
                "project_id"
            )
        )
    if f.sizes and skip != "size":
        qs = qs.filter(
            pk__in=MunicipalityThrough.objects.filter(municipality__size_class__in=f.sizes).values(
                "project_id"
            )
        )
    if f.statuses and skip != "status":
        qs = qs.filter(project_status__in=f.statuses)
    if f.year:
        qs = qs.filter(start_date__isnull=False, start_date__lte=dt.date(f.year, 12, 31)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=dt.date(f.year, 1, 1))
        )
    if f.start_from:
        qs = qs.filter(start_date__gte=dt.date(f.start_from, 1, 1))
    if f.end_to:
        qs = qs.filter(end_date__lte=dt.date(f.end_to, 12, 31))
    if f.q:
        qs = qs.filter(text_condition(text_needle(f.q)))
    return qs


def project_directory(f: ProjectFilters, *, per_page: int = PROJECTS_PER_PAGE) -> ProjectDirectory:
    """The filtered, sorted, paginated project list with disjunctive facet counts.

    Within one facet the selected values are OR-combined, across facets AND-combined; the counts
    of a facet are computed with all *other* facets applied (so choosing one Land still shows how
    many projects the other Länder would add). Land and size refer to the project's model
    municipalities (a project counts for every Land it has a model municipality in).
    Facet counts come from the in-memory posting index (``facets.py``); the rows and the total
    are read live. Queries: at most 6, independent of the data size (3 more when the index is
    rebuilt after a content change).
    """
    programmes = list(published_programmes().order_by("name"))
    published_ids = [p.pk for p in programmes]
    programme_ids = _resolve_programmes(f.programmes, programmes)
    _resolve_themes(f.themes)  # unknown or unpublished theme ids are a 400
    counts = project_facet_index(published_ids).counts(f, programme_ids)
    facet_theme_ids = {int(i) for i in counts["theme"]} | set(f.themes)
    facet_themes = (
        list(
            published_themes()
            .filter(pk__in=facet_theme_ids)
            .select_related("programme")
            .order_by("programme__name", "kind", "position", "name")
        )
        if facet_theme_ids
        else []
    )
    facets = [
        _programme_facet(programmes, counts["programme"], f.programmes),
        _theme_facet(facet_themes, counts["theme"], f.themes),
        build_facet("land", _("Land"), sorted(LAND_NAMES.items()), counts["land"], f.lands),
        build_facet(
            "size",
            _("Größe der Modellkommune"),
            [(c.value, c.label) for c in SizeClass if c != SizeClass.UNINHABITED],
            counts["size"],
            f.sizes,
        ),
        build_facet(
            "status", _("Projektstand"), ProjectStatus.choices, counts["status"], f.statuses
        ),
    ]
    rows = (
        _filter_projects(
            Project.objects.public().filter(programme_id__in=published_ids), f, programme_ids
        )
        .select_related("programme")
        # only what a project card shows: the full rows (summaries, timestamps) cost ~5 ms a page
        .only(*PROJECT_CARD_FIELDS)
        .prefetch_related(
            Prefetch("themes", queryset=published_themes().order_by("name").only("id", "name"))
        )
        .order_by(*PROJECT_SORTS[f.sort])
    )
    page = paginate(rows, page=f.page, per_page=per_page)
    return ProjectDirectory(
        filters=f,
        page=page,
        facets=facets,
        total=page.paginator.count,
    )


# --------------------------------------------------------------------------------------------
# Libraries and lists


@dataclass
class ResultLibrary:
    filters: ResultFilters
    page: Page
    facets: list[Facet]
    total: int


def _filter_results(
    qs: QuerySet[Result], f: ResultFilters, programme_ids: list[int], skip: str = ""
) -> QuerySet[Result]:
    if f.kinds and skip != "kind":
        qs = qs.filter(kind__in=f.kinds)
    if programme_ids and skip != "programme":
        qs = qs.filter(programme_id__in=programme_ids)
    if f.themes and skip != "theme":
        qs = qs.filter(
            pk__in=ResultThemeThrough.objects.filter(theme_id__in=f.themes).values("result_id")
        )
    if f.target_groups and skip != "target_group":
        qs = qs.filter(target_group__in=f.target_groups)
    return qs


def result_library(f: ResultFilters, *, per_page: int = RESULTS_PER_PAGE) -> ResultLibrary:
    programmes = list(published_programmes().order_by("name"))
    programme_ids = _resolve_programmes(f.programmes, programmes)
    _resolve_themes(f.themes)
    base = published_results()

    def counts(qs: QuerySet, key: str, count: str = "id") -> dict[str, int]:
        return {
            str(row[key]): row["n"]
            for row in qs.order_by().values(key).annotate(n=Count(count))
            if row[key] not in (None, "")
        }

    kind_counts = counts(_filter_results(base, f, programme_ids, "kind"), "kind")
    programme_counts = counts(_filter_results(base, f, programme_ids, "programme"), "programme_id")
    target_counts = counts(_filter_results(base, f, programme_ids, "target_group"), "target_group")
    theme_counts = counts(
        ResultThemeThrough.objects.filter(
            Theme.public_q("theme__"),
            result_id__in=_filter_results(base, f, programme_ids, "theme").values("pk"),
        ),
        "theme_id",
        "result_id",
    )
    facet_themes = (
        published_themes()
        .filter(pk__in={int(i) for i in theme_counts} | set(f.themes))
        .select_related("programme")
        .order_by("programme__name", "kind", "position", "name")
    )
    facets = [
        build_facet("kind", _("Art"), ResultKind.choices, kind_counts, f.kinds),
        _programme_facet(programmes, programme_counts, f.programmes),
        _theme_facet(facet_themes, theme_counts, f.themes),
        build_facet(
            "target_group",
            _("Zielgruppe"),
            [(t, t) for t in sorted(set(target_counts) | set(f.target_groups))],
            target_counts,
            f.target_groups,
        ),
    ]
    rows = (
        _filter_results(base, f, programme_ids)
        .select_related("programme")
        .prefetch_related(_themes_prefetch(with_programme=False))
        .order_by(*RESULT_SORTS[f.sort])
    )
    page = paginate(rows, page=f.page, per_page=per_page)
    return ResultLibrary(filters=f, page=page, facets=facets, total=page.paginator.count)


@dataclass
class PublicationList:
    filters: PublicationFilters
    page: Page
    facets: list[Facet]
    total: int


def publication_list(
    f: PublicationFilters, *, per_page: int = PUBLICATIONS_PER_PAGE
) -> PublicationList:
    programmes = list(published_programmes().order_by("name"))
    programme_ids = _resolve_programmes(f.programmes, programmes)
    base = published_publications()
    by_programme = base.filter(kind__in=f.kinds) if f.kinds else base
    by_kind = base.filter(programme_id__in=programme_ids) if programme_ids else base
    programme_counts = {
        str(r["programme_id"]): r["n"]
        for r in by_programme.order_by().values("programme_id").annotate(n=Count("id"))
    }
    kind_counts = {
        r["kind"]: r["n"] for r in by_kind.order_by().values("kind").annotate(n=Count("id"))
    }
    facets = [
        build_facet("kind", _("Art"), PublicationKind.choices, kind_counts, f.kinds),
        _programme_facet(programmes, programme_counts, f.programmes),
    ]
    rows = by_programme.filter(programme_id__in=programme_ids) if programme_ids else by_programme
    rows = rows.select_related("programme").order_by("-year", "title", "id")
    page = paginate(rows, page=f.page, per_page=per_page)
    return PublicationList(filters=f, page=page, facets=facets, total=page.paginator.count)
