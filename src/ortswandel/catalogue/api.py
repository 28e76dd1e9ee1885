"""Catalogue JSON API (mounted at ``/api/``): programmes, themes, projects, results.

Published content only; no personal data (editors, users) is ever serialised. Filters are the
same as on the public pages and parsed by the same code (:mod:`ortswandel.catalogue.filters`);
bad values give ``400 {"code": "invalid_input", "message": …, "fields": {…}}``, a bad ``page``
or ``page_size`` ``400 invalid_page``, a page beyond the last ``404 page_not_found``
(:mod:`ortswandel.core.paging`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from ortswandel.core.api import PageMeta, error_responses
from ortswandel.core.errors import InvalidInput
from ortswandel.core.paging import PageNumber, PageSize, page_meta

from . import selectors
from .filters import MAX_Q_LENGTH, parse_project_filters, parse_result_filters
from .models import Programme, Project, Result, Theme

router = Router(tags=["Wissensportal"])

DEFAULT_PAGE_SIZE = 20


# ---------------------------------------------------------------------------- schemas


class ProjectQuery(Schema):
    """Query parameters (documentation); validated by ``parse_project_filters``."""

    programme: list[str] = Field([], description="Programm-Kurzname (slug), wiederholbar")
    theme: list[str] = Field([], description="Themen-ID oder Themen-Kurzname (slug), wiederholbar")
    land: list[str] = Field([], description="Länderschlüssel 01–16, wiederholbar")
    size: list[str] = Field(
        [],
        description="Größenklasse einer Modellkommune: landgemeinde, kleinstadt, "
        "mittelstadt, grossstadt; wiederholbar",
    )
    status: list[str] = Field([], description="planned, running, completed; wiederholbar")
    year: str | None = Field(None, description="laufend im Jahr (z. B. 2020)")
    from_: str | None = Field(None, alias="from", description="Beginn im oder nach dem Jahr")
    to: str | None = Field(None, description="Ende im oder vor dem Jahr")
    q: str | None = Field(
        None,
        description=f"Text in Akronym oder Titel (höchstens {MAX_Q_LENGTH} Zeichen; "
        "Groß-/Kleinschreibung und Akzente egal: „über“ findet „Über“, „strasse“ „Straße“)",
    )
    sort: str | None = Field(
        None, description="acronym, title, start, end; mit '-' absteigend (z. B. -start)"
    )
    page: PageNumber = Field(None, description="Seite, ab 1")
    page_size: PageSize = Field(
        None, description=f"Einträge je Seite (Standard {DEFAULT_PAGE_SIZE})"
    )


class ResultQuery(Schema):
    """Query parameters (documentation); validated by ``parse_result_filters``."""

    kind: list[str] = Field(
        [], description="instrument, guideline, tool, method, study; wiederholbar"
    )
    theme: list[str] = Field([], description="Themen-ID oder Themen-Kurzname (slug), wiederholbar")
    programme: list[str] = Field([], description="Programm-Kurzname (slug), wiederholbar")
    target_group: list[str] = Field([], description="Zielgruppe (exakter Wert), wiederholbar")
    sort: str | None = Field(None, description="title, year, -year")
    page: PageNumber = Field(None, description="Seite, ab 1")
    page_size: PageSize = Field(
        None, description=f"Einträge je Seite (Standard {DEFAULT_PAGE_SIZE})"
    )


class ThemeQuery(Schema):
    programme: str | None = Field(None, description="Programm-Kurzname (slug)")


class ThemeOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    kind_label: str
    programme: str
    url: str


class ProgrammeOut(Schema):
    slug: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    funder: str
    start_year: int | None
    end_year: int | None
    summary: str
    website: str
    url: str


class ProgrammeDetailOut(ProgrammeOut):
    description_html: str
    themes: list[ThemeOut]
    project_count: int


class ProjectOut(Schema):
    slug: str
    acronym: str
    title: str
    programme: str
    start_date: dt.date | None
    end_date: dt.date | None
    project_status: str
    themes: list[int]
    url: str


class PartnerOut(Schema):
    organisation: str
    organisation_slug: str
    kind: str
    role: str
    role_label: str


class MunicipalityRef(Schema):
    ags: str
    name: str
    land_code: str
    size_class: str


class ProjectDetailOut(ProjectOut):
    summary_html: str
    funding_amount: float | None
    funding_reference: str
    website: str
    partners: list[PartnerOut]
    municipalities: list[MunicipalityRef]
    results: list[str]
    publications: list[str]


class ProjectPage(Schema):
    meta: PageMeta
    items: list[ProjectOut]


class ResultOut(Schema):
    slug: str
    title: str
    kind: str
    kind_label: str
    programme: str
    year: int | None
    target_group: str
    themes: list[int]
    link: str
    file: str
    url: str


class ResultDetailOut(ResultOut):
    summary_html: str
    projects: list[str]


class ResultPage(Schema):
    meta: PageMeta
    items: list[ResultOut]


# ---------------------------------------------------------------------------- serialisers


def _theme(theme: Theme) -> dict[str, Any]:
    return {
        "id": theme.pk,
        "slug": theme.slug,
        "name": theme.name,
        "kind": theme.kind,
        "kind_label": str(theme.get_kind_display()),
        "programme": theme.programme.slug,
        "url": theme.get_absolute_url(),
    }


def _programme(programme: Programme) -> dict[str, Any]:
    return {
        "slug": programme.slug,
        "name": programme.name,
        "short_name": programme.short_name,
        "kind": programme.kind,
        "kind_label": str(programme.get_kind_display()),
        "funder": programme.funder,
        "start_year": programme.start_year,
        "end_year": programme.end_year,
        "summary": programme.summary,
        "website": programme.website,
        "url": programme.get_absolute_url(),
    }


def _project(project: Project) -> dict[str, Any]:
    return {
        "slug": project.slug,
        "acronym": project.acronym,
        "title": project.title,
        "programme": project.programme.slug,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "project_status": project.project_status,
        "themes": [theme.pk for theme in project.themes.all()],
        "url": project.get_absolute_url(),
    }


def _result(result: Result) -> dict[str, Any]:
    return {
        "slug": result.slug,
        "title": result.title,
        "kind": result.kind,
        "kind_label": str(result.get_kind_display()),
        "programme": result.programme.slug,
        "year": result.year,
        "target_group": result.target_group,
        "themes": [theme.pk for theme in result.themes.all()],
        "link": result.url,
        "file": result.file.url if result.file else "",
        "url": result.get_absolute_url(),
    }


ERRORS = error_responses(404)


# ---------------------------------------------------------------------------- endpoints


@router.get(
    "/programmes", response={200: list[ProgrammeOut], **error_responses()}, summary="Programme"
)
def list_programmes(request: HttpRequest) -> list[dict[str, Any]]:
    """Alle veröffentlichten Programme."""
    return [_programme(card.programme) for card in selectors.programme_cards()]


@router.get(
    "/programmes/{slug}",
    response={200: ProgrammeDetailOut, **ERRORS},
    summary="Programm mit Themen",
)
def get_programme(request: HttpRequest, slug: str) -> dict[str, Any]:
    detail = selectors.programme_detail(slug=slug)
    themes = [theme for group in detail.theme_groups for theme in group.themes]
    for theme in themes:
        theme.programme = detail.programme
    return {
        **_programme(detail.programme),
        "description_html": detail.programme.description,
        "themes": [_theme(theme) for theme in themes],
        "project_count": detail.project_count,
    }


@router.get("/themes", response={200: list[ThemeOut], **error_responses()}, summary="Themen")
def list_themes(request: HttpRequest, params: Query[ThemeQuery]) -> list[dict[str, Any]]:
    """Veröffentlichte Themen, optional eines Programms."""
    programme = params.programme
    qs = selectors.published_themes().select_related("programme")
    if programme:
        if not selectors.published_programmes().filter(slug=programme).exists():
            raise InvalidInput(
                _("Das Programm „%(slug)s“ gibt es nicht.") % {"slug": programme[:50]},
                fields={"programme": _("Unbekanntes Programm.")},
            )
        qs = qs.filter(programme__slug=programme)
    return [_theme(t) for t in qs.order_by("programme__name", "kind", "position", "name")]


@router.get("/projects", response={200: ProjectPage, **ERRORS}, summary="Projekte (gefiltert)")
def list_projects(request: HttpRequest, params: Query[ProjectQuery]) -> dict[str, Any]:
    """Dieselben Filter wie das Projektverzeichnis; ODER innerhalb eines Filters, UND zwischen
    Filtern. Ungültige Werte ergeben 400 mit ``fields``."""
    directory = selectors.project_directory(
        parse_project_filters(request.GET), per_page=params.page_size or DEFAULT_PAGE_SIZE
    )
    return {
        "meta": page_meta(directory.page),
        "items": [_project(p) for p in directory.page.object_list],
    }


@router.get("/projects/{slug}", response={200: ProjectDetailOut, **ERRORS}, summary="Projekt")
def get_project(request: HttpRequest, slug: str) -> dict[str, Any]:
    project = selectors.project_detail(slug=slug)
    return {
        **_project(project),
        "summary_html": project.summary,
        "funding_amount": (
            float(project.funding_amount) if project.funding_amount is not None else None
        ),
        "funding_reference": project.funding_reference,
        "website": project.website,
        "partners": [
            {
                "organisation": p.organisation.name,
                "organisation_slug": p.organisation.slug,
                "kind": p.organisation.kind,
                "role": p.role,
                "role_label": str(p.get_role_display()),
            }
            for p in selectors.sorted_partnerships(project)
        ],
        "municipalities": [
            {"ags": m.ags, "name": m.name, "land_code": m.land_code, "size_class": m.size_class}
            for m in project.municipalities.all()
        ],
        "results": [r.slug for r in project.results.all()],
        "publications": [p.slug for p in project.publications.all()],
    }


@router.get("/results", response={200: ResultPage, **ERRORS}, summary="Ergebnisse (gefiltert)")
def list_results(request: HttpRequest, params: Query[ResultQuery]) -> dict[str, Any]:
    """Filter wie die Ergebnisbibliothek: Art, Thema, Programm, Zielgruppe."""
    library = selectors.result_library(
        parse_result_filters(request.GET), per_page=params.page_size or DEFAULT_PAGE_SIZE
    )
    return {
        "meta": page_meta(library.page),
        "items": [_result(r) for r in library.page.object_list],
    }


@router.get("/results/{slug}", response={200: ResultDetailOut, **ERRORS}, summary="Ergebnis")
def get_result(request: HttpRequest, slug: str) -> dict[str, Any]:
    result = selectors.result_detail(slug=slug)
    return {
        **_result(result),
        "summary_html": result.summary,
        "projects": [p.slug for p in result.projects.all()],
    }
