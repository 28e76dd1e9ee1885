"""One page rule and one parameter parser for every list, HTML and API alike."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ortswandel.core.errors import InvalidInput, NotFound
from ortswandel.core.paging import MAX_PAGE, paginate, parse_page, parse_page_size
from ortswandel.core.params import MAX_DB_ID, check_text, parse_date, parse_int, to_date, to_int


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7), (" 7 ", 7), ("007", 7), (7, 7), ("0", None), ("101", None), ("", None),
     ("²", None), ("٣", None), ("１", None), ("1_0", None), ("+5", None), ("-1", None),
     ("1.0", None), ("1e2", None), ("9" * 5000, None), (True, None), (None, None)],
)  # fmt: skip
def test_to_int_accepts_ascii_digits_within_bounds_only(value, expected):
    assert to_int(value, minimum=1, maximum=100) == expected


@given(st.text(max_size=30))
def test_to_int_never_raises_and_never_leaves_the_bounds(text):
    number = to_int(text, minimum=1, maximum=MAX_DB_ID)
    assert number is None or 1 <= number <= MAX_DB_ID
    if number is not None:
        assert text.strip().isascii() and text.strip().isdigit()


def test_parse_int_default_and_german_400():
    assert parse_int("", name="jahr", minimum=1, maximum=9, default=3) == 3
    with pytest.raises(InvalidInput) as error:
        parse_int("²", name="jahr", minimum=1, maximum=9)
    assert error.value.status == 400
    assert error.value.fields == {"jahr": "Bitte eine ganze Zahl von 1 bis 9 angeben."}


def test_page_rule():
    assert parse_page(None) == 1
    assert parse_page("") == 1
    assert parse_page("3") == 3
    for bad in ["0", "-1", "x", "²", "1.5", str(MAX_PAGE + 1), "9" * 400]:
        with pytest.raises(InvalidInput) as error:
            parse_page(bad)
        assert error.value.code == "invalid_page", bad
        assert "page" in error.value.fields
    assert parse_page_size("", default=20, maximum=100) == 20
    with pytest.raises(InvalidInput) as error:
        parse_page_size("101", default=20, maximum=100)
    assert error.value.code == "invalid_page"
    assert set(error.value.fields) == {"page_size"}


def test_paginate_404_beyond_the_last_page_and_one_empty_first_page():
    assert list(paginate([], page=1, per_page=10).object_list) == []
    assert list(paginate(list(range(25)), page=3, per_page=10).object_list) == [20, 21, 22, 23, 24]
    with pytest.raises(NotFound) as error:
        paginate(list(range(25)), page=4, per_page=10)
    assert error.value.code == "page_not_found"
    assert error.value.message == "Seite 4 gibt es nicht; die Liste hat 3 Seite(n)."


def test_text_and_dates():
    assert check_text("Über\tdie Straße\n", name="q") == "Über\tdie Straße\n"
    for bad in ["a\x00b", "\x1b[31m", "x\x7f"]:
        with pytest.raises(InvalidInput) as error:
            check_text(bad, name="q")
        assert error.value.code == "invalid_characters"
    assert to_date("2024-02-29") == dt.date(2024, 2, 29)
    for bad in ["0001-01-01", "9999-12-31", "2024-02-30", "٢٠٢٤-٠١-٠١", "2024-1-1", "heute"]:
        assert to_date(bad) is None, bad
    with pytest.raises(InvalidInput):
        parse_date("0001-01-01", name="von")


# --------------------------------------------------------------------------- every list


def _error(client, url):
    response = client.get(url)
    if url.startswith("/api/"):
        return response.status_code, response.json()["code"]
    return response.status_code, None


HTML_LISTS = ["/projekte/", "/ergebnisse/", "/publikationen/", "/aktuelles/"]
API_LISTS = ["/api/projects", "/api/results", "/api/municipalities?land=12"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*HTML_LISTS, *API_LISTS, "/kommunen/?land=12"])
def test_every_list_has_the_same_page_rule(client, url):
    join = "&" if "?" in url else "?"
    for bad in ["x", "0", "%C2%B2", "1" + "0" * 30]:
        status, code = _error(client, f"{url}{join}page={bad}")
        assert status == 400, (url, bad)
        assert code in (None, "invalid_page"), (url, bad)
    status, code = _error(client, f"{url}{join}page=999")
    assert status == 404, url
    assert code in (None, "page_not_found"), url


@pytest.mark.django_db
def test_event_list_has_the_same_page_rule(client):
    assert client.get("/veranstaltungen/?seite=x").status_code == 400
    assert client.get("/veranstaltungen/?seite=2").status_code == 404
    assert client.get("/veranstaltungen/?seite=1").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/projects", "/api/results", "/api/municipalities"])
def test_api_page_size_has_the_same_rule(client, url):
    for bad in ["0", "101", "abc", "%C2%B2"]:
        response = client.get(f"{url}?page_size={bad}")
        assert response.status_code == 400, bad
        assert response.json()["code"] == "invalid_page"
        assert "page_size" in response.json()["fields"]
    assert client.get(f"{url}?page_size=100").status_code == 200
