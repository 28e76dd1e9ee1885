"""Reads of the knowledge portal. Public selectors return published content only.

Content is public when it is published *and* its programme is published. Every list selector
runs a constant number of queries (no per-row queries): rows come with ``select_related`` /
``prefetch_related``; facet counts come from one aggregate query per facet, or for the project
directory from the in-memory posting index of ``facets.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortswandel.core.errors import InvalidInput, NotFound
from ortswandel.core.models import PublicationStatus, Publishable
from ortswandel.core.paging import paginate
from ortswandel.municipalities.models import LAND_NAMES, Municipality, SizeClass

from .facets import (
    Facet,
    MunicipalityThrough,
    ThemeThrough,
    build_facet,
    project_facet_index,
)
from .filters import (
    PROJECT_SORTS,
    RESULT_SORTS,
    ProjectFilters,
    PublicationFilters,
    ResultFilters,
    text_condition,
    text_needle,
)
from .models import (
    Citation,
    NewsItem,
    Organisation,
    PartnerRole,
    Programme,
    Project,
    ProjectPartner,
    ProjectStatus,
    Publication,
    PublicationKind,
    Result,
    ResultKind,
    Theme,
    ThemeKind,
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
NEWS_PER_PAGE = 10

ResultThemeThrough = Result.themes.through

THEME_KIND_ORDER = [kind.value for kind in ThemeKind]
PARTNER_ROLE_ORDER = {role.value: index for index, role in enumerate(PartnerRole)}


# --------------------------------------------------------------------------------------------
# Base querysets: public content (the rule lives in the models' ``public()``)


def published_programmes() -> QuerySet[Programme]:
    return Programme.objects.public()


def published_themes() -> QuerySet[Theme]:
    return Theme.objects.public()


def published_projects() -> QuerySet[Project]:
    return Project.objects.public()


def published_results() -> QuerySet[Result]:
    return Result.objects.public()


def published_publications() -> QuerySet[Publication]:
    return Publication.objects.public()


def published_news() -> QuerySet[NewsItem]:
    return NewsItem.objects.public()


def _themes_prefetch(lookup: str = "themes", *, with_programme: bool = True) -> Prefetch:
    queryset = Theme.objects.public().order_by("name")
    if with_programme:  # needed for theme links (URL contains the programme slug)
        queryset = queryset.select_related("programme")
    return Prefetch(lookup, queryset=queryset)


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
    programme_counts = {p.slug: counts["programme"].get(str(p.pk), 0) for p in programmes}
    facets = [
        build_facet(
            "programme",
            _("Programm"),
            [(p.slug, str(p)) for p in programmes],
            programme_counts,
            f.programmes,
        ),
        build_facet(
            "theme",
            _("Thema"),
            [(str(t.pk), t.name, str(t.programme)) for t in facet_themes],
            counts["theme"],
            [str(i) for i in f.themes],
        ),
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
# Details


def _get_or_404(qs: QuerySet, message: str, **lookup: Any) -> Any:
    if any(isinstance(v, str) and ("\x00" in v or len(v) > 200) for v in lookup.values()):
        raise NotFound(message)  # never a valid slug; PostgreSQL would reject NUL with an error
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise NotFound(message)
    return obj


def project_detail(*, slug: str, preview: bool = False) -> Project:
    project: Project = _get_or_404(
        (Project.objects.all() if preview else published_projects())
        .select_related("programme")
        .prefetch_related(
            _themes_prefetch(),
            Prefetch(
                "partnerships",
                queryset=ProjectPartner.objects.select_related(
                    "organisation", "organisation__municipality"
                ).order_by("organisation__name"),
            ),
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name")),
            Prefetch("results", queryset=published_results().order_by("title")),
            Prefetch("publications", queryset=published_publications().order_by("-year", "title")),
        ),
        _("Dieses Projekt gibt es nicht oder es ist nicht veröffentlicht."),
        slug=slug,
    )
    return project


def sorted_partnerships(project: Project) -> list[ProjectPartner]:
    """Partners in role order (coordination first), then by name; uses the prefetched rows."""
    return sorted(
        project.partnerships.all(),
        key=lambda p: (PARTNER_ROLE_ORDER.get(p.role, 99), p.organisation.name.lower()),
    )


@dataclass
class ThemeGroup:
    kind: str
    label: str
    themes: list[Theme]


def group_themes(themes: Iterable[Theme]) -> list[ThemeGroup]:
    """Themes grouped by kind in the order Fokusthemen, Kernbotschaften, Handlungsfelder, …"""
    groups: dict[str, list[Theme]] = {}
    for theme in themes:
        groups.setdefault(theme.kind, []).append(theme)
    plural = {
        ThemeKind.FOCUS_THEME: _("Fokusthemen"),
        ThemeKind.CORE_MESSAGE: _("Kernbotschaften"),
        ThemeKind.FIELD_OF_ACTION: _("Handlungsfelder"),
        ThemeKind.WORKSHOP_AREA: _("Werkstattbereiche"),
    }
    return [
        ThemeGroup(kind, str(plural[ThemeKind(kind)]), groups[kind])
        for kind in THEME_KIND_ORDER
        if kind in groups
    ]


@dataclass
class ProgrammeDetail:
    programme: Programme
    theme_groups: list[ThemeGroup]
    projects: list[Project]
    project_count: int
    results: list[Result]
    publications: list[Publication]
    news: list[NewsItem]


PROGRAMME_PROJECTS_SHOWN = 60


def programme_detail(*, slug: str) -> ProgrammeDetail:
    programme: Programme = _get_or_404(
        published_programmes(),
        _("Dieses Programm gibt es nicht oder es ist nicht veröffentlicht."),
        slug=slug,
    )
    themes = Theme.objects.public().filter(programme=programme).order_by("position", "name")
    projects_qs = published_projects().filter(programme=programme)
    return ProgrammeDetail(
        programme=programme,
        theme_groups=group_themes(themes),
        projects=list(projects_qs.order_by("acronym")[:PROGRAMME_PROJECTS_SHOWN]),
        project_count=projects_qs.count(),
        results=list(published_results().filter(programme=programme).order_by("title")[:12]),
        publications=list(
            published_publications().filter(programme=programme).order_by("-year", "title")[:10]
        ),
        news=list(published_news().filter(programme=programme)[:5]),
    )


@dataclass
class ThemeDetail:
    theme: Theme
    projects: list[Project]
    results: list[Result]
    siblings: list[Theme]


def theme_detail(*, programme_slug: str, slug: str) -> ThemeDetail:
    theme: Theme = _get_or_404(
        published_themes().select_related("programme"),
        _("Dieses Thema gibt es nicht oder es ist nicht veröffentlicht."),
        programme__slug=programme_slug,
        slug=slug,
    )
    return ThemeDetail(
        theme=theme,
        projects=list(published_projects().filter(themes=theme).order_by("acronym").distinct()),
        results=list(published_results().filter(themes=theme).order_by("title").distinct()),
        siblings=list(
            Theme.objects.public()
            .filter(programme_id=theme.programme_id, kind=theme.kind)
            .exclude(pk=theme.pk)
            .order_by("position", "name")
        ),
    )


@dataclass
class OrganisationDetail:
    organisation: Organisation
    partnerships: list[ProjectPartner]


def organisation_detail(*, slug: str) -> OrganisationDetail:
    """An organisation page. Organisations have no draft state (shared master data); the page
    lists only their partnerships in published projects."""
    organisation: Organisation = _get_or_404(
        Organisation.objects.public().select_related("municipality"),
        _("Diese Organisation gibt es nicht."),
        slug=slug,
    )
    partnerships = list(
        ProjectPartner.objects.public()
        .filter(organisation=organisation)
        .select_related("project", "project__programme")
        .order_by("project__acronym")
    )
    return OrganisationDetail(organisation=organisation, partnerships=partnerships)


def result_detail(*, slug: str, preview: bool = False) -> Result:
    result: Result = _get_or_404(
        (Result.objects.all() if preview else published_results())
        .select_related("programme")
        .prefetch_related(
            _themes_prefetch(),
            Prefetch("projects", queryset=published_projects().order_by("acronym")),
        ),
        _("Dieses Ergebnis gibt es nicht oder es ist nicht veröffentlicht."),
        slug=slug,
    )
    return result


def publication_detail(*, slug: str, preview: bool = False) -> Publication:
    publication: Publication = _get_or_404(
        (Publication.objects.all() if preview else published_publications())
        .select_related("programme")
        .prefetch_related(
            _themes_prefetch(),
            Prefetch("projects", queryset=published_projects().order_by("acronym")),
        ),
        _("Diese Publikation gibt es nicht oder sie ist nicht veröffentlicht."),
        slug=slug,
    )
    return publication


def news_detail(*, slug: str, preview: bool = False) -> NewsItem:
    item: NewsItem = _get_or_404(
        (NewsItem.objects.all() if preview else published_news())
        .select_related("programme")
        .prefetch_related(_themes_prefetch()),
        _("Diese Meldung gibt es nicht oder sie ist nicht veröffentlicht."),
        slug=slug,
    )
    return item


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
        build_facet(
            "programme",
            _("Programm"),
            [(p.slug, str(p)) for p in programmes],
            {p.slug: programme_counts.get(str(p.pk), 0) for p in programmes},
            f.programmes,
        ),
        build_facet(
            "theme",
            _("Thema"),
            [(str(t.pk), t.name, str(t.programme)) for t in facet_themes],
            theme_counts,
            [str(i) for i in f.themes],
        ),
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
        build_facet(
            "programme",
            _("Programm"),
            [(p.slug, str(p)) for p in programmes],
            {p.slug: programme_counts.get(str(p.pk), 0) for p in programmes},
            f.programmes,
        ),
    ]
    rows = by_programme.filter(programme_id__in=programme_ids) if programme_ids else by_programme
    rows = rows.select_related("programme").order_by("-year", "title", "id")
    page = paginate(rows, page=f.page, per_page=per_page)
    return PublicationList(filters=f, page=page, facets=facets, total=page.paginator.count)


def news_page(*, page: int, per_page: int = NEWS_PER_PAGE) -> Page:
    return paginate(
        published_news().select_related("programme").order_by("-published_on", "-id"),
        page=page,
        per_page=per_page,
    )


def latest_news(*, limit: int = 20) -> list[NewsItem]:
    return list(
        published_news().select_related("programme").order_by("-published_on", "-id")[:limit]
    )


@dataclass
class ProgrammeCard:
    programme: Programme
    project_count: int


def programme_cards() -> list[ProgrammeCard]:
    programmes = published_programmes().annotate(
        project_count=Count("projects", filter=Project.public_q("projects__"))
    )
    return [ProgrammeCard(p, p.project_count) for p in programmes.order_by("name")]


@dataclass
class HomePage:
    programmes: list[ProgrammeCard]
    news: list[NewsItem]
    featured_results: list[Result]
    project_count: int
    result_count: int


def home_page() -> HomePage:
    featured = list(
        published_results()
        .filter(is_featured=True)
        .select_related("programme")
        .order_by("title")[:6]
    )
    if not featured:
        featured = list(published_results().select_related("programme").order_by("-updated_at")[:3])
    return HomePage(
        programmes=programme_cards(),
        news=latest_news(limit=3),
        featured_results=featured,
        project_count=published_projects().count(),
        result_count=published_results().count(),
    )


def citations_by_field(obj: Any) -> dict[str, list[Citation]]:
    """The sources of ``obj``'s facts, by field (``""``: the object as a whole), in order."""
    grouped: dict[str, list[Citation]] = {}
    for citation in Citation.objects.of(obj).order_by("field", "position", "id"):
        grouped.setdefault(citation.field, []).append(citation)
    return grouped


