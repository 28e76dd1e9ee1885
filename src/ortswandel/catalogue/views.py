"""Public pages of the knowledge portal: parse input, call a selector, render."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .contributions import project_sections
from .filters import (
    parse_page,
    parse_project_filters,
    parse_publication_filters,
    parse_result_filters,
)
from .jsonld import organisation_jsonld, project_jsonld

Crumbs = list[tuple[str, str]]


def _crumbs(*items: tuple[str, str]) -> Crumbs:
    return [(_("Startseite"), reverse("catalogue:home")), *items]


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, nav: str = ""
) -> HttpResponse:
    return render(request, f"catalogue/{template}", {"nav": nav, **context})


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


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = selectors.project_detail(slug=slug)
    partnerships = selectors.sorted_partnerships(project)
    return _render(
        request,
        "project_detail.html",
        {
            "project": project,
            "partnerships": partnerships,
            "sections": project_sections(project),
            "jsonld": project_jsonld(project, partnerships, request),
            "breadcrumbs": _crumbs(
                (_("Projekte"), reverse("catalogue:project_list")), (project.acronym, "")
            ),
        },
        nav="projects",
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


def result_detail(request: HttpRequest, slug: str) -> HttpResponse:
    result = selectors.result_detail(slug=slug)
    return _render(
        request,
        "result_detail.html",
        {
            "result": result,
            "breadcrumbs": _crumbs(
                (_("Ergebnisse"), reverse("catalogue:result_list")), (result.title, "")
            ),
        },
        nav="results",
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


def publication_detail(request: HttpRequest, slug: str) -> HttpResponse:
    publication = selectors.publication_detail(slug=slug)
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
    )


def news_list(request: HttpRequest) -> HttpResponse:
    page = selectors.news_page(page=parse_page(request.GET))
    return _render(
        request,
        "news_list.html",
        {"page_obj": page, "breadcrumbs": _crumbs((_("Aktuelles"), ""))},
        nav="news",
    )


def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.news_detail(slug=slug)
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
    )
