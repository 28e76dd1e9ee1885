"""The municipality profile in a real browser (issue 8): desktop and 390 px, axe-core, charts
with keyboard tooltips, no horizontal scrolling, the 404 with a search box — and the page
weight (all resources of the first load), printed for the closing note."""

from __future__ import annotations

import gzip
import io
from typing import Any

import pytest
from django.core.management import call_command

from .conftest import check_page, open_page

pytestmark = pytest.mark.django_db(transaction=True)

WITTENBERGE = "12070424"


def _weigh(page: Any, url: str) -> dict[str, Any]:
    """Load ``url`` fresh and sum every resource: bytes as transferred and as gzip -6 would
    send them (the production server compresses; the test server does not)."""
    resources: list[Any] = []

    def collect(response: Any) -> None:
        resources.append(response)

    page.on("response", collect)
    open_page(page, url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", collect)
    rows = []
    for response in resources:
        body = response.body()
        rows.append(
            {
                "url": response.url.split("/", 3)[-1],
                "type": response.request.resource_type,
                "raw": len(body),
                "gzip": len(gzip.compress(body, 6)),
                "transfer": response.request.sizes()["responseBodySize"],
            }
        )
    return {
        "rows": rows,
        "raw": sum(r["raw"] for r in rows),
        "gzip": sum(r["gzip"] for r in rows),
        "transfer": sum(r["transfer"] for r in rows),
    }


def _print_weight(label: str, weight: dict[str, Any]) -> None:
    print(f"\nPage weight {label}: {len(weight['rows'])} resources")
    for row in weight["rows"]:
        raw, packed = row["raw"] / 1024, row["gzip"] / 1024
        print(f"  {row['type']:10} {raw:7.1f} KB raw {packed:7.1f} KB gzip  /{row['url']}")
    print(
        f"  total {weight['raw'] / 1024:.1f} KB raw, {weight['gzip'] / 1024:.1f} KB compressed "
        f"(gzip -6), {weight['transfer'] / 1024:.1f} KB as transferred by the test server"
    )


@pytest.fixture
def with_key_figures(portal):
    call_command(
        "import_datapool",
        only=["gv100ad", "zensus2022-1000A-0000"],
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    # The first profile of a process parses the boundary files and estimates the age structure
    # of all municipalities (seconds): do it here, not within the browser's 5-second timeout.
    from django.test import Client

    assert Client().get(f"/kommunen/{WITTENBERGE}/").status_code == 200
    return portal


@pytest.mark.parametrize(("width", "label"), [(1280, "desktop"), (390, "390 px")])
def test_profile_of_wittenberge(  # noqa: PLR0917 - pytest fixtures
    live_server, page, axe, with_key_figures, width, label
):
    page.set_viewport_size({"width": width, "height": 900})
    weight = _weigh(page, f"{live_server.url}/kommunen/{WITTENBERGE}/")
    check_page(axe, page, h1="Wittenberge")
    _print_weight(label, weight)
    assert weight["gzip"] < 150 * 1024  # a server-rendered page, no chart library

    # key figures with date and source, charts with text alternatives and tables
    figures = page.locator(".key-figures li")
    assert figures.count() >= 2
    assert "Stand 31.12.2022" in figures.first.inner_text()
    assert "Quelle:" in figures.first.inner_text()
    charts = page.locator("svg.ow-chart[role='img']")
    assert charts.count() >= 4
    for i in range(charts.count()):
        labelled = charts.nth(i).get_attribute("aria-labelledby").split()
        assert all(page.locator(f"#{part}").count() == 1 for part in labelled)
    assert page.locator("svg.ow-map[role='img']").count() == 2
    assert (
        page.get_by_role("region", name="Tabelle: Bevölkerung im Kreis Prignitz, 2015–2022").count()
        == 1
    )

    # the planning workspace is one click away
    link = page.get_by_role("link", name="Zukunft berechnen")
    assert link.get_attribute("href") == f"/planen/{WITTENBERGE}/"

    # similar municipalities say why
    why = page.locator(".similar-table td.why").first.inner_text()
    assert "Einwohnerzahl" in why

    # keyboard: the chart is one tab stop, arrow keys announce the data points
    chart = page.locator("#ch-development")
    chart.focus()
    page.keyboard.press("ArrowRight")
    tip = page.locator("[data-chart='ch-development'] .chart-tip")
    assert tip.is_visible()
    assert "Prignitz, 2015: 77.573" in tip.inner_text()
    page.keyboard.press("ArrowRight")
    assert "2016" in tip.inner_text()

    # usable at 390 px: the page itself never scrolls sideways
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"page is {scroll_width}px wide at {width}px"


def test_unknown_municipality_is_a_404_with_search_box(live_server, page, axe, portal):
    open_page(page, f"{live_server.url}/kommunen/99999999/", status=404)
    check_page(axe, page, h1="Kommune nicht gefunden")
    search = page.get_by_role("search")
    search.get_by_label("Name, Gemeindeschlüssel (AGS) oder Postleitzahl").fill("Wittenberge")
    search.get_by_role("button", name="Kommune finden").click()
    assert "/kommunen/" in page.url
