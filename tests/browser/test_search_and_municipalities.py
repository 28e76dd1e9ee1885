"""Full-text search from the header, kind filter, and "Meine Kommune" with similar
municipalities — in a real browser, axe-core on each page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import check_page, open_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_header_search_highlights_hits_and_filters_by_kind(live_server, page, axe, portal):
    open_page(page, live_server.url + "/")
    header_search = page.get_by_role("search").filter(has=page.locator("#header-q"))
    header_search.get_by_label("Suchbegriff").fill("Daseinsvorsorge")
    header_search.get_by_role("button", name="Suchen").click()
    assert urlsplit(page.url).path == "/suche/"
    assert parse_qs(urlsplit(page.url).query)["q"] == ["Daseinsvorsorge"]
    check_page(axe, page, h1="Suche im Wissensportal")

    heading = page.locator("#results-heading").inner_text()
    assert "Treffer für „Daseinsvorsorge“" in heading
    total = int(heading.split()[0])
    assert total >= 2
    hits = page.locator(".search-hit")
    assert hits.count() == min(total, 20)
    marks = page.locator(".search-hit mark")
    assert marks.count() >= 1
    assert any("daseinsvorsorge" in m.lower() for m in marks.all_inner_texts())
    assert page.locator("#search-q").input_value() == "Daseinsvorsorge"

    # Filter by kind through the facet links: only projects remain.
    kinds = page.get_by_role("navigation", name="Treffer nach Art")
    kinds.get_by_role("link", name="Projekt").click()
    assert parse_qs(urlsplit(page.url).query)["kind"] == ["project"]
    check_page(axe, page, h1="Suche im Wissensportal")
    badges = page.locator(".search-hit .badge").all_inner_texts()
    assert badges
    assert set(badges) == {"Projekt"}
    assert int(page.locator("#results-heading").inner_text().split()[0]) <= total
    current = kinds.locator("a[aria-current='page']").inner_text()
    assert current.startswith("Projekt")

    # And through the form's kind select.
    page.locator("#search-kind").select_option("result")
    page.locator("form.search-form").get_by_role("button", name="Suchen").click()
    assert parse_qs(urlsplit(page.url).query)["kind"] == ["result"]
    badges = page.locator(".search-hit .badge").all_inner_texts()
    assert set(badges) <= {"Ergebnis"}


def test_search_without_query_shows_hints_and_too_long_query_is_a_400(
    live_server, page, axe, portal
):
    open_page(page, live_server.url + "/suche/")
    check_page(axe, page, h1="Suche im Wissensportal")
    assert page.locator("#hints-heading").count() == 1

    open_page(page, live_server.url + "/suche/?q=" + "x" * 600, status=400)
    check_page(axe, page)
    assert page.get_by_role("alert").count() >= 1


def test_my_municipality_search_and_detail_with_similar_municipalities(
    live_server, page, axe, portal
):
    open_page(page, live_server.url + "/kommunen/")
    check_page(axe, page, h1="Meine Kommune")
    page.get_by_label("Name, Gemeindeschlüssel (AGS) oder Postleitzahl").fill("Kleinmachnow")
    page.get_by_role("button", name="Kommune finden").click()
    # A unique exact name leads straight to the municipality page.
    assert urlsplit(page.url).path == "/kommunen/12069304/"
    check_page(axe, page, h1="Kleinmachnow")
    main = page.locator("main").inner_text()
    assert "Brandenburg" in main
    assert "12069304" in main

    similar = page.locator("table.similar-table")
    assert similar.locator("caption").inner_text().startswith("Kommunen mit ähnlichem Profil")
    rows = similar.locator("tbody tr")
    assert rows.count() >= 3
    first_reason = rows.first.locator("td").last.inner_text()
    assert first_reason.strip(), "every similar municipality comes with an explanation"
    assert rows.first.locator("td.num").last.inner_text().endswith("%")
    method = page.locator("details.method")
    method.locator("summary").click()
    assert method.get_attribute("open") is not None
    assert "Ähnlichkeit" in method.inner_text()

    # A partial name shows a result table; a row leads to the page.
    open_page(page, live_server.url + "/kommunen/")
    page.get_by_label("Name, Gemeindeschlüssel (AGS) oder Postleitzahl").fill("Neu")
    page.get_by_label("Land").select_option("12")
    page.get_by_role("button", name="Kommune finden").click()
    assert urlsplit(page.url).path == "/kommunen/"
    assert parse_qs(urlsplit(page.url).query)["land"] == ["12"]
    check_page(axe, page, h1="Meine Kommune")
    table = page.locator("table.municipality-table")
    assert table.locator("tbody tr").count() >= 3
    assert set(table.locator("tbody td:nth-child(3)").all_inner_texts()) == {"Brandenburg"}
    table.get_by_role("link", name="Neuruppin, Stadt").click()
    assert urlsplit(page.url).path == "/kommunen/12068320/"
    check_page(axe, page, h1="Neuruppin")
    # Projects with model municipalities nearby: the similar-projects section explains why.
    assert page.locator("#similar-projects-heading").count() == 1


def test_municipality_search_from_the_home_page_and_bad_input(live_server, page, axe, portal):
    open_page(page, live_server.url + "/")
    page.locator("#home-municipality-q").fill("Zeitz")
    page.get_by_role("button", name="Kommune suchen").click()
    assert urlsplit(page.url).path.startswith("/kommunen/")
    check_page(axe, page)
    assert "Zeitz" in page.locator("main").inner_text()

    open_page(page, live_server.url + "/kommunen/?land=99", status=400)
    check_page(axe, page, h1="Meine Kommune")
    assert page.get_by_role("alert").count() == 1
    land = page.locator("#id_land")
    assert land.get_attribute("aria-invalid") == "true"
    described = land.get_attribute("aria-describedby")
    assert described
    assert page.locator(f"#{described}").inner_text().strip()

    open_page(page, live_server.url + "/kommunen/99999999/", status=404)
    check_page(axe, page, h1="Kommune nicht gefunden")
    assert page.get_by_role("searchbox").count() + page.locator("input[name=q]").count() >= 1
