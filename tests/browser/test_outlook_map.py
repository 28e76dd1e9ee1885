"""The all-Germany outlook map and a Land map in a real browser: axe, the form without
JavaScript, sorting, the 390 px phone, and the page weight (printed)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from ortswandel.core.env import data_dir
from ortswandel.sources.official import FILES

from .conftest import check_page, measure_page_weight

pytestmark = pytest.mark.django_db(transaction=True)
DATA = data_dir()
HAVE_DATA = (
    all((DATA / rel).exists() for rel, *_ in FILES.values())
    and (DATA / "vg250_zensus2022_simplified").is_dir()
)


@pytest.fixture
def outlook(transactional_db, settings, register_subset):
    if not HAVE_DATA:
        pytest.skip(f"official data or boundaries not in {DATA}")
    from ortswandel.municipalities.services import municipalities_import
    from ortswandel.planning.outlook.compute import outlook_refresh
    from ortswandel.planning.outlook_map import warm_maps

    settings.ORTSWANDEL_DATA_DIR = DATA
    municipalities_import(register=register_subset)
    run = outlook_refresh(force=True)
    # Parse the boundaries and draw the maps once (seconds), as the job does after a new run.
    warm_maps()
    return run


def test_germany_map_weight_form_and_table(live_server, page, axe, outlook):
    weight = measure_page_weight(page, live_server.url + "/planen/karte/", name="outlook map")
    print(f"\npage weight /planen/karte/: {weight['bytes'] / 1024:.0f} KB compressed, {weight}")
    check_page(axe, page, h1="Wohin entwickeln sich Deutschlands Gemeinden?")
    svg = page.locator("svg.choropleth")
    assert svg.get_attribute("role") == "img"
    assert page.locator("svg.choropleth path.pt").count() > 10_000
    assert page.locator(".chart-legend li").count() >= 5
    assert "Gemessener Fehler" in page.locator(".projection-label").inner_text()
    assert weight["bytes"] < 600 * 1024  # compressed first load, all files

    # The indicator form works without JavaScript: a plain GET.
    page.locator("#id_indicator").select_option("share_65_horizon")
    page.get_by_role("button", name="Karte zeigen").click()
    assert parse_qs(urlsplit(page.url).query)["indicator"] == ["share_65_horizon"]
    assert "Anteil 65 Jahre und älter" in page.locator("#map-heading").inner_text()

    # Sorting by a column header: descending change, marked for assistive technology.
    page.locator("table.outlook-table th a", has_text="Veränderung der Einwohnerzahl").click()
    header = page.locator("table.outlook-table th[aria-sort]")
    assert header.get_attribute("aria-sort") == "descending"
    cells = page.locator("table.outlook-table tbody tr td:nth-child(3)").all_inner_texts()
    values = [float(c.replace("−", "-").replace(",", ".").rstrip(" %")) for c in cells]
    assert values == sorted(values, reverse=True)
    check_page(axe, page)


def test_land_map_on_a_phone_links_to_municipalities(live_server, page, axe, outlook):
    page.set_viewport_size({"width": 390, "height": 844})
    url = live_server.url + "/planen/karte/12/"
    weight = measure_page_weight(page, url, name="outlook map Brandenburg")
    print(f"\npage weight /planen/karte/12/: {weight['bytes'] / 1024:.0f} KB compressed")
    check_page(axe, page, h1="Brandenburg")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate(
        "document.documentElement.clientWidth"
    )
    link = page.locator("table.outlook-table tbody th a").first
    assert link.get_attribute("href").startswith("/kommunen/12")
    assert page.locator("svg.choropleth path.pt").count() > 400  # every municipality of the Land
