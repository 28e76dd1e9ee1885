"""The knowledge portal in a real browser: every public page type of the catalogue, the project
directory's filters, sorting and pagination, structured data and feeds — axe-core on each page."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import check_page, open_page

pytestmark = pytest.mark.django_db(transaction=True)

KI = "kommunen-innovativ"


def _card_titles(page) -> list[str]:
    return page.locator(".project-cards > li h3, .project-cards > li h2").all_inner_texts()


def test_home_programmes_and_theme(live_server, page, axe, portal):
    open_page(page, live_server.url + "/")
    check_page(axe, page, h1="Wissen für Kommunen im Wandel")
    assert page.locator("#programmes-title + ul .card").count() == 3
    assert page.get_by_role("link", name="Kommunen innovativ").first.is_visible()
    assert page.locator(".home-news li").count() >= 1

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Programme"
    ).click()
    assert urlsplit(page.url).path == "/programme/"
    check_page(axe, page, h1="Programme")
    current = page.locator(".main-nav a[aria-current='page']")
    assert current.inner_text() == "Programme"

    page.get_by_role("link", name="Kommunen innovativ", exact=True).first.click()
    assert urlsplit(page.url).path == f"/programme/{KI}/"
    check_page(axe, page, h1="Kommunen innovativ")
    assert page.locator("#themes-title").count() == 1
    assert "Daseinsvorsorge sichern" in page.locator("main").inner_text()
    breadcrumbs = page.locator("nav.breadcrumbs")
    assert "Programme" in breadcrumbs.inner_text()

    page.get_by_role("link", name="Daseinsvorsorge sichern").first.click()
    assert urlsplit(page.url).path == f"/programme/{KI}/themen/daseinsvorsorge-sichern/"
    check_page(axe, page, h1="Daseinsvorsorge sichern")
    assert "Kernbotschaft" in page.locator("main").inner_text()


def test_project_directory_filters_are_shareable_sortable_and_paginated(
    live_server, page, axe, portal
):
    open_page(page, live_server.url + "/projekte/")
    check_page(axe, page, h1="Projektverzeichnis")
    total_text = page.locator(".listing-count").inner_text()
    total = int(total_text.split()[0])
    assert total >= 45, total_text
    assert len(_card_titles(page)) == 20

    # Pagination: page 2 via the pagination links, then back.
    page.get_by_role("navigation", name="Seitennavigation").get_by_role(
        "link", name="Nächste Seite"
    ).click()
    assert parse_qs(urlsplit(page.url).query)["page"] == ["2"]
    check_page(axe, page, h1="Projektverzeichnis")
    second_page = _card_titles(page)
    assert len(second_page) == 20
    assert page.locator(".pagination a[aria-current='page']").inner_text().strip().endswith("2")

    # Facets through the form: programme "Kommunen innovativ" and status "abgeschlossen".
    page.goto(live_server.url + "/projekte/")
    form = page.locator("form.filters")
    form.locator(f"input[name='programme'][value='{KI}']").check()
    form.locator("input[name='status'][value='completed']").check()
    form.get_by_role("button", name="Filter anwenden").click()
    query = parse_qs(urlsplit(page.url).query)
    assert query["programme"] == [KI]
    assert query["status"] == ["completed"]
    check_page(axe, page, h1="Projektverzeichnis")
    filtered_count = page.locator(".listing-count").inner_text()
    filtered = _card_titles(page)
    assert 0 < int(filtered_count.split()[0]) < total
    assert not any(title.startswith("Testvorhaben") for title in filtered)  # those are "running"
    active = page.get_by_role("list", name="Aktive Filter")
    assert "Kommunen innovativ" in active.inner_text()

    # The URL is shareable: a fresh visit to it shows the same result set.
    shared = page.url
    page.goto(live_server.url + "/")
    open_page(page, shared)
    assert page.locator(".listing-count").inner_text() == filtered_count
    assert _card_titles(page) == filtered
    assert page.locator(f"input[name='programme'][value='{KI}']").is_checked()

    # Sorting: Z–A reverses the order of the (single page of) filtered projects.
    page.locator("#filter-sort").select_option("-acronym")
    page.locator("form.filters").get_by_role("button", name="Filter anwenden").click()
    assert parse_qs(urlsplit(page.url).query)["sort"] == ["-acronym"]
    descending = _card_titles(page)
    if int(filtered_count.split()[0]) <= 20:
        assert descending == list(reversed(filtered))
    assert descending[0] != filtered[0]
    check_page(axe, page, h1="Projektverzeichnis")

    # Free-text filter narrows down to the generated projects.
    page.goto(live_server.url + "/projekte/")
    page.locator("#filter-q").fill("Testvorhaben")
    page.locator("form.filters").get_by_role("button", name="Filter anwenden").click()
    assert parse_qs(urlsplit(page.url).query)["q"] == ["Testvorhaben"]
    assert len(_card_titles(page)) == 6


def test_project_and_organisation_detail_with_json_ld(live_server, page, axe, portal):
    open_page(page, live_server.url + "/projekte/kommonitor/")
    check_page(axe, page, h1="KomMonitor")
    blocks = page.locator("script[type='application/ld+json']")
    assert blocks.count() >= 1
    data = json.loads(blocks.first.text_content())
    assert data["@context"] == "https://schema.org"
    assert data["name"].startswith("KomMonitor") or "KomMonitor" in json.dumps(data)
    partners = page.locator("#partners-title + .table-scroll table")
    assert partners.locator("tbody tr").count() >= 3
    assert partners.locator("th[scope='col']").count() == 3
    assert "Essen" in page.locator("main").inner_text()

    page.get_by_role("link", name="Stadt Essen").first.click()
    assert urlsplit(page.url).path == "/organisationen/stadt-essen/"
    check_page(axe, page, h1="Stadt Essen")
    json.loads(page.locator("script[type='application/ld+json']").first.text_content())
    assert page.get_by_role("link", name="KomMonitor").count() >= 1


def test_results_library_and_detail(live_server, page, axe, portal):
    open_page(page, live_server.url + "/ergebnisse/")
    check_page(axe, page, h1="Ergebnisse")
    assert page.locator(".listing-count").inner_text().startswith("3 Ergebnisse")
    page.locator("form.filters input[name='kind'][value='instrument']").check()
    page.locator("form.filters").get_by_role("button", name="Filter anwenden").click()
    assert parse_qs(urlsplit(page.url).query)["kind"] == ["instrument"]
    assert page.locator(".listing-count").inner_text().startswith("2 Ergebnisse")
    check_page(axe, page, h1="Ergebnisse")

    page.get_by_role("link", name="Kommunaler Innenentwicklungsfonds (KIF)").click()
    assert urlsplit(page.url).path == "/ergebnisse/kommunaler-innenentwicklungsfonds/"
    check_page(axe, page, h1="Kommunaler Innenentwicklungsfonds (KIF)")
    assert page.get_by_role("link", name="KIF", exact=True).count() == 1


def test_publications_list_and_detail(live_server, page, axe, portal):
    open_page(page, live_server.url + "/publikationen/")
    check_page(axe, page, h1="Publikationen")
    count = int(page.locator(".listing-count").inner_text().split()[0])
    assert count >= 2
    page.get_by_role("link", name="Ansätze für eine zukunftsorientierte Entwicklung").click()
    assert urlsplit(page.url).path == "/publikationen/dstgb-dokumentation-kommunen-innovativ/"
    check_page(axe, page, h1="Ansätze für eine zukunftsorientierte Entwicklung")
    assert "Deutscher Städte- und Gemeindebund" in page.locator("main").inner_text()


def test_news_list_detail_and_feeds(live_server, page, axe, portal):
    open_page(page, live_server.url + "/aktuelles/")
    check_page(axe, page, h1="Aktuelles")
    assert page.locator("link[rel='alternate'][type='application/rss+xml']").count() == 1
    page.get_by_role("link", name="Beteiligungsprojekte in Weißenfels und Zeitz gestartet").click()
    assert urlsplit(page.url).path == "/aktuelles/hks-beteiligung-zeitz-weissenfels-2025/"
    check_page(axe, page, h1="Beteiligungsprojekte in Weißenfels und Zeitz gestartet")
    assert page.locator("time[datetime='2025-02-07']").count() >= 1

    for path, root in (("/aktuelles/feed/rss/", "<rss"), ("/aktuelles/feed/atom/", "<feed")):
        response = page.request.get(live_server.url + path)
        assert response.status == 200, path
        assert "xml" in response.headers["content-type"], path
        body = response.text()
        assert root in body, path
        assert "Beteiligungsprojekte in Weißenfels und Zeitz gestartet" in body, path
