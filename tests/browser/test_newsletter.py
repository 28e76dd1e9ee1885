"""The newsletter in a real browser: subscribe, confirm (link read from the mail in Django's
locmem outbox), an editor composes and sends an issue, the subscriber receives it and
unsubscribes in one click — desktop and 390 px, axe-core on every page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from .conftest import check_page, measure_page_weight, open_page

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"http://[^/\s]+(/newsletter/[a-z]+/[^/\s]+/)")


PAGE_BUDGET_BYTES = 150_000  # as every public page type (test_page_weights.py), compressed


def _fits(page, viewport) -> None:
    """At 390 px nothing scrolls sideways (wide tables scroll inside their own region)."""
    if viewport:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (page.url, width)


def _path(body: str, kind: str) -> str:
    for match in LINK.finditer(body):
        if f"/newsletter/{kind}/" in match.group(1):
            return match.group(1)
    raise AssertionError(body)


@pytest.fixture
def setup(transactional_db, django_user_model, settings):
    from ortswandel.catalogue.models import NewsItem, Programme, ProgrammeKind
    from ortswandel.core.models import PublicationStatus

    settings.ORTSWANDEL_RATELIMIT_ENABLED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    programme = Programme.objects.create(
        name="Kommunen innovativ (Test)",
        slug="kommunen-innovativ-test",
        kind=ProgrammeKind.FEDERAL_FUNDING,
        status=PublicationStatus.PUBLISHED,
    )
    NewsItem.objects.create(
        title="Neue Werkstattreihe",
        slug="neue-werkstattreihe",
        programme=programme,
        published_on=timezone.localdate() - dt.timedelta(days=1),
        status=PublicationStatus.PUBLISHED,
    )
    editor = django_user_model.objects.create_user(
        username="redaktion@example.org",
        email="redaktion@example.org",
        password="Kommune-2026-sicher!",
        is_staff=True,
    )
    programme.editors.add(editor)
    return programme


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_subscribe_confirm_receive_unsubscribe(live_server, page, axe, setup, mailoutbox, viewport):  # noqa: PLR0917
    from ortswandel.newsletter.models import Subscription, SubscriptionStatus

    settings_base = live_server.url
    if viewport:
        page.set_viewport_size(viewport)
    programme = setup

    # The sign-up box on the programme page.
    open_page(page, f"{settings_base}{programme.get_absolute_url()}")
    check_page(axe, page)
    box = page.locator(".newsletter-signup")
    box.get_by_label("E-Mail-Adresse").fill("leserin@example.org")
    box.get_by_role("button", name="Newsletter abonnieren").click()
    check_page(axe, page, h1="Bitte bestätigen Sie Ihre Adresse")
    assert "Wenn diese Adresse für diese Themen neu ist" in page.locator("main").inner_text()

    # The full form: errors are announced and tied to their fields.
    label = "Newsletter-Anmeldung" + (" (390 px)" if viewport else "")
    record = measure_page_weight(page, f"{settings_base}/newsletter/", name=label)
    assert 1_000 < record["bytes"] <= PAGE_BUDGET_BYTES, record
    page.get_by_role("button", name="Newsletter abonnieren").click()
    assert page.locator("[role=alert]").count() >= 1
    email = page.locator("#id_email")
    assert email.get_attribute("aria-invalid") == "true"
    check_page(axe, page, h1="Newsletter abonnieren")

    # Confirm with the link from the mail.
    confirm_mail = [m for m in mailoutbox if m.to == ["leserin@example.org"]][-1]
    open_page(page, settings_base + _path(confirm_mail.body, "bestaetigen"))
    check_page(axe, page, h1="Newsletter-Abonnement bestätigen")
    page.get_by_role("button", name="Abonnement bestätigen").click()
    check_page(axe, page, h1="Abonnement bestätigt")
    _fits(page, viewport)
    assert Subscription.objects.get().status == SubscriptionStatus.CONFIRMED

    # An editor composes, previews and sends an issue.
    open_page(page, f"{settings_base}/konto/anmelden/")
    page.fill("#id_username", "redaktion@example.org")
    page.fill("#id_password", "Kommune-2026-sicher!")
    page.click("main button.primary")
    open_page(page, f"{settings_base}/newsletter/redaktion/programm/{programme.slug}/")
    check_page(axe, page)
    _fits(page, viewport)
    assert page.get_by_label("Neue Werkstattreihe", exact=False).is_checked()  # new: preselected
    page.get_by_label("Betreff").fill("Neues aus Kommunen innovativ")
    page.get_by_role("button", name="Entwurf anlegen").click()
    check_page(axe, page, h1="Neues aus Kommunen innovativ")
    assert "Neue Werkstattreihe" in page.locator(".mail-preview").inner_text()
    assert "1 Adresse" in page.locator("main").inner_text()
    _fits(page, viewport)
    page.get_by_label("Ich habe die Vorschau geprüft").check()
    page.get_by_role("button", name="Jetzt versenden").click()
    check_page(axe, page)
    assert "versandt" in page.locator("main").inner_text()
    _fits(page, viewport)

    # The subscriber receives it: both parts, the RFC 8058 headers.
    issue_mail = [m for m in mailoutbox if m.subject == "Neues aus Kommunen innovativ"]
    assert len(issue_mail) == 1 and issue_mail[0].to == ["leserin@example.org"]
    message = issue_mail[0].message()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = message["List-Unsubscribe"].split(">")[0].lstrip("<")

    page.context.clear_cookies()  # the subscriber is not logged in
    if viewport is None:
        # From the link in the mail: a page with one button.
        open_page(page, settings_base + _path(issue_mail[0].body, "abmelden"))
        check_page(axe, page, h1="Vom Newsletter abmelden")
        page.get_by_role("button", name="Jetzt abmelden").click()
    else:
        # A mail client's one-click request: POST, no cookie, no CSRF token; then the page.
        response = page.request.post(
            one_click.replace("http://testserver", settings_base).replace(
                "http://127.0.0.1:8000", settings_base
            ),
            form={"List-Unsubscribe": "One-Click"},
        )
        assert response.status == 200
        open_page(page, settings_base + _path(issue_mail[0].body, "abmelden"))
    if viewport is None:
        check_page(axe, page, h1="Abgemeldet")
    else:
        check_page(axe, page, h1="Vom Newsletter abmelden")
        _fits(page, viewport)
    assert Subscription.objects.get().status == SubscriptionStatus.UNSUBSCRIBED
