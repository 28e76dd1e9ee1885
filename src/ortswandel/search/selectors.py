"""Full-text search over the published knowledge portal (one API on SQLite and PostgreSQL).

:func:`search` checks and parses the query (:mod:`ortswandel.search.german`), lets the database
find, rank and count the matching documents (:mod:`ortswandel.search.matching`, with the optional
"Kommune-fit" boost) and returns one page of hits with highlighted, escaped snippets
(:mod:`ortswandel.search.highlight`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ortswandel.catalogue.models import Programme
from ortswandel.core.errors import InvalidInput, NotFound
from ortswandel.core.models import PublicationStatus
from ortswandel.core.paging import parse_page
from ortswandel.municipalities.models import AGS_RE, LAND_NAMES, Municipality, SizeClass

from . import german
from .highlight import Matcher, highlight, snippet
from .matching import (
    FitContext,
    Row,
    base_queryset,
    fit_boost_expression,
    fit_condition,
    postgresql_search,
    ranked_page,
    sqlite_search,
)
from .models import DocumentKind, SearchDocument

PAGE_SIZE = 20
MAX_PAGE = 500
KIND_ORDER = [k.value for k in DocumentKind]


@dataclass
class SearchHit:
    kind: str
    kind_label: str
    title: str
    title_html: SafeString
    url: str
    snippet_html: SafeString
    score: float
    programme_name: str
    date: date | None
    fit_reasons: list[str] = field(default_factory=list)


@dataclass
class SearchPage:
    query: str
    parsed: german.ParsedQuery
    kind: str
    hits: list[SearchHit]
    count: int
    total: int
    kind_counts: dict[str, int]
    page: int
    page_size: int
    fit: FitContext | None = None

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.hits else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.hits) - 1 if self.hits else 0


# --------------------------------------------------------------------------- input checks


def validate_query(query: str | None) -> str:
    query = (query or "").strip()
    if len(query) > german.MAX_QUERY_LENGTH:
        raise InvalidInput(
            _("Der Suchbegriff ist zu lang (höchstens %(max)d Zeichen, eingegeben: %(n)d).")
            % {"max": german.MAX_QUERY_LENGTH, "n": len(query)},
            code="query_too_long",
            fields={"q": _("Bitte kürzen Sie den Suchbegriff auf höchstens 200 Zeichen.")},
        )
    return query


def validate_kind(kind: str | None) -> str:
    kind = (kind or "").strip()
    if kind and kind not in DocumentKind.values:
        raise InvalidInput(
            _("Unbekannte Art „%(kind)s“. Erlaubt: %(allowed)s.")
            % {"kind": kind, "allowed": ", ".join(DocumentKind.values)},
            code="invalid_kind",
            fields={"kind": _("Bitte wählen Sie eine der angebotenen Arten.")},
        )
    return kind


def validate_page(page: str | int | None) -> int:
    """The common page rule (:func:`ortswandel.core.paging.parse_page`), at most page 500.
    Unlike the other lists, a page beyond the last hit shows an empty page with a hint."""
    return parse_page(page, maximum=MAX_PAGE)


def programme_choices() -> list[Programme]:
    """Published programmes for the filter, by name."""
    return list(
        Programme.objects.filter(status=PublicationStatus.PUBLISHED).only(
            "id", "name", "short_name", "slug"
        )
    )


def programme_by_slug(slug: str | None) -> Programme | None:
    slug = (slug or "").strip()
    if not slug:
        return None
    programme = Programme.objects.filter(status=PublicationStatus.PUBLISHED, slug=slug).first()
    if programme is None:
        raise InvalidInput(
            _("Das Programm „%(slug)s“ gibt es nicht.") % {"slug": slug[:60]},
            code="invalid_programme",
            fields={"programme": _("Bitte wählen Sie ein Programm aus der Liste.")},
        )
    return programme


def fit_context(ags: str | None, *, only: bool = False) -> FitContext | None:
    """The municipality for the "Kommune-fit" boost, from its AGS; ``None`` when not given."""
    ags = (ags or "").strip()
    if not ags:
        return None
    if not AGS_RE.match(ags) or ags[:2] not in LAND_NAMES:
        raise InvalidInput(
            _("„%(ags)s“ ist kein gültiger Gemeindeschlüssel (AGS, 8 Ziffern).")
            % {"ags": ags[:20]},
            code="invalid_ags",
            fields={"ags": _("Bitte geben Sie einen 8-stelligen Gemeindeschlüssel an.")},
        )
    municipality = Municipality.objects.filter(ags=ags).first()
    if municipality is None:
        raise NotFound(
            _("Eine Kommune mit dem Gemeindeschlüssel %(ags)s ist nicht bekannt.") % {"ags": ags},
            code="municipality_not_found",
        )
    size_label = (
        str(SizeClass(municipality.size_class).label)
        if municipality.size_class in SizeClass.values
        else ""
    )
    return FitContext(
        ags=municipality.ags,
        name=municipality.name,
        land_code=municipality.land_code,
        land_name=municipality.land_name,
        size_class=municipality.size_class,
        size_label=size_label,
        only=only,
    )


def _fit_reasons(fit: FitContext, land_codes: str, size_classes: str) -> list[str]:
    reasons = []
    if fit.land_code and f"|{fit.land_code}|" in land_codes:
        reasons.append(_("gleiches Land (%(land)s)") % {"land": fit.land_name})
    if fit.size_class and f"|{fit.size_class}|" in size_classes:
        reasons.append(_("gleiche Größenklasse (%(size)s)") % {"size": fit.size_label})
    return reasons


# --------------------------------------------------------------------------- the search


def search(
    *,
    query: str = "",
    kind: str = "",
    programme: Programme | None = None,
    theme_id: int | None = None,
    fit: FitContext | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchPage:
    """Search published content. Raises :class:`InvalidInput` for overlong queries/bad kinds.

    With an empty query and no ``fit`` the page is empty (the view shows hints); with an empty
    query and a ``fit`` municipality it lists all content that fits that municipality.
    """
    query = validate_query(query)
    kind = validate_kind(kind)
    parsed = german.parse_query(query)
    base = base_queryset(
        programme_id=programme.pk if programme is not None else None, theme_id=theme_id, fit=fit
    )
    offset = (page - 1) * page_size
    found: dict[str, int] = {}
    page_rows: list[Row] = []
    if not parsed.is_empty:
        if connection.vendor == "sqlite":
            found, page_rows = sqlite_search(
                parsed,
                programme_id=programme.pk if programme is not None else None,
                theme_id=theme_id,
                kind=kind,
                fit=fit,
                offset=offset,
                limit=page_size,
            )
        elif connection.vendor == "postgresql":
            found, page_rows = postgresql_search(
                parsed, base, kind=kind, fit=fit, offset=offset, limit=page_size
            )
    elif fit is not None:
        # No words, but a municipality: everything that fits it, best fit first.
        found, page_rows = ranked_page(
            base.filter(fit_condition(fit)),
            fit_boost_expression(fit),
            kind=kind,
            offset=offset,
            limit=page_size,
        )
    kind_counts = {k: found.get(k, 0) for k in KIND_ORDER}
    total = sum(kind_counts.values())

    labels = dict(DocumentKind.choices)
    matcher = Matcher(parsed)
    hits = [
        SearchHit(
            kind=row.kind,
            kind_label=str(labels[row.kind]),
            title=row.title,
            title_html=highlight(row.title, parsed, matcher=matcher),
            url=row.url,
            snippet_html=snippet(row.body, parsed, matcher=matcher),
            score=round(row.score, 6),
            programme_name=row.programme_name,
            date=row.date,
            fit_reasons=_fit_reasons(fit, row.land_codes, row.size_classes) if fit else [],
        )
        for row in page_rows
    ]
    return SearchPage(
        query=query,
        parsed=parsed,
        kind=kind,
        hits=hits,
        count=kind_counts[kind] if kind else total,
        total=total,
        kind_counts=kind_counts,
        page=page,
        page_size=page_size,
        fit=fit,
    )


def search_document_count() -> dict[str, int]:
    """Documents in the index per kind (for the management command)."""
    counts = dict.fromkeys(KIND_ORDER, 0)
    for row in SearchDocument.objects.values("kind").annotate(n=Count("id")):
        counts[row["kind"]] = row["n"]
    return counts
