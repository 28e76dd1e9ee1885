"""The search page and the JSON API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_search_url_is_suche():
    with translation.override("de"):
        assert reverse("search:search") == "/suche/"
    with translation.override("en"):
        assert reverse("search:search") == "/en/suche/"


def test_empty_query_shows_form_and_hints(client):
    response = client.get("/suche/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert '<label for="search-q">' in html
    assert "So suchen Sie" in html


def test_results_page_with_counts_and_highlight(client, make_project, make_news):
    make_project("KITA", "Kitas im ländlichen Raum")
    make_news("Neue Kita eröffnet")
    response = client.get("/suche/", {"q": "Kita"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 Treffer für „Kita“" in html
    assert 'aria-live="polite"' in html
    assert "<mark>Kita</mark>" in html
    assert 'Projekt <span class="count">(1)</span>' in html
    assert 'Meldung <span class="count">(1)</span>' in html
    # kind links keep the query (shareable URLs)
    assert "?q=Kita&amp;kind=news" in html


def test_overlong_query_is_a_german_400(client):
    response = client.get("/suche/", {"q": "a" * 201})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Der Suchbegriff ist zu lang" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="search-q-help search-q-error"' in html


def test_bad_page_is_400_not_500(client):
    assert client.get("/suche/", {"q": "x", "page": "abc"}).status_code == 400
    assert client.get("/suche/", {"q": "x", "programme": "gibt-es-nicht"}).status_code == 400


def test_hostile_query_page_renders(client, make_project):
    make_project("X", "Robust")
    response = client.get("/suche/", {"q": 'AND OR "( <script>'})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_fit_page_explains(client, make_project, reindex, cottbus, small_brandenburg):
    project = make_project("NAH", "Dorfladen")
    project.municipalities.add(cottbus)
    reindex(project)
    response = client.get("/suche/", {"ags": small_brandenburg.ags})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Passend zu Ahrensfelde" in html
    assert "gleiches Land (Brandenburg)" in html


def test_api_shape(client, make_project, make_result):
    make_project("KITA", "Kitas im ländlichen Raum")
    make_result("Kita-Bedarfsplanung")
    response = client.get("/api/search", {"q": "Kita"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert data["page"] == 1
    assert set(data["results"][0]) == {"kind", "title", "url", "snippet", "score"}
    assert {r["kind"] for r in data["results"]} == {"project", "result"}
    only = client.get("/api/search", {"q": "Kita", "kind": "result"}).json()
    assert [r["title"] for r in only["results"]] == ["Kita-Bedarfsplanung"]
    assert only["results"][0]["url"].startswith("/ergebnisse/")


def test_api_errors_are_json_with_code(client):
    response = client.get("/api/search", {"q": "x" * 300})
    assert response.status_code == 400
    assert response.json()["code"] == "query_too_long"
    assert client.get("/api/search", {"q": "x", "kind": "foo"}).json()["code"] == "invalid_kind"
    assert client.get("/api/search", {"q": "x", "page": "0"}).status_code == 400


def test_api_escapes_snippets(client, make_project):
    make_project("XSS", "Titel", summary="<p>Kommune &lt;script&gt;alert(1)&lt;/script&gt;</p>")
    data = client.get("/api/search", {"q": "Kommune"}).json()
    assert "<script>" not in data["results"][0]["snippet"]
    assert "&lt;script&gt;" in data["results"][0]["snippet"]


def test_api_fit_only_and_page_beyond_end(client, make_project, reindex, cottbus, big_bavaria):
    near = make_project("NAH", "Dorfladen")
    near.municipalities.add(cottbus)
    far = make_project("FERN", "Dorfladen")
    far.municipalities.add(big_bavaria)
    reindex(near, far)
    data = client.get(
        "/api/search", {"q": "Dorfladen", "ags": cottbus.ags, "nur_passend": "true"}
    ).json()
    assert [r["title"] for r in data["results"]] == ["NAH: Dorfladen"]
    beyond = client.get("/api/search", {"q": "Dorfladen", "page": "5"}).json()
    assert beyond["count"] == 2 and beyond["results"] == []
    assert client.get("/api/search", {"q": "x", "ags": "99999999"}).status_code == 400
    assert client.get("/api/search", {"q": "x", "ags": "12999999"}).status_code == 404


def test_english_prefix_and_page_beyond_end(client, make_project):
    make_project("EN", "Dorfladen")
    assert client.get("/en/suche/", {"q": "Dorfladen"}).status_code == 200
    html = client.get("/suche/", {"q": "Dorfladen", "page": "3"}).content.decode()
    assert "Auf dieser Seite gibt es keine Treffer mehr." in html
