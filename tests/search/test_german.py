"""Tokenising, stemming and query parsing (no database)."""

from __future__ import annotations

import pytest

from ortswandel.search import german


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kommunen", "Kommune"),
        ("Entwicklungen", "Entwicklung"),
        ("Städte", "Stadt"),
        ("Förderungen", "Förderung"),
        ("Straße", "Strasse"),
    ],
)
def test_inflected_forms_share_a_stem(a, b):
    assert german.stem(a) == german.stem(b)


def test_umlauts_are_folded():
    assert german.stem("Förderung") == german.stem("Forderung")
    assert german.fold("Übergänge") == "ubergange"


def test_different_words_keep_different_stems():
    assert german.stem("Kommune") != german.stem("Kommunikation")


def test_stop_words_are_not_indexed():
    assert german.stems("Die Kommunen und der Landkreis") == [
        german.stem("Kommunen"),
        german.stem("Landkreis"),
    ]


def test_parse_terms_phrase_and_prefix():
    parsed = german.parse_query('Kommunen "digitale Verwaltung" Mobil')
    assert parsed.terms == ("Kommunen",)
    assert parsed.phrases == (("digitale", "Verwaltung"),)
    assert parsed.prefix == "Mobil"


def test_short_last_word_is_not_a_prefix():
    assert german.parse_query("Ki").prefix == ""
    assert german.parse_query("Ki").terms == ("Ki",)
    # The query does not end with "Kita" (a stop word follows), so no prefix.
    parsed = german.parse_query("Kita im")
    assert parsed.prefix == ""
    assert parsed.terms == ("Kita",)


@pytest.mark.parametrize(
    "raw",
    ['AND OR "(', '"', "NEAR(a b)", "title:x", "*", "a* OR -b", "'; DROP TABLE x; --", "^^ {}"],
)
def test_fts_expression_never_contains_user_syntax(raw):
    expr = german.fts5_query(german.parse_query(raw))
    # Only our own operators, and every user token is a quoted stem of letters/digits.
    for token in expr.replace("(", " ").replace(")", " ").split():
        assert token in {"AND", "OR", "{title", "body}", ":", "raw"} or (
            token.startswith('"') and token.rstrip("*").endswith('"')
        ), token


def test_only_stop_words_is_an_empty_query():
    assert german.parse_query("und oder der").is_empty


def test_terms_are_bounded():
    parsed = german.parse_query(" ".join(f"wort{i}x" for i in range(50)))
    assert len(parsed.all_words) <= german.MAX_TERMS
