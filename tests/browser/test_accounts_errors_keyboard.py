"""Account forms, error pages, keyboard use and the English version in a real browser."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import check_page, open_page

pytestmark = pytest.mark.django_db(transaction=True)


def _described_by_text(page, locator) -> str:
    """Text of every element named in ``aria-describedby`` of ``locator``."""
    ids = (locator.get_attribute("aria-describedby") or "").split()
    return " ".join(page.locator(f"[id='{i}']").inner_text() for i in ids)


def test_login_and_password_reset_forms(live_server, page, axe):
    open_page(page, live_server.url + "/konto/anmelden/")
    check_page(axe, page, h1="Anmelden")
    page.locator("input[name='username']").fill("niemand@example.org")
    page.locator("input[name='password']").fill("falsch-falsch")
    page.locator("main").get_by_role("button", name="Anmelden").click()
    assert urlsplit(page.url).path == "/konto/anmelden/"
    alert = page.get_by_role("alert")
    assert alert.count() == 1
    assert alert.inner_text().strip()
    check_page(axe, page, h1="Anmelden")

    page.get_by_role("link", name="Passwort vergessen?").click()
    assert urlsplit(page.url).path == "/konto/passwort/zuruecksetzen/"
    check_page(axe, page, h1="Passwort zurücksetzen")
    page.get_by_label("E-Mail").fill("planerin@example.org")
    page.get_by_role("button", name="Link anfordern").click()
    assert urlsplit(page.url).path == "/konto/passwort/zuruecksetzen/gesendet/"
    check_page(axe, page)


def test_signup_errors_are_announced_and_tied_to_fields_then_succeeds(
    live_server, page, axe, django_user_model
):
    open_page(page, live_server.url + "/konto/registrieren/")
    check_page(axe, page, h1="Konto anlegen")
    page.get_by_label("E-Mail-Adresse").fill("kein-at-zeichen")
    page.get_by_label("Passwort").fill("123")
    page.locator("main").get_by_role("button", name="Konto anlegen").click()

    assert urlsplit(page.url).path == "/konto/registrieren/"
    alert = page.get_by_role("alert")
    assert alert.count() == 1
    assert "Bitte prüfen Sie Ihre Eingaben" in alert.inner_text()
    # The summary links to the fields; every invalid field says so and names its message.
    assert alert.locator("a[href='#id_email']").count() == 1
    for name in ("email", "password", "privacy"):
        field = page.locator(f"#id_{name}")
        assert field.get_attribute("aria-invalid") == "true", name
        assert _described_by_text(page, field).strip(), f"{name}: error not tied to the field"
    alert.locator("a[href='#id_email']").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    check_page(axe, page, h1="Konto anlegen")

    page.get_by_label("E-Mail-Adresse").fill("neu@example.org")
    page.get_by_label("Passwort").fill("Kommune-2026-sicher!")
    page.get_by_label("Ich bin").select_option(index=1)
    page.locator("#id_privacy").check()
    page.locator("main").get_by_role("button", name="Konto anlegen").click()
    # The account waits for its e-mail address (tests/accounts/test_email_verification.py).
    assert urlsplit(page.url).path == "/konto/registrieren/gesendet/"
    check_page(axe, page, h1="Bitte prüfen Sie Ihr Postfach")
    assert "neu@example.org" in page.locator("main").inner_text()
    user = django_user_model.objects.get(email="neu@example.org")
    assert not user.is_active


def test_error_pages_404_and_400(live_server, page, axe):
    open_page(page, live_server.url + "/projekte/gibt-es-nicht/", status=404)
    check_page(axe, page, h1="Seite nicht gefunden")
    assert page.get_by_role("link", name="Zur Startseite").count() == 1

    open_page(page, live_server.url + "/projekte/?page=abc", status=400)
    check_page(axe, page, h1="Die Anfrage konnte nicht verarbeitet werden")
    alert = page.get_by_role("alert")
    assert "„abc“ ist keine gültige Seitenzahl" in alert.inner_text()

    open_page(page, live_server.url + "/projekte/?sort=egal", status=400)
    assert "Sortierung" in page.get_by_role("alert").inner_text()


def test_skip_link_focuses_main_and_focus_is_visible(live_server, page, axe):
    open_page(page, live_server.url + "/impressum/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Zum Inhalt springen"
    # Visible focus: the focused link is on screen and has a focus outline.
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert outline[0] != "none" and outline[1] != "0px", outline
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert urlsplit(page.url).fragment == "main"

    # The next Tab continues inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")

    # Every focusable element in the header shows a focus indicator when tabbed to.
    page.goto(live_server.url + "/impressum/")
    for _ in range(6):
        page.keyboard.press("Tab")
        style = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, s.boxShadow]; })()"
        )
        assert style[1] != "none" or style[2] != "none", style


def test_english_version(live_server, page, axe, portal):
    open_page(page, live_server.url + "/en/")
    check_page(axe, page, lang="en")
    assert page.locator("a.skip-link").get_attribute("href") == "#main"

    open_page(page, live_server.url + "/en/projekte/")
    check_page(axe, page, lang="en")
    assert page.locator(".project-cards > li").count() == 20

    # The language switch leads from the German page to the English one and back.
    open_page(page, live_server.url + "/projekte/")
    page.get_by_role("button", name="English").click()
    assert urlsplit(page.url).path == "/en/projekte/"
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Deutsch").click()
    assert urlsplit(page.url).path == "/projekte/"
    assert page.locator("html").get_attribute("lang") == "de"
