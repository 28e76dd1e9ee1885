"""Finding and ranking search documents in the database, one implementation per backend.

Two queries per search, both in the database: hits per kind (no ranking needed) and one page of
hits ordered by relevance × Kommune-fit boost. Only ``page_size`` rows ever reach Python, so the
cost does not grow with the number of matches beyond the database's own ranking work.

Ranking: SQLite FTS5 ``bm25`` (title weight 10, body 1, folded words 0.5 for prefixes);
PostgreSQL ``ts_rank`` over the ``german`` tsvector (title A, body B, prefix words D).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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

from . import german
from .models import SearchDocument

BM25_WEIGHTS = (10.0, 1.0, 0.5)  # title, body, raw (folded words for prefix matching)
PG_WEIGHTS = [0.05, 0.2, 0.4, 1.0]  # D (prefix words), C, B (body), A (title)
FIT_BOOST_LAND = 0.5
FIT_BOOST_SIZE = 0.5

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


def base_queryset(
    *, programme_id: int | None, theme_id: int | None, fit: FitContext | None
) -> QuerySet[SearchDocument]:
    qs = SearchDocument.objects.filter(published=True)
    if programme_id is not None:
        qs = qs.filter(programme_id=programme_id)
    if theme_id is not None:
        qs = qs.filter(theme_ids__contains=f"|{theme_id}|")
    if fit is not None and fit.only:
        qs = qs.filter(fit_condition(fit))
    return qs


def fit_condition(fit: FitContext) -> Q:
    condition = Q(pk__in=[])
    if fit.land_code:
        condition |= Q(land_codes__contains=f"|{fit.land_code}|")
    if fit.size_class:
        condition |= Q(size_classes__contains=f"|{fit.size_class}|")
    return condition


def fit_boost_expression(fit: FitContext | None) -> Any:
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
    """The filters of :func:`base_queryset` as SQL on ``d`` (a join is cheaper than IN)."""
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


def sqlite_search(
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


def ranked_page(
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


def postgresql_search(
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
    score = ExpressionWrapper(rank * fit_boost_expression(fit), output_field=FloatField())
    return ranked_page(
        base.filter(search_vector=query), score, kind=kind, offset=offset, limit=limit
    )
