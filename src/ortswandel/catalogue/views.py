"""Public pages of the knowledge portal: parse input, call a selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortswandel.core.errors import NotFound, PermissionDenied

from . import selectors
from .filters import (
    parse_page,
    parse_project_filters,
    parse_publication_filters,
    parse_result_filters,
)
from .jsonld import organisation_jsonld, project_jsonld
from .models import NewsItem, Project, Publication, Result

Crumbs = list[tuple[str, str]]


def _crumbs(*items: tuple[str, str]) -> Crumbs:
    return [(_("Startseite"), reverse("catalogue:home")), *items]


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    nav: str = "",
    preview: bool = False,
) -> HttpResponse:
    response = render(request, f"catalogue/{template}", {"nav": nav, "preview": preview, **context})
    if preview:  # an editor's draft: never cached, never indexed
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


PROJECT_SORT_LABELS = [
    ("acronym", gettext_lazy("Akronym (A–Z)")),
    ("-acronym", gettext_lazy("Akronym (Z–A)")),
    ("title", gettext_lazy("Titel (A–Z)")),
    ("-title", gettext_lazy("Titel (Z–A)")),
    ("start", gettext_lazy("Beginn (früheste zuerst)")),
    ("-start", gettext_lazy("Beginn (neueste zuerst)")),
    ("end", gettext_lazy("Ende (früheste zuerst)")),
    ("-end", gettext_lazy("Ende (späteste zuerst)")),
]
RESULT_SORT_LABELS = [
    ("title", gettext_lazy("Titel (A–Z)")),
    ("-year", gettext_lazy("Jahr (neueste zuerst)")),
    ("year", gettext_lazy("Jahr (älteste zuerst)")),
]


def home(request: HttpRequest) -> HttpResponse:
    return _render(request, "home.html", {"page_data": selectors.home_page()})


def programme_list(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "programme_list.html",
        {
            "cards": selectors.programme_cards(),
            "breadcrumbs": _crumbs((_("Programme"), "")),
        },
        nav="programmes",
    )


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    detail = selectors.programme_detail(slug=slug)
    return _render(
        request,
        "programme_detail.html",
        {
            "detail": detail,
            "programme": detail.programme,
            "citations": selectors.citations_by_field(detail.programme),
            "breadcrumbs": _crumbs(
                (_("Programme"), reverse("catalogue:programme_list")), (str(detail.programme), "")
            ),
        },
        nav="programmes",
    )


def theme_detail(request: HttpRequest, programme: str, slug: str) -> HttpResponse:
    detail = selectors.theme_detail(programme_slug=programme, slug=slug)
    theme = detail.theme
    return _render(
        request,
        "theme_detail.html",
        {
            "detail": detail,
            "theme": theme,
            "citations": selectors.citations_by_field(theme),
            "breadcrumbs": _crumbs(
                (_("Programme"), reverse("catalogue:programme_list")),
                (str(theme.programme), theme.programme.get_absolute_url()),
                (theme.name, ""),
            ),
        },
        nav="programmes",
    )


def project_list(request: HttpRequest) -> HttpResponse:
    filters = parse_project_filters(request.GET)
    directory = selectors.project_directory(filters)
    return _render(
        request,
        "project_list.html",
        {
            "directory": directory,
            "filters": filters,
            "page_obj": directory.page,
            "sort_options": PROJECT_SORT_LABELS,
            "breadcrumbs": _crumbs((_("Projekte"), "")),
        },
        nav="projects",
    )


def project_detail(request: HttpRequest, slug: str, *, preview: bool = False) -> HttpResponse:
    project = selectors.project_detail(slug=slug, preview=preview)
    partnerships = selectors.sorted_partnerships(project)
    return _render(
        request,
        "project_detail.html",
        {
            "project": project,
            "partnerships": partnerships,
            "citations": selectors.citations_by_field(project),
            "jsonld": project_jsonld(project, partnerships, request),
            "breadcrumbs": _crumbs(
                (_("Projekte"), reverse("catalogue:project_list")), (project.acronym, "")
            ),
        },
        nav="projects",
        preview=preview,
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    detail = selectors.organisation_detail(slug=slug)
    return _render(
        request,
        "organisation_detail.html",
        {
            "detail": detail,
            "organisation": detail.organisation,
            "jsonld": organisation_jsonld(detail.organisation, request),
            "breadcrumbs": _crumbs(
                (_("Projekte"), reverse("catalogue:project_list")),
                (detail.organisation.name, ""),
            ),
        },
        nav="projects",
    )


def result_list(request: HttpRequest) -> HttpResponse:
    filters = parse_result_filters(request.GET)
    library = selectors.result_library(filters)
    return _render(
        request,
        "result_list.html",
        {
            "library": library,
            "filters": filters,
            "page_obj": library.page,
            "sort_options": RESULT_SORT_LABELS,
            "breadcrumbs": _crumbs((_("Ergebnisse"), "")),
        },
        nav="results",
    )


def result_detail(request: HttpRequest, slug: str, *, preview: bool = False) -> HttpResponse:
    result = selectors.result_detail(slug=slug, preview=preview)
    return _render(
        request,
        "result_detail.html",
        {
            "result": result,
            "citations": selectors.citations_by_field(result),
            "breadcrumbs": _crumbs(
                (_("Ergebnisse"), reverse("catalogue:result_list")), (result.title, "")
            ),
        },
        nav="results",
        preview=preview,
    )


def publication_list(request: HttpRequest) -> HttpResponse:
    filters = parse_publication_filters(request.GET)
    listing = selectors.publication_list(filters)
    return _render(
        request,
        "publication_list.html",
        {
            "listing": listing,
            "filters": filters,
            "page_obj": listing.page,
            "breadcrumbs": _crumbs((_("Publikationen"), "")),
        },
        nav="publications",
    )


def publication_detail(request: HttpRequest, slug: str, *, preview: bool = False) -> HttpResponse:
    publication = selectors.publication_detail(slug=slug, preview=preview)
    return _render(
        request,
        "publication_detail.html",
        {
            "publication": publication,
            "breadcrumbs": _crumbs(
                (_("Publikationen"), reverse("catalogue:publication_list")),
                (publication.title, ""),
            ),
        },
        nav="publications",
        preview=preview,
    )


def news_list(request: HttpRequest) -> HttpResponse:
    page = selectors.news_page(page=parse_page(request.GET))
    return _render(
        request,
        "news_list.html",
        {"page_obj": page, "breadcrumbs": _crumbs((_("Aktuelles"), ""))},
        nav="news",
    )


def news_detail(request: HttpRequest, slug: str, *, preview: bool = False) -> HttpResponse:
    item = selectors.news_detail(slug=slug, preview=preview)
    return _render(
        request,
        "news_detail.html",
        {
            "item": item,
            "breadcrumbs": _crumbs(
                (_("Aktuelles"), reverse("catalogue:news_list")), (item.title, "")
            ),
        },
        nav="news",
        preview=preview,
    )


def missing_information(request: HttpRequest, slug: str) -> HttpResponse:
    """Back office: the facts the projects of a programme lack (its editors and site admins)."""
    from .models import Programme

    programme = get_object_or_404(Programme, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("catalogue.view_missing_information", programme):
        raise PermissionDenied()
    report = selectors.missing_information(programme=programme)
    labels = dict(selectors.PROJECT_FACTS)
    rows = [(row.project, [str(labels[key]) for key in row.missing]) for row in report.rows]
    response = _render(
        request,
        "missing_information.html",
        {
            "report": report,
            "programme": programme,
            "rows": rows,
            "breadcrumbs": _crumbs(
                (_("Programme"), reverse("catalogue:programme_list")),
                (str(programme), programme.get_absolute_url()),
                (_("Fehlende Angaben"), ""),
            ),
        },
        nav="programmes",
    )
    response["Cache-Control"] = "private, no-store"
    return response


#: Preview of drafts: model name → public detail view (rendered with the real public template).
PREVIEW_VIEWS = {
    "project": (Project, project_detail),
    "result": (Result, result_detail),
    "publication": (Publication, publication_detail),
    "newsitem": (NewsItem, news_detail),
}


def content_preview(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    """A draft (or scheduled) item as it will appear, for those who may edit it
    (``catalogue.change_<model>``: its programme's editors and site admins). Everybody else gets
    the same 404 as for an item that does not exist."""
    entry = PREVIEW_VIEWS.get(model)
    obj: Any = entry[0]._default_manager.filter(pk=pk).first() if entry else None
    if entry is None or obj is None or not request.user.has_perm(f"catalogue.change_{model}", obj):
        raise NotFound(_("Diese Vorschau gibt es nicht oder Sie dürfen sie nicht sehen."))
    return entry[1](request, obj.slug, preview=True)
