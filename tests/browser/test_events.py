"""Events in a real browser: list with filters, event and series pages, registration with the
double opt-in and the waiting list — axe-core on each page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import check_page, open_page

pytestmark = pytest.mark.django_db(transaction=True)

WORKSHOP = "demo-werkstatt-innenentwicklung"  # capacity 25, two required questions
NETWORK = "demo-netzwerktreffen-daseinsvorsorge"  # capacity 3, waiting list
CONFIRM_PATH = re.compile(r"/veranstaltungen/anmeldung/[^/\s]+/bestaetigen/")


def _event_titles(page) -> list[str]:
    return page.locator(".event-cards > li h2").all_inner_texts()


def _assert_field_errors(page, *field_ids: str) -> None:
    """An alert sums up; each field is marked invalid and names its own message."""
    assert page.locator("#form-errors").get_attribute("role") == "alert"
    for field_id in field_ids:
        field = page.locator(f"#{field_id}")
        assert field.get_attribute("aria-invalid") == "true", field_id
        described = (field.get_attribute("aria-describedby") or "").split()
        assert f"{field_id}-error" in described, field_id
        assert page.locator(f"#{field_id}-error").inner_text().strip(), field_id


def test_event_list_filters_and_series(live_server, page, axe, portal):
    open_page(page, live_server.url + "/veranstaltungen/")
    check_page(axe, page, h1="Veranstaltungen")
    upcoming = _event_titles(page)
    assert len(upcoming) == 3
    assert all("(Demo)" in title for title in upcoming)
    assert page.locator(".main-nav a[aria-current='page']").inner_text() == "Veranstaltungen"

    form = page.get_by_role("form", name="Veranstaltungen filtern")
    form.get_by_label("vergangene").check()
    form.get_by_role("button", name="Filtern").click()
    assert parse_qs(urlsplit(page.url).query)["zeit"] == ["past"]
    check_page(axe, page, h1="Veranstaltungen")
    past = _event_titles(page)
    assert len(past) == 7
    assert all("Herbst-Konferenz 2020" in title for title in past)
    assert "7 Veranstaltungen" in page.get_by_role("status").first.inner_text()

    # Format filter on all events: only online ones remain; the URL is shareable.
    form = page.get_by_role("form", name="Veranstaltungen filtern")
    form.get_by_label("alle", exact=True).check()
    form.get_by_label("Format").select_option("onsite")
    form.get_by_role("button", name="Filtern").click()
    query = parse_qs(urlsplit(page.url).query)
    assert query["zeit"] == ["all"] and query["format"] == ["onsite"]
    onsite = _event_titles(page)
    assert onsite == ["Werkstatt Innenentwicklung: Leerstand aktivieren (Demo)"]
    shared = page.url
    open_page(page, shared)
    assert _event_titles(page) == onsite

    # Series page from a card.
    open_page(page, live_server.url + "/veranstaltungen/?zeit=past")
    series = "Herbst-Konferenz 2020 — Was macht Kommunen innovativ?"
    page.get_by_role("link", name=series).first.click()
    assert urlsplit(page.url).path == "/veranstaltungen/reihen/herbst-konferenz-2020/"
    check_page(axe, page, h1="Herbst-Konferenz 2020")


def test_past_event_detail_with_agenda_and_materials(live_server, page, axe, portal):
    open_page(page, live_server.url + "/veranstaltungen/herbst-konferenz-2020-auftakt/")
    check_page(axe, page, h1="Was macht Kommunen innovativ?")
    agenda = page.locator("table").filter(has=page.locator("caption"))
    assert agenda.locator("caption").inner_text().startswith("Ablauf")
    assert agenda.locator("th[scope='row']").count() == 3
    assert "Harald Welzer" in agenda.inner_text()
    assert page.locator("#materialien").count() == 1
    section = page.locator("#anmeldung")
    assert "bereits stattgefunden" in section.inner_text()
    assert section.locator("form").count() == 0


def test_registration_errors_then_success_and_double_opt_in(live_server, page, axe, portal):
    from ortswandel.core.models import QueuedMail
    from ortswandel.events.models import Registration, RegistrationStatus

    url = f"{live_server.url}/veranstaltungen/{WORKSHOP}/"
    open_page(page, url)
    check_page(axe, page, h1="Werkstatt Innenentwicklung")
    assert page.locator(".badge-demo").count() == 1
    form = page.locator("form.registration-form")
    assert "Noch 25 Plätze frei" in page.locator("#anmeldung").inner_text()

    # Submitting without anything: errors announced at the top and tied to each field.
    form.get_by_role("button", name="Verbindlich anmelden").click()
    assert urlsplit(page.url).path == f"/veranstaltungen/{WORKSHOP}/"
    _assert_field_errors(page, "id_name", "id_email")
    check_page(axe, page, h1="Werkstatt Innenentwicklung")

    # Name and e-mail given, consent missing: the consent checkbox carries the error.
    form = page.locator("form.registration-form")
    form.get_by_label("Vor- und Nachname (Pflichtangabe)").fill("Erika Mustermann")
    form.get_by_label("E-Mail-Adresse (Pflichtangabe)").fill("erika@example.org")
    form.get_by_role("button", name="Verbindlich anmelden").click()
    _assert_field_errors(page, "id_consent")
    assert page.locator("#id_name").input_value() == "Erika Mustermann"
    assert Registration.objects.count() == 0

    # Now complete: the organiser's questions and the consent.
    form = page.locator("form.registration-form")
    form.get_by_label("Verpflegung").select_option("vegetarisch")
    form.get_by_label("Ich bin einverstanden, dass während der Werkstatt fotografiert").check()
    form.locator("#id_consent").check()
    form.get_by_role("button", name="Verbindlich anmelden").click()

    assert urlsplit(page.url).path == f"/veranstaltungen/{WORKSHOP}/"
    status = page.get_by_role("status").first
    assert "Wir haben Ihnen eine E-Mail geschickt" in status.inner_text()
    check_page(axe, page, h1="Werkstatt Innenentwicklung")
    assert "Noch 24 Plätze frei" in page.locator("#anmeldung").inner_text()
    registration = Registration.objects.get(email="erika@example.org")
    assert registration.status == RegistrationStatus.PENDING

    # The link from the confirmation mail: confirm, then the personal status page.
    mail = QueuedMail.objects.filter(to="erika@example.org").latest("id")
    path = CONFIRM_PATH.search(mail.body)
    assert path, mail.body
    open_page(page, live_server.url + path.group(0))
    check_page(axe, page, h1="Anmeldung bestätigen")
    page.get_by_role("button", name="Ja, Anmeldung bestätigen").click()
    assert "/veranstaltungen/anmeldung/" in page.url
    assert "bestätigt" in page.get_by_role("status").first.inner_text()
    check_page(axe, page)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_full_event_puts_people_on_the_waiting_list(live_server, page, axe, portal):
    from ortswandel.events.models import Event, Registration, RegistrationStatus
    from ortswandel.events.services import registration_create

    event = Event.objects.get(slug=NETWORK)
    for number in range(event.capacity):
        registration_create(
            event=event, name=f"Person {number}", email=f"p{number}@example.org", consent=True
        )
    url = f"{live_server.url}/veranstaltungen/{NETWORK}/"
    open_page(page, url)
    check_page(axe, page, h1="Online-Netzwerktreffen Daseinsvorsorge")
    section = page.locator("#anmeldung")
    assert "Warteliste" in section.inner_text()
    form = section.locator("form.registration-form")
    form.get_by_label("Vor- und Nachname (Pflichtangabe)").fill("Max Mustermann")
    form.get_by_label("E-Mail-Adresse (Pflichtangabe)").fill("max@example.org")
    form.locator("#id_consent").check()
    form.get_by_role("button", name="Auf die Warteliste setzen").click()

    status = page.get_by_role("status").first
    assert "Sie stehen auf der Warteliste" in status.inner_text()
    check_page(axe, page, h1="Online-Netzwerktreffen Daseinsvorsorge")
    registration = Registration.objects.get(email="max@example.org")
    assert registration.status == RegistrationStatus.WAITLISTED


SERIES = "demo-werkstattreihe"
CANCEL_PATH = re.compile(r"/veranstaltungen/anmeldung/[^/\s]+/abmelden/")


def test_series_registration_in_one_step_then_cancel_by_link(live_server, page, axe, portal):
    from ortswandel.core.models import QueuedMail
    from ortswandel.events.models import Registration, RegistrationStatus

    open_page(page, f"{live_server.url}/veranstaltungen/reihen/{SERIES}/")
    check_page(axe, page, h1="Werkstattreihe")
    form = page.locator("#anmeldung form.registration-form")
    # Nothing chosen: the event fieldset carries the error.
    form.get_by_label("Vor- und Nachname (Pflichtangabe)").fill("Jana Beispiel")
    form.get_by_label("E-Mail-Adresse (Pflichtangabe)").fill("jana@example.org")
    form.locator("#id_consent").check()
    form.get_by_role("button", name="Für die ausgewählten Termine anmelden").click()
    assert page.locator("#events-error").inner_text().strip()
    check_page(axe, page, h1="Werkstattreihe")

    form = page.locator("#anmeldung form.registration-form")
    for box in form.locator("input[name='events']").all():
        box.check()
    form.locator("#id_consent").check()
    form.get_by_role("button", name="Für die ausgewählten Termine anmelden").click()
    assert "2 Veranstaltungen angemeldet" in page.get_by_role("status").first.inner_text()
    check_page(axe, page, h1="Werkstattreihe")
    rows = Registration.objects.filter(email="jana@example.org")
    assert rows.count() == 2 and len({r.batch for r in rows}) == 1
    assert QueuedMail.objects.filter(to="jana@example.org").count() == 1  # one mail for both

    # Cancel one of them through the link in the mail, without an account.
    mail = QueuedMail.objects.get(to="jana@example.org")
    path = CANCEL_PATH.search(mail.body)
    assert path, mail.body
    open_page(page, live_server.url + path.group(0))
    check_page(axe, page, h1="Von der Veranstaltung abmelden")
    page.get_by_role("button", name="Ja, abmelden").click()
    assert "abgemeldet" in page.get_by_role("status").first.inner_text()
    check_page(axe, page, h1="Meine Anmeldung")
    statuses = sorted(rows.values_list("status", flat=True))
    assert statuses == sorted([RegistrationStatus.CANCELLED, RegistrationStatus.PENDING])


def test_organiser_back_office_pages(live_server, page, axe, portal, django_user_model):
    from django.contrib.auth.models import Permission

    from ortswandel.events.models import Event
    from ortswandel.events.services import registration_confirm, registration_create

    password = "Orga-2026-sicher!"
    editor = django_user_model.objects.create_user(
        username="orga@example.org", email="orga@example.org", password=password, is_staff=True
    )
    editor.user_permissions.set(Permission.objects.filter(content_type__app_label="events"))
    portal["programme"].editors.add(editor)
    event = Event.objects.get(slug=NETWORK)
    for number in range(4):  # capacity 3: one on the waiting list
        registration = registration_create(
            event=event,
            name=f"Person {number}",
            email=f"p{number}@example.org",
            consent=True,
            land_code="12",
        )
        if number == 0:
            registration_confirm(registration=registration)

    open_page(page, live_server.url + "/konto/anmelden/")
    page.locator("input[name='username']").fill("orga@example.org")
    page.locator("input[name='password']").fill(password)
    page.locator("main").get_by_role("button", name="Anmelden").click()

    open_page(page, live_server.url + "/veranstaltungen/organisation/")
    check_page(axe, page, h1="Veranstaltungsorganisation")
    page.get_by_role("link", name=event.title).first.click()
    check_page(axe, page, h1="Teilnehmende")
    assert "p3@example.org" in page.inner_text("main")
    page.get_by_role("button", name="Teilnahme speichern").click()
    check_page(axe, page, h1="Teilnehmende")

    open_page(page, f"{live_server.url}/veranstaltungen/organisation/{NETWORK}/nachricht/")
    check_page(axe, page, h1="Nachricht an Teilnehmende")
    page.get_by_role("button", name="Nachricht senden").click()
    assert page.locator("[aria-invalid='true']").count() >= 2  # subject and text
    check_page(axe, page, h1="Nachricht an Teilnehmende")

    open_page(page, live_server.url + "/veranstaltungen/organisation/statistik/")
    check_page(axe, page, h1="Statistik")
    assert "Brandenburg" in page.inner_text("main")
