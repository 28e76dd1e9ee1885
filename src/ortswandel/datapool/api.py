"""Data pool API (mounted at ``/api/datapool``).

``GET /indicators`` and ``/indicators/{code}``: indicators with source, licence and attribution;
``GET /units``: spatial units with territorial status; ``GET /values``: values filtered by
indicator, level, key (``ags``: AGS, Kreis, Land, Gemeindeverband or ``DG``), date or date range
and breakdown, paginated; ``GET /municipalities/{ags}/key-figures`` and
``/municipalities/{ags}/series/{indicator}``: what the municipality page shows.

A municipality's register data is private until the municipality publishes it: it is only
returned to its own staff (signed in) and site admins. Values are as published, on the
territory of their ``territorial_status``; computed values say so in ``origin`` and ``note``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import create_model

from ortswandel.core.api import error_responses
from ortswandel.core.errors import InvalidInput
from ortswandel.core.paging import page_meta, paginate, parse_page, parse_page_size

from . import selectors
from .models import Indicator, Level, SpatialUnit, Value

router = Router(tags=["Datenpool"])

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
TOTAL_WORDS = ("", "insgesamt", "total")


class PageMeta(Schema):
    total: int
    page: int
    page_size: int
    pages: int


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    definition: str
    source_table: str
    source: str
    reference_date: dt.date | None
    licence: str
    licence_url: str
    attribution: str
    period: str
    aggregation: str
    weight_indicator: str | None
    weight_breakdown: str
    dimensions: dict[str, Any]
    is_register: bool


class IndicatorListOut(Schema):
    meta: PageMeta
    results: list[IndicatorOut]


class UnitOut(Schema):
    level: str
    code: str
    name: str
    ars: str
    parent: str | None
    territorial_status: dt.date | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    in_register: bool
    note: str


class UnitListOut(Schema):
    meta: PageMeta
    results: list[UnitOut]


class ValueOut(Schema):
    indicator: str
    level: str
    ags: str
    name: str
    date: dt.date
    period_label: str
    breakdown: str
    value: float | None
    sign: str
    origin: str
    territorial_status: dt.date | None
    note: str
    is_private: bool


class ValueListOut(Schema):
    meta: PageMeta
    results: list[ValueOut]
    attributions: dict[str, str]


def _schema_of(cls: type, name: str) -> type[Schema]:
    """A response schema with the fields (names and types) of the dataclass ``cls``: one
    definition of the shape, the OpenAPI document keeps its own name for it."""
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {f.name: (hints[f.name], ...) for f in dataclasses.fields(cls)}
    return create_model(name, __base__=Schema, __doc__=cls.__doc__, **fields)


#: :class:`selectors.KeyFigure` as it goes over the wire.
KeyFigureOut = _schema_of(selectors.KeyFigure, "KeyFigureOut")


class KeyFiguresOut(Schema):
    ags: str
    name: str
    figures: list[KeyFigureOut]  # type: ignore[valid-type]  # built from the dataclass


class PointOut(Schema):
    date: dt.date
    period_label: str
    value: float | None
    sign: str
    origin: str
    note: str
    territorial_status: dt.date | None


class SeriesOut(Schema):
    level: str
    code: str
    name: str
    points: list[PointOut]
    notes: list[str]


class SeriesBundleOut(Schema):
    indicator: IndicatorOut
    breakdown: str
    series: list[SeriesOut]
    attribution: str


class PageQuery(Schema):
    page: str | None = Field(None, description="Seite, ab 1")
    page_size: str | None = Field(None, description="Einträge je Seite, 1–1000 (Standard 100)")


class IndicatorQuery(PageQuery):
    q: str | None = Field(None, description="Suche in Kennung, Name und Quelltabelle")


class UnitQuery(PageQuery):
    level: str | None = Field(None, description="gemeinde, gemeindeverband, kreis, land, bund")
    code: str | None = Field(None, description="Schlüssel oder Anfang eines Schlüssels")


class ValueQuery(PageQuery):
    indicator: str | None = Field(None, description="Kennung des Indikators")
    level: str | None = Field(None, description="gemeinde, gemeindeverband, kreis, land, bund")
    ags: str | None = Field(None, description="Gebietsschlüssel: AGS (8), Kreis (5), Land (2), DG")
    date: str | None = Field(None, description="Stichtag JJJJ-MM-TT (Jahre: 31.12.)")
    date_from: str | None = Field(None, description="ab Stichtag JJJJ-MM-TT")
    date_to: str | None = Field(None, description="bis Stichtag JJJJ-MM-TT")
    breakdown: str | None = Field(
        None, description="Gliederung, z. B. age=27;sex=w; leer oder 'insgesamt' = Summen"
    )
    origin: str | None = Field(None, description="published, aggregated, register")


def _date(value: str | None, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(
            _("„%(value)s“ ist kein Datum.") % {"value": str(value)[:20]},
            fields={name: _("Bitte ein Datum im Format JJJJ-MM-TT angeben.")},
        ) from None


def _page(queryset: Any, query: PageQuery) -> tuple[Any, dict[str, int]]:
    """One page (German 400 for a bad page or size, 404 past the end; see core.paging)."""
    size = parse_page_size(query.page_size, default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    page = paginate(queryset, page=parse_page(query.page), per_page=size)
    return page, page_meta(page)


def _indicator(indicator: Indicator) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "definition": indicator.definition,
        "source_table": indicator.source_table,
        "source": indicator.source,
        "reference_date": indicator.reference_date,
        "licence": indicator.licence,
        "licence_url": indicator.licence_url,
        "attribution": indicator.attribution,
        "period": indicator.period,
        "aggregation": indicator.aggregation,
        "weight_indicator": indicator.weight_indicator.code if indicator.weight_indicator else None,
        "weight_breakdown": indicator.weight_breakdown,
        "dimensions": indicator.dimensions,
        "is_register": indicator.is_register,
    }


def _unit(unit: SpatialUnit) -> dict[str, Any]:
    return {
        "level": unit.level,
        "code": unit.code,
        "name": unit.name,
        "ars": unit.ars,
        "parent": unit.parent.code if unit.parent else None,
        "territorial_status": unit.territorial_status,
        "valid_from": unit.valid_from,
        "valid_until": unit.valid_until,
        "in_register": unit.in_register,
        "note": unit.note,
    }


def _value(value: Value) -> dict[str, Any]:
    return {
        "indicator": value.indicator.code,
        "level": value.unit.level,
        "ags": value.unit.code,
        "name": value.unit.name,
        "date": value.date,
        "period_label": value.period_label,
        "breakdown": value.breakdown,
        "value": value.value,
        "sign": value.sign,
        "origin": value.origin,
        "territorial_status": value.territorial_status,
        "note": value.note,
        "is_private": value.is_private,
    }


@router.get(
    "/indicators",
    response={200: IndicatorListOut, **error_responses(404)},
    summary="Indikatoren mit Quelle, Lizenz und Quellenvermerk",
)
def list_indicators(request: HttpRequest, query: Query[IndicatorQuery]) -> Any:
    page, meta = _page(selectors.indicator_list(search=(query.q or "")[:100]), query)
    return {"meta": meta, "results": [_indicator(i) for i in page.object_list]}


@router.get(
    "/indicators/{code}",
    response={200: IndicatorOut, **error_responses(404)},
    summary="Ein Indikator",
)
def get_indicator(request: HttpRequest, code: str) -> Any:
    return _indicator(selectors.indicator_get(code))


@router.get(
    "/units",
    response={200: UnitListOut, **error_responses(404)},
    summary="Gebietseinheiten mit Gebietsstand",
)
def list_units(request: HttpRequest, query: Query[UnitQuery]) -> Any:
    level = query.level or ""
    if level and level not in Level.values:
        raise InvalidInput(
            _("Unbekannte Ebene „%(level)s“.") % {"level": level[:20]},
            fields={"level": ", ".join(Level.values)},
        )
    units = selectors.unit_list(level=level, code_prefix=(query.code or "")[:12])
    page, meta = _page(units, query)
    return {"meta": meta, "results": [_unit(u) for u in page.object_list]}


@router.get(
    "/values",
    response={200: ValueListOut, **error_responses(404)},
    summary="Werte nach Indikator, Ebene, Gebiet und Stichtag",
)
def list_values(request: HttpRequest, query: Query[ValueQuery]) -> Any:
    breakdown = query.breakdown
    if breakdown is not None and breakdown.strip().lower() in TOTAL_WORDS:
        breakdown = ""
    flt = selectors.ValueFilter(
        indicator=(query.indicator or "")[:80],
        level=query.level or "",
        code=(query.ags or "").strip()[:12],
        date=_date(query.date, "date"),
        date_from=_date(query.date_from, "date_from"),
        date_to=_date(query.date_to, "date_to"),
        breakdown=breakdown[:200] if breakdown is not None else None,
        origin=(query.origin or "")[:20],
    )
    page, meta = _page(selectors.value_search(flt, user=request.user), query)
    values = list(page.object_list)
    attributions = {v.indicator.code: v.indicator.attribution for v in values}
    return {"meta": meta, "results": [_value(v) for v in values], "attributions": attributions}


@router.get(
    "/municipalities/{ags}/key-figures",
    response={200: KeyFiguresOut, **error_responses(404)},
    summary="Kennzahlen einer Gemeinde mit Stichtag und Quelle",
)
def key_figures(request: HttpRequest, ags: str) -> Any:
    unit = selectors.municipality(ags)
    figures = selectors.key_figures(ags, user=request.user)
    return {"ags": unit.code, "name": unit.name, "figures": [f.__dict__ for f in figures]}


@router.get(
    "/municipalities/{ags}/series/{indicator}",
    response={200: SeriesBundleOut, **error_responses(404)},
    summary="Zeitreihe für Gemeinde, Kreis, Land und Deutschland",
)
def series(
    request: HttpRequest, ags: str, indicator: str, breakdown: str = "", harmonise: bool = True
) -> Any:
    if breakdown.strip().lower() in TOTAL_WORDS:
        breakdown = ""
    bundle = selectors.indicator_series(
        indicator, ags, user=request.user, breakdown=breakdown[:200], harmonise=harmonise
    )
    return {
        "indicator": _indicator(bundle.indicator),
        "breakdown": bundle.breakdown,
        "series": [
            {
                "level": s.level,
                "code": s.code,
                "name": s.name,
                "points": [p.__dict__ for p in s.points],
                "notes": s.notes,
            }
            for s in bundle.series
        ],
        "attribution": bundle.attribution,
    }
