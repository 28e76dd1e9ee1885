"""Full-text search over the published knowledge portal (one API on SQLite and PostgreSQL).

:func:`search` parses the query (:mod:`ortswandel.search.german`), finds every matching document
with its relevance score in one database query, applies the optional "Kommune-fit" boost in
Python, counts hits per kind, and returns one page of hits with highlighted, escaped snippets.

Ranking: SQLite FTS5 ``bm25`` (title weight 10, body 1, folded words 0.5 for prefixes);
PostgreSQL ``ts_rank`` over the ``german`` tsvector (title A, body B, prefix words D).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ortswandel.catalogue.models import Programme
from ortswandel.core.errors import InvalidInput, NotFound
from ortswandel.municipalities.models import AGS_RE, LAND_NAMES, Municipality, SizeClass

from . import german
from .models import DocumentKind, SearchDocument

PAGE_SIZE = 20
MAX_PAGE = 500
SNIPPET_WORDS = 30
BM25_WEIGHTS = (10.0, 1.0, 0.5)  # title, body, raw (folded words for prefix matching)
PG_WEIGHTS = [0.05, 0.2, 0.4, 1.0]  # D (prefix words), C, B (body), A (title)
FIT_BOOST_LAND = 0.5
FIT_BOOST_SIZE = 0.5
KIND_ORDER = [k.value for k in DocumentKind]

# The columns of one hit, fetched with the page query (no second look-up).
ROW_FIELDS = (
    "id",
    "kind",
    "score",
    "land_codes",
    "size_classes",
    "title",
    "body",
    "url",
    "programme_name",
    "date",
)


class Row(NamedTuple):
    id: int
    kind: str
    score: float
    land_codes: str
    size_classes: str
    title: str
    body: str
    url: str
    programme_name: str
    date: date | None

    @classmethod
    def from_db(cls, values: Sequence[Any]) -> Row:
        row = cls(*values)
        day = row.date
        if isinstance(day, str):  # SQLite raw queries return ISO strings
            day = date.fromisoformat(day)
        return row._replace(score=float(row.score or 0.0), date=day)


@dataclass(frozen=True)
class FitContext:
    """The municipality that results should "fit" (same Land or same size class)."""

    ags: str
    name: str
    land_code: str
    land_name: str
    size_class: str
    size_label: str
    only: bool = False


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
    if page in (None, ""):
        return 1
    try:
        number = int(page)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_PAGE:
        raise InvalidInput(
            _("Die Seitenzahl muss eine ganze Zahl zwischen 1 und %(max)d sein.")
            % {"max": MAX_PAGE},
            code="invalid_page",
            fields={"page": _("ungültige Seitenzahl")},
        )
    return number


def programme_choices() -> list[Programme]:
    """Published programmes for the filter, by name."""
    return list(Programme.objects.public().only("id", "name", "short_name", "slug"))


def programme_by_slug(slug: str | None) -> Programme | None:
    slug = (slug or "").strip()
    if not slug:
        return None
    programme = Programme.objects.public().filter(slug=slug).first()
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


# --------------------------------------------------------------------------- matching
#
# Two queries per search, both in the database: hits per kind (no ranking needed) and one page of
# hits ordered by relevance × Kommune-fit boost. Only ``page_size`` rows ever reach Python, so
# the cost does not grow with the number of matches beyond the database's own ranking work.


def _base_queryset(
    *, programme_id: int | None, theme_id: int | None, fit: FitContext | None
) -> QuerySet[SearchDocument]:
    qs = SearchDocument.objects.filter(published=True)
    if programme_id is not None:
        qs = qs.filter(programme_id=programme_id)
    if theme_id is not None:
        qs = qs.filter(theme_ids__contains=f"|{theme_id}|")
    if fit is not None and fit.only:
        qs = qs.filter(_fit_condition(fit))
    return qs


def _fit_condition(fit: FitContext) -> Q:
    condition = Q(pk__in=[])
    if fit.land_code:
        condition |= Q(land_codes__contains=f"|{fit.land_code}|")
    if fit.size_class:
        condition |= Q(size_classes__contains=f"|{fit.size_class}|")
    return condition


def _fit_boost_expression(fit: FitContext | None) -> Any:
    """1 + 0.5 (same Land) + 0.5 (same size class), as an ORM expression."""
    boost: Any = Value(1.0, output_field=FloatField())
    if fit is None:
        return boost
    for lookup, value, weight in (
        ("land_codes__contains", fit.land_code, FIT_BOOST_LAND),
        ("size_classes__contains", fit.size_class, FIT_BOOST_SIZE),
    ):
        if value:
            boost += Case(
                When(Q(**{lookup: f"|{value}|"}), then=Value(weight)),
                default=Value(0.0),
                output_field=FloatField(),
            )
    return boost


def _fit_boost_sql(fit: FitContext | None) -> tuple[str, list[str]]:
    """The same boost as SQL for the SQLite statement (LIKE yields 0/1 there)."""
    sql, params = "1.0", []
    if fit is not None:
        if fit.land_code:
            sql += f" + {FIT_BOOST_LAND} * (d.land_codes LIKE %s)"
            params.append(f"%|{fit.land_code}|%")
        if fit.size_class:
            sql += f" + {FIT_BOOST_SIZE} * (d.size_classes LIKE %s)"
            params.append(f"%|{fit.size_class}|%")
    return sql, params


def _sqlite_conditions(
    *, programme_id: int | None, theme_id: int | None, fit: FitContext | None
) -> tuple[str, list[Any]]:
    """The filters of :func:`_base_queryset` as SQL on ``d`` (a join is cheaper than IN)."""
    sql: list[str] = ["d.published"]
    params: list[Any] = []
    if programme_id is not None:
        sql.append("d.programme_id = %s")
        params.append(programme_id)
    if theme_id is not None:
        sql.append("d.theme_ids LIKE %s")
        params.append(f"%|{int(theme_id)}|%")
    if fit is not None and fit.only:
        either = ["0"]
        if fit.land_code:
            either.append("d.land_codes LIKE %s")
            params.append(f"%|{fit.land_code}|%")
        if fit.size_class:
            either.append("d.size_classes LIKE %s")
            params.append(f"%|{fit.size_class}|%")
        sql.append(f"({' OR '.join(either)})")
    return " AND ".join(sql), params


def _sqlite_search(
    parsed: german.ParsedQuery,
    *,
    programme_id: int | None,
    theme_id: int | None,
    kind: str,
    fit: FitContext | None,
    offset: int,
    limit: int,
) -> tuple[dict[str, int], list[Row]]:
    match = german.fts5_query(parsed)
    sub_sql, sub_params = _sqlite_conditions(programme_id=programme_id, theme_id=theme_id, fit=fit)
    boost_sql, boost_params = _fit_boost_sql(fit)
    w_title, w_body, w_raw = BM25_WEIGHTS
    # Only our own SQL is formatted in: fixed conditions, constant weights and the boost terms;
    # every value (the user's words in the MATCH expression, filter values) is a parameter.
    source = (
        "FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
        f"WHERE search_fts MATCH %s AND {sub_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.kind, COUNT(*) {source} GROUP BY d.kind", [match, *sub_params])
        counts = dict(cursor.fetchall())
        kind_sql, kind_params = (" AND d.kind = %s", [kind]) if kind else ("", [])
        # Rank and sort narrow rows (id, score) first; read the wide columns for one page only.
        ranked = (
            f"SELECT d.id AS id, -bm25(search_fts, {w_title}, {w_body}, {w_raw}) "
            f"* ({boost_sql}) AS score {source}{kind_sql} "
            "ORDER BY score DESC, d.id LIMIT %s OFFSET %s"
        )
        columns = ", ".join("m.score" if name == "score" else f"d.{name}" for name in ROW_FIELDS)
        cursor.execute(
            f"SELECT {columns} FROM ({ranked}) m "  # noqa: S608 - constant column names
            "JOIN search_searchdocument d ON d.id = m.id ORDER BY m.score DESC, m.id",
            [*boost_params, match, *sub_params, *kind_params, limit, offset],
        )
        rows = [Row.from_db(r) for r in cursor.fetchall()]
    return counts, rows


def _pg_query(parsed: german.ParsedQuery) -> SearchQuery:
    parts: list[SearchQuery] = [
        SearchQuery(w, search_type="plain", config="german") for w in parsed.terms
    ]
    parts += [
        SearchQuery(" ".join(p), search_type="phrase", config="german") for p in parsed.phrases
    ]
    if parsed.prefix:
        # The prefix is letters/digits only (german.WORD_RE), so the raw tsquery is safe.
        prefix = SearchQuery(f"{parsed.prefix.casefold()}:*", search_type="raw", config="simple")
        parts.append(SearchQuery(parsed.prefix, search_type="plain", config="german") | prefix)
    query = parts[0]
    for part in parts[1:]:
        query &= part
    return query


def _ranked_page(
    qs: QuerySet[SearchDocument], score: Any, *, kind: str, offset: int, limit: int
) -> tuple[dict[str, int], list[Row]]:
    counts = dict(qs.order_by().values_list("kind").annotate(n=Count("id")))
    if kind:
        qs = qs.filter(kind=kind)
    ranked = list(
        qs.annotate(score=score)
        .order_by("-score", "-date", "id")
        .values_list("id", "score")[offset : offset + limit]
    )
    # Sorting carries narrow rows only; the wide columns are read for one page.
    wide = {
        r[0]: r
        for r in SearchDocument.objects.filter(pk__in=[pk for pk, _ in ranked]).values_list(
            *(name for name in ROW_FIELDS if name != "score")
        )
    }
    rows = []
    for pk, value in ranked:
        values = wide[pk]
        rows.append(Row.from_db((*values[:2], value, *values[2:])))
    return counts, rows


def _postgresql_search(
    parsed: german.ParsedQuery,
    base: QuerySet[SearchDocument],
    *,
    kind: str,
    fit: FitContext | None,
    offset: int,
    limit: int,
) -> tuple[dict[str, int], list[Row]]:
    query = _pg_query(parsed)
    rank = SearchRank(F("search_vector"), query, weights=PG_WEIGHTS)
    score = ExpressionWrapper(rank * _fit_boost_expression(fit), output_field=FloatField())
    return _ranked_page(
        base.filter(search_vector=query), score, kind=kind, offset=offset, limit=limit
    )


def _fit_reasons(fit: FitContext, land_codes: str, size_classes: str) -> list[str]:
    reasons = []
    if fit.land_code and f"|{fit.land_code}|" in land_codes:
        reasons.append(_("gleiches Land (%(land)s)") % {"land": fit.land_name})
    if fit.size_class and f"|{fit.size_class}|" in size_classes:
        reasons.append(_("gleiche Größenklasse (%(size)s)") % {"size": fit.size_label})
    return reasons


# --------------------------------------------------------------------------- highlighting


class _Matcher:
    """Does a word match the query (same stem, or starts with the prefix)? Memoised per word,
    because the same words recur across the snippets of one page."""

    def __init__(self, parsed: german.ParsedQuery) -> None:
        self.stems = parsed.highlight_stems
        self.prefix = parsed.highlight_prefix
        self.memo: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        hit = self.memo.get(word)
        if hit is None:
            hit = not german.is_stop_word(word) and (
                german.stem(word) in self.stems
                or (bool(self.prefix) and german.fold(word).startswith(self.prefix))
            )
            self.memo[word] = hit
        return hit


def highlight(
    text: str, parsed: german.ParsedQuery, *, matcher: _Matcher | None = None
) -> SafeString:
    """``text`` escaped, with ``<mark>`` around every word matching the query by stem/prefix."""
    is_match = matcher or _Matcher(parsed)
    out: list[str] = []
    last = 0
    for m in german.WORD_RE.finditer(text):
        if is_match(m.group(0)):
            out.append(escape(text[last : m.start()]))
            out.append(f"<mark>{escape(m.group(0))}</mark>")
            last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of input text is escaped above


def snippet(
    text: str,
    parsed: german.ParsedQuery,
    *,
    size: int = SNIPPET_WORDS,
    matcher: _Matcher | None = None,
) -> SafeString:
    """About ``size`` words of ``text`` around the densest cluster of matches, highlighted."""
    tokens = list(german.WORD_RE.finditer(text))
    if not tokens:
        return mark_safe("")
    is_match = matcher or _Matcher(parsed)
    flags = [is_match(t.group(0)) for t in tokens] if not parsed.is_empty else []
    start = 0
    if flags and any(flags):
        window = sum(flags[:size])
        best, best_start = window, 0
        for i in range(1, max(1, len(tokens) - size + 1)):
            window += flags[i + size - 1] - flags[i - 1]
            if window > best:
                best, best_start = window, i
        first = next(i for i in range(best_start, len(tokens)) if flags[i])
        start = max(0, min(best_start, first - 4))
    end = min(len(tokens), start + size)
    # Back up to the start if the window would run past the end anyway.
    if end - start < size:
        start = max(0, end - size)
    stop = tokens[end].start() if end < len(tokens) else len(text)
    fragment = text[tokens[start].start() : stop].rstrip()
    lead = "… " if start > 0 else ""
    tail = " …" if end < len(tokens) else ""
    body = (
        highlight(fragment, parsed, matcher=is_match) if not parsed.is_empty else escape(fragment)
    )
    return mark_safe(f"{lead}{body}{tail}")  # noqa: S308 - the fragment is escaped


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
    base = _base_queryset(
        programme_id=programme.pk if programme is not None else None, theme_id=theme_id, fit=fit
    )
    offset = (page - 1) * page_size
    found: dict[str, int] = {}
    page_rows: list[Row] = []
    if not parsed.is_empty:
        if connection.vendor == "sqlite":
            found, page_rows = _sqlite_search(
                parsed,
                programme_id=programme.pk if programme is not None else None,
                theme_id=theme_id,
                kind=kind,
                fit=fit,
                offset=offset,
                limit=page_size,
            )
        elif connection.vendor == "postgresql":
            found, page_rows = _postgresql_search(
                parsed, base, kind=kind, fit=fit, offset=offset, limit=page_size
            )
    elif fit is not None:
        # No words, but a municipality: everything that fits it, best fit first.
        found, page_rows = _ranked_page(
            base.filter(_fit_condition(fit)),
            _fit_boost_expression(fit),
            kind=kind,
            offset=offset,
            limit=page_size,
        )
    kind_counts = {k: found.get(k, 0) for k in KIND_ORDER}
    total = sum(kind_counts.values())

    labels = dict(DocumentKind.choices)
    matcher = _Matcher(parsed)
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
