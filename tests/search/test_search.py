"""Matching, ranking, highlighting and filters of the search selector."""

from __future__ import annotations

import pytest

from ortswandel.core.errors import InvalidInput, NotFound
from ortswandel.search import selectors

pytestmark = pytest.mark.django_db


def titles(query: str, **kwargs) -> list[str]:
    return [hit.title for hit in selectors.search(query=query, **kwargs).hits]


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Kommunen im Strukturwandel", "Kommune"),
        ("Die Kommune als Akteurin", "Kommunen"),
        ("Neue Entwicklungen im Quartier", "Entwicklung"),
        ("Entwicklung im Quartier", "Entwicklungen"),
        ("Kleine Städte im Wandel", "Stadt"),
        ("Förderung des Ehrenamts", "Forderung"),
        ("Fördermittel beantragen", "Förder"),  # unfinished last word: prefix
        ("Mobilitätsstationen auf dem Land", "Mobilität"),
    ],
)
def test_german_word_forms_match(make_project, text, query):
    make_project("TREFFER", text)
    make_project("ANDERES", "Etwas völlig anderes")
    assert titles(query) == [f"TREFFER: {text}"]


def test_all_words_are_required(make_project):
    make_project("A", "Kommunen und Klimaschutz")
    make_project("B", "Kommunen und Wohnen")
    assert titles("Kommunen Klimaschutz") == ["A: Kommunen und Klimaschutz"]


def test_phrase_requires_word_order(make_project):
    make_project("A", "Digitale Verwaltung im ländlichen Raum")
    make_project("B", "Verwaltung wird digitale Drehscheibe")
    assert titles('"digitale Verwaltung"') == ["A: Digitale Verwaltung im ländlichen Raum"]
    assert len(titles("digitale Verwaltung")) == 2


def test_title_match_ranks_above_body_match(make_project, make_result):
    make_result(
        "Handbuch für Gemeinderäte",
        summary="<p>Ein Kapitel behandelt auch die Klimaanpassung in kleinen Orten.</p>",
    )
    make_project("KLIMA", "Klimaanpassung in Kleinstädten", summary="<p>Maßnahmen vor Ort.</p>")
    hits = selectors.search(query="Klimaanpassung").hits
    assert [h.title for h in hits] == [
        "KLIMA: Klimaanpassung in Kleinstädten",
        "Handbuch für Gemeinderäte",
    ]
    assert hits[0].score > hits[1].score


def test_highlight_marks_stem_matches_and_escapes_everything_else(make_project):
    make_project(
        "XSS",
        "Kommune <script>alert(1)</script>",
        summary="<p>Die Kommunen &lt;img src=x onerror=alert(1)&gt; planen.</p>",
    )
    hit = selectors.search(query="Kommunen").hits[0]
    assert "<script>" not in hit.title_html
    assert "&lt;script&gt;" in hit.title_html
    assert "<mark>Kommune</mark>" in hit.title_html
    assert "<mark>Kommunen</mark>" in hit.snippet_html
    assert "<img" not in hit.snippet_html
    assert "&lt;img" in hit.snippet_html
    # Only <mark> tags are markup.
    stripped = str(hit.snippet_html).replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped


def test_snippet_shows_the_passage_with_the_match(make_project):
    filler = " ".join(f"Füllwort{i}" for i in range(80))
    make_project(
        "LANG", "Langer Text", summary=f"<p>{filler} Schulwegsicherheit ist wichtig. {filler}</p>"
    )
    snippet = str(selectors.search(query="Schulwegsicherheit").hits[0].snippet_html)
    assert "<mark>Schulwegsicherheit</mark>" in snippet
    assert snippet.startswith("… ")
    assert snippet.endswith(" …")
    assert len(snippet.split()) < 45


@pytest.mark.parametrize(
    "query",
    [
        'AND OR "(',
        '"',
        "NEAR(a b",
        "title:x*",
        "*",
        "-",
        "a OR",
        "'; DROP TABLE x; --",
        "^ {} [] :",
    ],
)
def test_hostile_queries_do_not_raise(make_project, query):
    make_project("SAFE", "Robuste Suche")
    page = selectors.search(query=query)
    assert page.count >= 0


