"""Municipality register API (mounted at ``/api/municipalities``).

``GET /api/municipalities?q=&land=&size_class=&page=&page_size=`` lists municipalities (same
search as the ``/kommunen/`` page); ``GET /api/municipalities/{ags}`` gives one with its
published projects and the most similar municipalities (score and reasons). Errors:
``400 invalid_input`` (bad filter), ``400 invalid_page`` (bad ``page``/``page_size``),
``400 invalid_ags`` (malformed key), ``404 not_found`` (unknown AGS), ``404 page_not_found``
(page beyond the last). Official data: © Statistisches Bundesamt
(Destatis), GV100AD, Stand 30.11.2023; Zensus 2022 © Statistische Ämter des Bundes und der
Länder; dl-de/by-2-0.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ortswandel.core.api import PageMeta, enum_schema, error_responses
from ortswandel.core.paging import PageNumber, PageSize, page_meta, paginate

from . import selectors
from .models import LAND_NAMES, Municipality, SizeClass

router = Router(tags=["Kommunen"])

DEFAULT_PAGE_SIZE = 25
ATTRIBUTION = (
    "Datenquelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, "
    "Stand 30.11.2023, dl-de/by-2-0; © Statistische Ämter des Bundes und der Länder, "
    "Zensus 2022, Tabelle 1000A-0000, dl-de/by-2-0; © GeoBasis-DE / BKG 2021 (Daten verändert)"
)


class MunicipalityQuery(Schema):
    """Query parameters; validated by ``selectors.parse_search_params`` (400 with ``fields``)."""

    q: str | None = Field(
        None,
        description="Name (Teil), AGS (8 Ziffern), ARS (12), PLZ oder Kreisschlüssel (5); "
        f"höchstens {selectors.MAX_QUERY_LENGTH} Zeichen",
    )
    land: str | None = Field(
        None,
        description="Länderschlüssel 01–16",
        json_schema_extra=enum_schema(sorted(LAND_NAMES)),
    )
    size_class: str | None = Field(
        None,
        description="Größenklasse",
        json_schema_extra=enum_schema(SizeClass.values),
    )
    page: PageNumber = Field(None, description="Seite, ab 1")
    page_size: PageSize = Field(
        None, description=f"Einträge je Seite (Standard {DEFAULT_PAGE_SIZE})"
    )


class MunicipalityOut(Schema):
    ags: str
    ars: str
    name: str
    municipality_type: str
    land: str
    land_name: str
    kreis: str
    kreis_name: str
    population: int | None
    population_date: dt.date | None
    population_census_2022: int | None
    area_km2: float | None
    density: float | None
    size_class: str
    latitude: float | None
    longitude: float | None
    url: str


class MunicipalityListOut(Schema):
    meta: PageMeta
    results: list[MunicipalityOut]
    attribution: str


class ProjectRefOut(Schema):
    id: int
    slug: str
    acronym: str
    title: str
    url: str
    model_municipality: bool
    partners_here: list[str]


class SimilarOut(Schema):
    ags: str
    name: str
    land_name: str
    population: int | None
    density: float | None
    score: float
    reasons: list[str]


class SimilarProjectOut(Schema):
    id: int
    slug: str
    acronym: str
    url: str
    municipality_ags: str
    score: float
    reasons: list[str]


class MunicipalityDetailOut(MunicipalityOut):
    projects: list[ProjectRefOut]
    similar: list[SimilarOut]
    similar_projects: list[SimilarProjectOut]
    attribution: str


def _municipality(m: Municipality) -> dict[str, Any]:
    return {
        "ags": m.ags,
        "ars": m.ars,
        "name": m.name,
        "municipality_type": m.municipality_type,
        "land": m.land_code,
        "land_name": m.land_name,
        "kreis": m.kreis_code,
        "kreis_name": m.kreis_name,
        "population": m.population,
        "population_date": m.population_date,
        "population_census_2022": m.population_census_2022,
        "area_km2": m.area_km2,
        "density": m.density,
        "size_class": m.size_class,
        "latitude": m.latitude,
        "longitude": m.longitude,
        "url": m.get_absolute_url(),
    }


@router.get(
    "",
    response={200: MunicipalityListOut, **error_responses(404)},
    summary="Kommunen suchen und filtern",
)
def list_municipalities(request: HttpRequest, filters: Query[MunicipalityQuery]) -> Any:
    raw = filters.dict()
    params = selectors.parse_search_params(
        {k: raw[k] for k in ("q", "land", "size_class") if raw[k] is not None}
    )
    page = paginate(
        selectors.municipality_search(params),
        page=raw["page"] or 1,
        per_page=raw["page_size"] or DEFAULT_PAGE_SIZE,
    )
    return {
        "meta": page_meta(page),
        "results": [_municipality(m) for m in page.object_list],
        "attribution": ATTRIBUTION,
    }


@router.get(
    "/{ags}",
    response={200: MunicipalityDetailOut, **error_responses(404)},
    summary="Eine Kommune mit Projekten und ähnlichen Kommunen",
)
def get_municipality(request: HttpRequest, ags: str) -> Any:
    page = selectors.municipality_page(ags=ags)
    return {
        **_municipality(page.municipality),
        "projects": [
            {
                "id": link.project.pk,
                "slug": link.project.slug,
                "acronym": link.project.acronym,
                "title": link.project.title,
                "url": link.project.get_absolute_url(),
                "model_municipality": link.is_model_municipality,
                "partners_here": [p.organisation.name for p in link.partners],
            }
            for link in page.projects
        ],
        "similar": [
            {
                "ags": item.municipality.ags,
                "name": item.municipality.name,
                "land_name": item.municipality.land_name,
                "population": item.municipality.population,
                "density": item.municipality.density,
                "score": round(item.score, 4),
                "reasons": item.reasons,
            }
            for item in page.similar
        ],
        "similar_projects": [
            {
                "id": item.project.pk,
                "slug": item.project.slug,
                "acronym": item.project.acronym,
                "url": item.project.get_absolute_url(),
                "municipality_ags": item.municipality.ags,
                "score": round(item.score, 4),
                "reasons": item.reasons,
            }
            for item in page.similar_projects
        ],
        "attribution": ATTRIBUTION,
    }
