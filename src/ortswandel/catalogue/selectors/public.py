"""Public reads of the knowledge portal: published content, detail pages, news, home page and
the sources (citations) shown beside the facts.

Content is public when it is published *and* its programme is published (the rule lives in the
models' ``public()``). Every selector runs a constant number of queries (no per-row queries).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from ortswandel.catalogue.models import (
    Citation,
    NewsItem,
    Organisation,
    PartnerRole,
    Programme,
    Project,
    ProjectPartner,
    Publication,
    Result,
    Theme,
    ThemeKind,
)
from ortswandel.core.errors import NotFound
from ortswandel.core.paging import paginate
from ortswandel.municipalities.models import Municipality

NEWS_PER_PAGE = 10

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
# News, programme cards, home page, citations


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
