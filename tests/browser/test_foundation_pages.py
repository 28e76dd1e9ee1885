"""Foundation pages in a real browser: navigation, skip link, language switch, axe-core."""

from __future__ import annotations

import pytest

from .conftest import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_skip_link_and_no_serious_axe_violations_on_error_page(live_server, page, axe):
    response = page.goto(f"{live_server.url}/gibt-es-nicht/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Seite nicht gefunden"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Zum Inhalt springen" in focused
    assert serious_violations(axe, page) == []


def test_legal_pages_are_accessible(live_server, page, axe):
    for path in ["/impressum/", "/datenschutz/", "/barrierefreiheit/", "/datenquellen/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert serious_violations(axe, page) == [], path
