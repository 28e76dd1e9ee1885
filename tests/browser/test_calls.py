"""Calls in a real browser: the applicant's, the juror's and the chair's flow, axe-core on every
page (also on a page with form errors and at 390 px)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from ortswandel.calls.models import Application, ApplicationStatus, CallPhase
from ortswandel.calls.services import call_set_phase, review_save
from tests.calls import conftest as calls_fixtures

from .conftest import check_page, open_page

pytestmark = pytest.mark.django_db(transaction=True)

# the calls fixtures (an open call, an application, a jury)
_calls_settings = calls_fixtures._calls_settings
call = calls_fixtures.call
applicant = calls_fixtures.applicant
application = calls_fixtures.application
juror = calls_fixtures.juror
jury_chair = calls_fixtures.jury_chair


def _login(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_applicant_flow(live_server, page, axe, call, applicant, staff_municipality):  # noqa: PLR0917
    base = live_server.url + "/ausschreibungen/"
    open_page(page, base)
    check_page(axe, page, h1="Ausschreibungen")
    _login(page, live_server, applicant)
    open_page(page, base + call.slug + "/")
    check_page(axe, page, h1=call.title)
    page.get_by_role("link", name="Bewerbung beginnen").click()
    check_page(axe, page, h1="Bewerbung beginnen")
    page.get_by_label("Titel des Vorhabens").fill("Neue Mitte")
    page.get_by_role("button", name="Entwurf anlegen").click()
    check_page(axe, page, h1="Neue Mitte")
    # submitting an incomplete draft: an alert, each field marked and described
    page.get_by_role("button", name="Verbindlich einreichen").click()
    assert page.locator("#fehler").get_attribute("role") == "alert"
    field = page.locator("#id_kurzbeschreibung")
    assert field.get_attribute("aria-invalid") == "true"
    assert "kurzbeschreibung-error" in (field.get_attribute("aria-describedby") or "")
    check_page(axe, page)
    page.locator("#id_kurzbeschreibung").fill("Den Marktplatz beleben.")
    page.locator("#id_beteiligte").fill("80")
    page.locator("#id_schwerpunkt").select_option("Innenstadt")
    for year in (2024, 2025):
        page.locator(f"#id_budget_{year}_total").fill("50000")
        page.locator(f"#id_budget_{year}_own").fill("10000")
    page.set_viewport_size({"width": 390, "height": 800})
    check_page(axe, page)
    page.get_by_role("button", name="Verbindlich einreichen").click()
    check_page(axe, page, h1="Neue Mitte")
    assert "eingereicht" in page.locator(".facts").inner_text()
    assert Application.objects.get(title="Neue Mitte").status == ApplicationStatus.SUBMITTED
    open_page(page, base + "meine/")
    check_page(axe, page, h1="Meine Bewerbungen")


def test_juror_and_chair_flow(live_server, page, axe, call, application, juror, jury_chair):  # noqa: PLR0917
    call_set_phase(call=call, phase=CallPhase.REVIEW, acting_user=None)
    ids = list(call.criteria.values_list("pk", flat=True))
    review_save(
        application=application, acting_user=jury_chair, values=dict.fromkeys(ids, 5), submit=True
    )
    base = live_server.url + "/ausschreibungen/"
    _login(page, live_server, juror)
    open_page(page, base + call.slug + "/jury/")
    check_page(axe, page, h1="Begutachtung")
    page.get_by_role("link", name=application.title).click()
    check_page(axe, page, h1="Bewertung")
    assert "Sichtbar, sobald Sie Ihre eigene Bewertung abgegeben haben" in page.content()
    for pk in ids:
        page.locator(f"#id_score_{pk}").select_option("3")
    page.get_by_role("button", name="Bewertung abgeben").click()
    check_page(axe, page, h1="Bewertung")
    assert page.locator("table").count() == 1  # the others' scores, now visible

    page.context.clear_cookies()
    _login(page, live_server, jury_chair)
    open_page(page, base + call.slug + "/sitzung/")
    check_page(axe, page, h1="Jurysitzung")
    page.get_by_role("link", name=f"entscheiden – {application.title}").click()
    page.get_by_label("Entscheidung", exact=True).select_option("selected")
    page.get_by_label("Begründung (geht an die Bewerbenden)").fill("Stimmiges Konzept.")
    page.get_by_role("button", name="Entscheidung speichern").click()
    check_page(axe, page, h1="Jurysitzung")
    assert "Stimmiges Konzept." in page.locator("table.ranking").inner_text()
    open_page(page, base + call.slug + "/verwaltung/")
    check_page(axe, page, h1="Jury und Phasen")
