"""Issue 9 in a real browser: the registration outcome takes focus where people look (desktop and
390 px), and the municipality page and the navigation work on a 390 px phone — axe on each."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_horizontal_overflow, check_page, open_page

pytestmark = pytest.mark.django_db(transaction=True)

NETWORK = "demo-netzwerktreffen-daseinsvorsorge"
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_registration_outcome_replaces_the_form_and_has_focus(
    live_server, page, axe, portal, viewport
):
    if viewport:
        page.set_viewport_size(viewport)
    open_page(page, f"{live_server.url}/veranstaltungen/{NETWORK}/")
    form = page.locator("form.registration-form")
    form.get_by_label("Vor- und Nachname (Pflichtangabe)").fill("Erika Mustermann")
    form.get_by_label("E-Mail-Adresse (Pflichtangabe)").fill("erika@example.org")
    form.locator("#id_consent").check()
    form.get_by_role("button", name="Verbindlich anmelden").click()

    assert urlsplit(page.url).fragment == "anmeldung-ergebnis"
    outcome = page.locator("#anmeldung-ergebnis")
    assert outcome.get_attribute("role") == "status"
    # ``autofocus`` is applied by the browser at the next rendering step after load.
    expect(outcome).to_be_focused(timeout=3000)  # retried by Playwright, no eval (CSP)
    assert "Wir haben Ihnen eine E-Mail geschickt" in outcome.inner_text()
    box = outcome.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and 0 <= box["y"] < height, "the outcome is in view"
    assert page.locator("form.registration-form").count() == 0
    check_page(axe, page, h1="Online-Netzwerktreffen Daseinsvorsorge")
    # A reload shows the outcome again, not an empty form.
    page.reload()
    assert page.locator("form.registration-form").count() == 0
    if viewport:
        assert_no_horizontal_overflow(page)


def test_municipality_page_and_menu_on_a_phone(live_server, page, axe, portal):
    page.set_viewport_size(PHONE)
    open_page(page, live_server.url + "/kommunen/12069304/")
    check_page(axe, page, h1="Kleinmachnow")
    assert_no_horizontal_overflow(page)

    # Facts: each term above its value, nothing cut off.
    facts = page.locator("dl.facts")
    assert facts.bounding_box()["width"] <= PHONE["width"]
    # The similar-towns table scrolls sideways in a labelled, focusable region; rows stay short.
    region = page.locator(".table-scroll").filter(has=page.locator("table.similar-table"))
    assert region.get_attribute("role") == "region"
    assert (
        "ähnlichem Profil"
        in page.locator(f"#{region.get_attribute('aria-labelledby')}").inner_text()
    )
    assert region.get_attribute("tabindex") == "0"
    row_heights = [
        row.bounding_box()["height"] for row in page.locator("table.similar-table tbody tr").all()
    ]
    assert row_heights and max(row_heights) < 200, row_heights

    # The navigation collapses behind a menu button.
    button = page.get_by_role("button", name="Menü")
    assert button.get_attribute("aria-expanded") == "false"
    nav_list = page.locator("#main-nav-list")
    assert not nav_list.is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert nav_list.get_by_role("link", name="Veranstaltungen").is_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    check_page(axe, page, h1="Kleinmachnow")


def test_navigation_without_javascript_stays_open(live_server, browser, portal):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        assert page.locator(".nav-toggle").is_hidden()
        assert page.locator("#main-nav-list").get_by_role("link", name="Kommunen").is_visible()
    finally:
        context.close()
