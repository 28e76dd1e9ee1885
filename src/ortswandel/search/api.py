"""JSON search: ``GET /api/search?q=&kind=&programme=&page=&ags=``."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ortswandel.core.api import enum_schema, error_responses
from ortswandel.core.paging import bounded_integer, page_validator

from . import selectors
from .models import DocumentKind

router = Router(tags=["Suche"])


class SearchResultOut(Schema):
    kind: str
    title: str
    url: str
    snippet: str
    score: float


class SearchOut(Schema):
    query: str
    count: int
    page: int
    num_pages: int
    kind_counts: dict[str, int]
    results: list[SearchResultOut]


class SearchQuery(Schema):
    q: str = Field("", description="Suchbegriffe (höchstens 200 Zeichen)")
    kind: str = Field("", json_schema_extra=enum_schema(["", *DocumentKind.values]))
    programme: str = Field("", description="Programm-Kurzname (slug)")
    page: Annotated[
        int | None,
        page_validator(maximum=selectors.MAX_PAGE),
        bounded_integer(selectors.MAX_PAGE),
    ] = Field(None, description="Seite")
    ags: str = Field("", description="Gemeindeschlüssel (8 Ziffern) für den Kommune-Fit")
    nur_passend: bool = Field(False, description="nur Inhalte, die zur Kommune passen")


@router.get("", response={200: SearchOut, **error_responses(404)}, summary="Volltextsuche")
def search(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, object]:
    """Full-text search over published projects, results, publications and news.

    ``snippet`` is HTML: the text is escaped and matched words are wrapped in ``<mark>``.
    ``kind`` is one of ``project``, ``result``, ``publication``, ``news``; ``programme`` a
    programme slug; ``ags`` boosts content fitting that municipality (same Land or size class).
    Errors: ``{"code", "message", "fields"}`` with status 400 (e.g. ``query_too_long``,
    ``invalid_page``) or 404 (``municipality_not_found``). A page beyond the last hit is an
    empty page (the only list that does not answer 404 there).
    """
    query = selectors.validate_query(params.q)
    kind = selectors.validate_kind(params.kind)
    page_number = selectors.validate_page(params.page)
    programme_obj = selectors.programme_by_slug(params.programme)
    fit = selectors.fit_context(params.ags, only=params.nur_passend)
    result = selectors.search(
        query=query, kind=kind, programme=programme_obj, fit=fit, page=page_number
    )
    return {
        "query": result.query,
        "count": result.count,
        "page": result.page,
        "num_pages": result.num_pages,
        "kind_counts": result.kind_counts,
        "results": [
            {
                "kind": hit.kind,
                "title": hit.title,
                "url": hit.url,
                "snippet": str(hit.snippet_html),
                "score": hit.score,
            }
            for hit in result.hits
        ],
    }