#: The facts every project should state, in the order of the missing-information table.
PROJECT_FACTS: tuple[tuple[str, Any], ...] = (
    ("title", gettext_lazy("Volltitel")),
    ("summary", gettext_lazy("Zusammenfassung")),
    ("period", gettext_lazy("Laufzeit (Beginn und Ende)")),
    ("lead_partner", gettext_lazy("Verbundkoordination")),
    ("partners", gettext_lazy("Partner")),
    ("municipalities", gettext_lazy("Modellkommunen")),
    ("results", gettext_lazy("Ergebnisse")),
)


@dataclass
class MissingRow:
    project: Project
    missing: list[str]  # keys of PROJECT_FACTS


@dataclass
class MissingInformation:
    programme: Programme
    rows: list[MissingRow]  # every project, drafts included
    present: list[tuple[str, str, int, int]]  # (key, label, projects with it, without it)
    total: int
    result_count: int
    unresolved_places: list[dict[str, str]]


def missing_information(*, programme: Programme) -> MissingInformation:
    """Which facts each project of ``programme`` lacks (back office; drafts included), with
    counts per fact and the places the last content import could not match."""
    projects = (
        Project.objects.filter(programme=programme)
        .annotate(
            n_coordinators=Count(
                "partnerships",
                filter=Q(partnerships__role=PartnerRole.COORDINATOR),
                distinct=True,
            ),
            n_partners=Count("partnerships", distinct=True),
            n_municipalities=Count("municipalities", distinct=True),
            n_results=Count("results", distinct=True),
        )
        .order_by("acronym")
    )
    rows: list[MissingRow] = []
    counts = dict.fromkeys((key for key, _label in PROJECT_FACTS), 0)
    for project in projects:
        has = {
            "title": bool(project.title),
            "summary": bool(project.summary),
            "period": bool(project.start_date and project.end_date),
            "lead_partner": project.n_coordinators > 0,
            "partners": project.n_partners > 0,
            "municipalities": project.n_municipalities > 0,
            "results": project.n_results > 0,
        }
        for key, value in has.items():
            counts[key] += value
        rows.append(MissingRow(project, [k for k, _label in PROJECT_FACTS if not has[k]]))
    from .content_import import last_import_report

    report = last_import_report() or {}
    unresolved = [
        place for place in report.get("unresolved", []) if place.get("programme") == programme.slug
    ]
    return MissingInformation(
        programme=programme,
        rows=rows,
        present=[
            (key, str(label), counts[key], len(rows) - counts[key]) for key, label in PROJECT_FACTS
        ],
        total=len(rows),
        result_count=Result.objects.filter(programme=programme).count(),
        unresolved_places=unresolved,
    )


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
