"""The all-Germany outlook map and a Land map in a real browser: axe, the form without
JavaScript, sorting, the 390 px phone, and the page weight (printed)."""

from __future__ import annotations

import gzip
from urllib.parse import parse_qs, urlsplit

import pytest

from ortswandel.core.env import data_dir
from ortswandel.sources.official import FILES

from .conftest import check_page, open_page

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


def _weigh(page, url: str) -> dict[str, int]:
    """Bytes of every response of a first load (HTML, styles, scripts), raw and gzip."""
    sizes: dict[str, int] = {}
    packed: dict[str, int] = {}

    def record(response) -> None:
        try:
            body = response.body()
        except Exception:  # redirects have no body
            return
        sizes[response.url] = len(body)
        packed[response.url] = len(gzip.compress(body, 6))

    page.on("response", record)
    open_page(page, url)
    page.remove_listener("response", record)
    return {"raw": sum(sizes.values()), "gzip": sum(packed.values()), "files": len(sizes)}


def test_germany_map_weight_form_and_table(live_server, page, axe, outlook):
    weight = _weigh(page, live_server.url + "/planen/karte/")
    print(
        f"\npage weight /planen/karte/: {weight['raw'] / 1024:.0f} KB raw, "
        f"{weight['gzip'] / 1024:.0f} KB gzip, {weight['files']} files"
    )
    check_page(axe, page, h1="Wohin entwickeln sich Deutschlands Gemeinden?")
    svg = page.locator("svg.choropleth")
    assert svg.get_attribute("role") == "img"
    assert page.locator("svg.choropleth path.pt").count() > 10_000
    assert page.locator(".chart-legend li").count() >= 5
    assert "Gemessener Fehler" in page.locator(".projection-label").inner_text()
    assert weight["gzip"] < 600 * 1024  # compressed first load, all files

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
    weight = _weigh(page, live_server.url + "/planen/karte/12/")
    print(f"\npage weight /planen/karte/12/: {weight['gzip'] / 1024:.0f} KB gzip")
    check_page(axe, page, h1="Brandenburg")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate(
        "document.documentElement.clientWidth"
    )
    link = page.locator("table.outlook-table tbody th a").first
    assert link.get_attribute("href").startswith("/kommunen/12")
    assert page.locator("svg.choropleth path.pt").count() > 400  # every municipality of the Land