def test_overlong_query_is_rejected_in_german():
    with pytest.raises(InvalidInput) as info:
        selectors.search(query="x" * 201)
    assert info.value.code == "query_too_long"
    assert "höchstens 200 Zeichen" in info.value.message


def test_kind_filter_and_counts(make_project, make_result, make_publication, make_news):
    make_project("P", "Ehrenamt stärken")
    make_result("Ehrenamt-Werkzeugkasten")
    make_publication("Bericht zum Ehrenamt")
    make_news("Ehrenamtspreis verliehen")
    make_news("Ehrenamt in Vereinen")
    page = selectors.search(query="Ehrenamt")
    # The last word also matches as a prefix: "Ehrenamtspreis", "Ehrenamt-Werkzeugkasten".
    assert page.kind_counts == {
        "project": 1,
        "result": 1,
        "publication": 1,
        "news": 2,
        "event": 0,
        "municipality": 0,
    }
    assert page.total == 5
    news_page = selectors.search(query="Ehrenamt", kind="news")
    assert {h.kind for h in news_page.hits} == {"news"}
    assert news_page.count == 2
    assert news_page.kind_counts == page.kind_counts
    with pytest.raises(InvalidInput):
        selectors.search(query="Ehrenamt", kind="veranstaltung")


def test_programme_filter(make_project, other_programme):
    make_project("EINS", "Gemeinschaftshaus")
    make_project("ZWEI", "Gemeinschaftshaus", programme=other_programme)
    assert titles("Gemeinschaftshaus", programme=other_programme) == ["ZWEI: Gemeinschaftshaus"]


def test_pagination(make_project):
    for i in range(25):
        make_project(f"W{i:02d}", "Wasserstoff")
    first = selectors.search(query="Wasserstoff", page_size=10)
    third = selectors.search(query="Wasserstoff", page=3, page_size=10)
    assert first.count == 25 and first.num_pages == 3
    assert len(third.hits) == 5
    assert not {h.title for h in first.hits} & {h.title for h in third.hits}


def test_kommune_fit_boosts_and_restricts(  # noqa: PLR0917 - fixtures
    make_project, reindex, small_brandenburg, cottbus, small_bavaria, big_bavaria
):
    plain = make_project("FERN", "Dorfladen")
    plain.municipalities.add(big_bavaria)
    fitting = make_project("NAH", "Dorfladen")
    fitting.municipalities.add(cottbus)  # same Land as Ahrensfelde
    size_only = make_project("KLEIN", "Dorfladen")
    size_only.municipalities.add(small_bavaria)  # same size class as Ahrensfelde
    reindex(plain, fitting, size_only)

    fit = selectors.fit_context(small_brandenburg.ags)
    page = selectors.search(query="Dorfladen", fit=fit)
    assert page.hits[-1].title == "FERN: Dorfladen"
    assert page.hits[-1].fit_reasons == []
    reasons = {h.title: h.fit_reasons for h in page.hits}
    assert reasons["NAH: Dorfladen"] == ["gleiches Land (Brandenburg)"]
    assert reasons["KLEIN: Dorfladen"][0].startswith("gleiche Größenklasse")

    only = selectors.fit_context(small_brandenburg.ags, only=True)
    assert sorted(titles("Dorfladen", fit=only)) == ["KLEIN: Dorfladen", "NAH: Dorfladen"]
    # Without a query: everything that fits the municipality.
    assert sorted(titles("", fit=only)) == ["KLEIN: Dorfladen", "NAH: Dorfladen"]


def test_fit_context_validates_ags(db):
    with pytest.raises(InvalidInput):
        selectors.fit_context("12ab")
    with pytest.raises(NotFound):
        selectors.fit_context("12999999")


def test_theme_filter(make_project, reindex, theme):
    tagged = make_project("TAG", "Spielplatz")
    tagged.themes.add(theme)
    reindex(tagged)
    make_project("OHNE", "Spielplatz")
    assert titles("Spielplatz", theme_id=theme.pk) == ["TAG: Spielplatz"]
    assert len(titles("Spielplatz")) == 2
