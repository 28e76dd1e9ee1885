"""Participation in a real browser, desktop and 390 px: the process page with timeline and map,
placing an idea with the arrow keys, German errors next to the fields, the idea page with a
comment, and the moderator's feedback and results — axe-core on each page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from .conftest import check_page, open_page

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def setup(django_user_model):
    from ortswandel.participation.models import Category, Participant, Phase, Process
    from tests.conftest import _municipality

    municipality = _municipality("12069616", "Stahnsdorf")
    now = timezone.now()
    process = Process.objects.create(
        title="Stahnsdorf 2035 (Test)",
        slug="stahnsdorf-2035",
        municipality=municipality,
        is_published=True,
        code_of_conduct="Respektvoll bleiben.",
    )
    for kind, name, start, end in [
        ("information", "Auftakt", -20, -10),
        ("ideas", "Ideen sammeln", -10, 10),
        ("results", "Ergebnisse", 10, 40),
    ]:
        Phase.objects.create(
            process=process,
            kind=kind,
            name=name,
            starts_at=now + dt.timedelta(days=start),
            ends_at=now + dt.timedelta(days=end),
        )
    Category.objects.create(process=process, name="Verkehr")
    participant = django_user_model.objects.create_user(username="anna", email="anna@example.org")
    Participant.objects.create(
        process=process, user=participant, display_name="Anna", accepted_code_at=now, trusted=True
    )
    moderator = django_user_model.objects.create_user(username="mod", email="mod@example.org")
    process.moderators.add(moderator)
    from ortswandel.municipalities import maps

    maps.outline_path(municipality.ags)  # parse the boundary files before the 5 s page timeout
    return {"process": process, "participant": participant, "moderator": moderator}


def _login(page, live_server, user) -> None:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "ortswandel.accounts.throttle.ThrottledModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )


def _no_horizontal_overflow(page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_participant_places_an_idea_and_comments(live_server, page, axe, setup, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    process = setup["process"]
    _login(page, live_server, setup["participant"])
    open_page(page, f"{live_server.url}/beteiligung/{process.slug}/")
    check_page(axe, page, h1="Stahnsdorf 2035")
    assert page.locator(".timeline [aria-current='step']").inner_text().startswith("Ideen sammeln")
    page.get_by_role("link", name="Idee einreichen").click()
    check_page(axe, page, h1="Idee einreichen")

    # Keyboard placement: focus the map, arrows move the marker; the select follows.
    page.locator("#pmap-place").focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowDown"):
        page.keyboard.press(key)
    assert page.locator("#id_cell").input_value() == "G6"

    # Submit without a title: German message next to the field.
    page.get_by_label("Beschreibung", exact=True).fill("Eine Bank am Dorfplatz.")
    page.get_by_role("button", name="Einreichen").click()
    title = page.locator("#id_title")
    assert title.get_attribute("aria-invalid") == "true"
    assert "id_title-error" in (title.get_attribute("aria-describedby") or "")
    assert (
        "Pflichtfeld" in page.locator("#id_title-error").inner_text()
        or page.locator("#id_title-error").inner_text().strip()
    )
    check_page(axe, page, h1="Idee einreichen")

    title.fill("Bank am Dorfplatz")
    page.get_by_label("Ort (Adresse oder Beschreibung)").fill("Dorfplatz")
    page.get_by_role("button", name="Einreichen").click()
    check_page(axe, page, h1="Bank am Dorfplatz")
    assert "Planquadrat G6" in page.locator("dl.facts").inner_text()

    page.get_by_label("Ihr Kommentar").fill("Schöne Idee!")
    page.get_by_role("button", name="Kommentieren").click()
    assert "Schöne Idee!" in page.locator(".comments").inner_text()
    check_page(axe, page, h1="Bank am Dorfplatz")

    open_page(page, f"{live_server.url}/beteiligung/{process.slug}/")
    weight = page.evaluate(
        "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".reduce((sum, e) => sum + (e.encodedBodySize || 0), 0)"
    )
    width = "390px" if viewport else "desktop"
    print(f"page weight /beteiligung/<slug>/ ({width}): {weight / 1024:.1f} kB")
    assert weight < 300 * 1024  # a municipal connection: no map tiles, no chart library
    assert page.locator("circle.pmap-point").count() == 1
    assert "Planquadrat G6" in page.locator(".ideas").inner_text()
    if viewport:
        _no_horizontal_overflow(page)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_moderator_gives_feedback_and_records_a_result(live_server, page, axe, setup, viewport):
    from ortswandel.participation.models import Idea

    if viewport:
        page.set_viewport_size(viewport)
    process = setup["process"]
    idea = Idea.objects.create(
        process=process,
        author=setup["participant"],
        author_name="Anna",
        title="Mehr Bänke",
        text="x",
    )
    _login(page, live_server, setup["moderator"])
    open_page(page, f"{live_server.url}/beteiligung/{process.slug}/moderation/")
    check_page(axe, page, h1="Moderation")
    page.get_by_label("Status").first.select_option("taken_up")
    page.get_by_label("Begründung").first.fill("Kommt 2027.")
    page.get_by_role("button", name="Rückmeldung speichern").first.click()
    idea.refresh_from_db()
    assert idea.feedback_status == "taken_up"

    page.get_by_label("Was wurde beschlossen?").fill("Zehn neue Bänke")
    page.get_by_label("Mehr Bänke").check()
    page.get_by_role("button", name="Ergebnis anlegen").click()
    check_page(axe, page, h1="Was daraus wurde")
    assert "Mehr Bänke" in page.locator(".outcome").inner_text()
    open_page(page, f"{live_server.url}/beteiligung/{process.slug}/abschlussbericht/")
    check_page(axe, page, h1="Abschlussbericht")
    if viewport:
        _no_horizontal_overflow(page)
