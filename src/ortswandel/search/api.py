"""JSON search: ``GET /api/search?q=&kind=&programme=&page=&ags=``."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from . import selectors

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


@router.get("", response=SearchOut, summary="Volltextsuche")
def search(
    request: HttpRequest,
    *,
    q: str = "",
    kind: str = "",
    programme: str = "",
    page: str = "1",
    ags: str = "",
    nur_passend: bool = False,
) -> dict[str, object]:
    """Full-text search over published projects, results, publications and news.

    ``snippet`` is HTML: the text is escaped and matched words are wrapped in ``<mark>``.
    ``kind`` is one of ``project``, ``result``, ``publication``, ``news``; ``programme`` a
    programme slug; ``ags`` boosts content fitting that municipality (same Land or size class).
    Errors: ``{"code", "message", "fields"}`` with status 400 (e.g. ``query_too_long``).
    """
    query = selectors.validate_query(q)
    kind = selectors.validate_kind(kind)
    page_number = selectors.validate_page(page)
    programme_obj = selectors.programme_by_slug(programme)
    fit = selectors.fit_context(ags, only=nur_passend)
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
