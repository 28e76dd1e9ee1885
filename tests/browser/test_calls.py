"""Calls in a real browser: the applicant's, the juror's and the chair's flow, axe-core on every
page (also on a page with form errors and at 390 px)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ortswandel.calls import demo
from ortswandel.calls.models import Application, ApplicationStatus, Call, CallPhase
from ortswandel.calls.services import (
    application_create,
    call_set_phase,
    decision_take,
    milestone_add,
    review_save,
)
from ortswandel.catalogue.models import Programme, ProgrammeKind
from tests.calls import conftest as calls_fixtures
from tests.calls.test_demo import TOWNS
from tests.conftest import _municipality

from .conftest import check_page, login, measure_page_weight, open_page, session_cookies

pytestmark = pytest.mark.django_db(transaction=True)

# the calls fixtures (an open call, an application, a jury)
_calls_settings = calls_fixtures._calls_settings
call = calls_fixtures.call
applicant = calls_fixtures.applicant
application = calls_fixtures.application
juror = calls_fixtures.juror
jury_chair = calls_fixtures.jury_chair


def test_applicant_flow(live_server, page, axe, call, applicant, staff_municipality):  # noqa: PLR0917
    base = live_server.url + "/ausschreibungen/"
    open_page(page, base)
    check_page(axe, page, h1="Ausschreibungen")
    login(page, live_server, applicant)
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
    login(page, live_server, juror)
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
    login(page, live_server, jury_chair)
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


#: Budget per page type in compressed bytes (as tests/browser/test_page_weights.py).
BUDGET = 150_000


def test_page_weights_of_the_calls_pages(live_server, page, axe, site_admin):
    """First load, everything included, compressed, signed in: the applicant's form, the
    juror's review page and the chair's meeting page of the demo calls. Then the funding page
    with an overdue and a due report (axe, also at 390 px)."""
    Programme.objects.create(
        name="Meine Stadt der Zukunft",
        slug="meine-stadt-der-zukunft",
        kind=ProgrammeKind.STATE_INITIATIVE,
        status="published",
    )
    towns = {ags: _municipality(ags, name) for ags, name in TOWNS.items()}
    users = {u.username: u for u in demo.accounts(password="demo-pass-123")}
    demo.load()
    open_call = Call.objects.get(slug="msdz-demo-bewerbung")
    jury_call = Call.objects.get(slug="msdz-demo-jury")
    draft = application_create(
        call=open_call,
        municipality=towns["12073452"],
        title="Uckerpromenade (Entwurf)",
        acting_user=users["bewerbung"],
    )
    reviewed = Application.objects.filter(call=jury_call).order_by("pk").first()
    pages = [
        ("Bewerbungsformular", "bewerbung", f"bewerbung/{draft.pk}/bearbeiten/", draft.title),
        ("Bewertung (Jury)", "jury", f"bewerbung/{reviewed.pk}/bewertung/", "Bewertung"),
        ("Jurysitzung", "jury-vorsitz", f"{jury_call.slug}/sitzung/", "Jurysitzung"),
    ]
    for name, username, path, h1 in pages:
        record = measure_page_weight(
            page,
            f"{live_server.url}/ausschreibungen/{path}",
            name=name,
            cookies=session_cookies(live_server, users[username]),
        )
        assert h1 in page.locator("h1").inner_text(), page.url  # signed in, the page itself
        assert record["bytes"] > 1_000, record  # the HTML itself was counted
        assert record["bytes"] <= BUDGET, f"{name}: {record['bytes']} bytes > {BUDGET}"
        print(
            f"{name}: {record['bytes']} bytes in {record['requests']} requests {record['by_type']}"
        )

    # the funding page with reports due (programme managers)
    decision_take(application=reviewed, outcome="selected", reason="Demo", acting_user=site_admin)
    today = timezone.localdate()
    for days, label in ((-3, "Zwischenbericht"), (5, "Sachbericht")):
        milestone_add(
            application=reviewed,
            kind="report",
            due_on=today + dt.timedelta(days=days),
            label=label,
            acting_user=site_admin,
        )
    page.context.clear_cookies()
    login(page, live_server, site_admin)
    open_page(page, f"{live_server.url}/ausschreibungen/{jury_call.slug}/foerderung/")
    check_page(axe, page, h1="Förderung")
    assert "überfällig seit 3 Tagen" in page.locator("#berichte-h ~ div table").inner_text()
    page.set_viewport_size({"width": 390, "height": 800})
    check_page(axe, page)
