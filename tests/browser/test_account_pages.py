"""Account pages in a real browser: axe-core on every page type, including error states."""

from __future__ import annotations

import pytest

from .conftest import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Kommune-2026-sicher!"


def test_anonymous_account_pages_are_accessible(live_server, page, axe):
    for path in [
        "/konto/anmelden/",
        "/konto/registrieren/",
        "/konto/passwort/zuruecksetzen/",
        "/konto/passwort/zuruecksetzen/gesendet/",
        "/konto/passwort/neu/fertig/",
        "/konto/passwort/neu/MQ/ungueltig-token/",
        "/konto/registrieren/gesendet/",
        "/konto/bestaetigen/neuer-link/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert serious_violations(axe, page) == [], path


def test_signup_errors_are_announced_and_tied_to_fields(live_server, page, axe):
    page.goto(f"{live_server.url}/konto/registrieren/")
    page.fill("#id_email", "kaputt")
    page.click("button.primary")
    assert page.locator("[role=alert]").count() >= 1
    email = page.locator("#id_email")
    assert email.get_attribute("aria-invalid") == "true"
    described = email.get_attribute("aria-describedby") or ""
    assert described and page.locator(f"#{described.split()[0]}").is_visible()
    assert serious_violations(axe, page) == []


def test_signed_in_account_pages_are_accessible(live_server, page, axe, django_user_model):
    django_user_model.objects.create_user(
        username="planerin@example.org", email="planerin@example.org", password=PASSWORD
    )
    page.goto(f"{live_server.url}/konto/anmelden/")
    page.fill("#id_username", "planerin@example.org")
    page.fill("#id_password", "falsch")
    page.click("button.primary")
    assert page.locator("[role=alert]").count() >= 1
    assert serious_violations(axe, page) == []
    page.fill("#id_username", "planerin@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/konto/profil/")
    for path in ["/konto/profil/", "/konto/profil/loeschen/"]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        assert serious_violations(axe, page) == [], path


def test_email_verification_pages_are_accessible(live_server, page, axe, settings):
    """Sign-up → "check your inbox" → login before verification (message and resend button) →
    resend → link page with its button → active and signed in; plus the broken-link page."""
    from django.core import mail

    from ortswandel.accounts.models import ProfileKind

    settings.ORTSWANDEL_ACCOUNTS_MAIL_INTERVAL_MINUTES = 0
    email = "neu@example.org"
    page.goto(f"{live_server.url}/konto/registrieren/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.select_option("#id_kind", ProfileKind.CITIZEN)
    page.check("#id_privacy")
    page.click("button.primary")
    page.wait_for_url("**/konto/registrieren/gesendet/")
    assert page.locator("h1").count() == 1
    assert email in page.content()
    assert serious_violations(axe, page) == []

    page.goto(f"{live_server.url}/konto/anmelden/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    assert "noch nicht bestätigt" in page.locator("[role=alert]").inner_text()
    assert serious_violations(axe, page) == []
    page.click("text=Neuen Bestätigungslink senden")
    page.wait_for_url("**/konto/bestaetigen/neuer-link/")
    assert page.locator(".messages").count() == 1
    assert serious_violations(axe, page) == []

    assert len(mail.outbox) == 2
    link = next(word for word in mail.outbox[-1].body.split() if "/bestaetigen/" in word)
    path = link.split("//", 1)[1].split("/", 1)[1]
    page.goto(f"{live_server.url}/{path}")
    assert page.locator("h1").count() == 1
    assert serious_violations(axe, page) == []
    page.click("button.primary")
    page.wait_for_url("**/konto/profil/")
    assert serious_violations(axe, page) == []

    response = page.goto(f"{live_server.url}/{path}")
    assert response is not None and response.status == 400
    assert page.locator("h1").count() == 1
    assert page.locator("[role=alert]").count() == 1
    assert serious_violations(axe, page) == []
