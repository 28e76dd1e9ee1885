"""Participation in a real browser, desktop and 390 px: the process page with timeline and map,
placing an idea with the arrow keys, German errors next to the fields, the idea page with a
comment, and the moderator's feedback and results — axe-core on each page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import (
    assert_no_horizontal_overflow,
    check_page,
    login,
    measure_page_weight,
    open_page,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
#: Page-weight budget in compressed bytes (as tests/browser/test_page_weights.py).
BUDGET = 150_000


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


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_participant_places_an_idea_and_comments(live_server, page, axe, setup, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    process = setup["process"]
    login(page, live_server, setup["participant"])
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
    assert page.locator("circle.pmap-count").count() == 1
    assert page.get_by_role("link", name="Planquadrat G6: 1 Idee").count() == 1
    assert "Planquadrat G6" in page.locator(".ideas").inner_text()
    if viewport:
        assert_no_horizontal_overflow(page)


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
    login(page, live_server, setup["moderator"])
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
        assert_no_horizontal_overflow(page)


def _place_ideas(process, user, count: int) -> None:
    """``count`` ideas spread over the squares inside the municipality."""
    from ortswandel.participation import places, selectors
    from ortswandel.participation.models import Idea

    cells = places.offered_cells(process)
    Idea.objects.bulk_create(
        Idea(
            process=process,
            author=user,
            author_name="Anna",
            title=f"Idee {i:03d}",
            text="x",
            map_x=selectors.cell_position(cells[i % len(cells)])[0],
            map_y=selectors.cell_position(cells[i % len(cells)])[1],
            support_count=i % 7,
        )
        for i in range(count)
    )


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_paginated_list_and_map_of_many_ideas(live_server, page, axe, setup, viewport):
    process = setup["process"]
    _place_ideas(process, setup["participant"], 300)
    if viewport:
        page.set_viewport_size(viewport)
    url = f"{live_server.url}/beteiligung/{process.slug}/"
    open_page(page, url + "?sortierung=unterstuetzung")
    check_page(axe, page, h1="Stahnsdorf 2035")
    assert page.locator(".ideas > li").count() == 20
    counts = page.locator(".pmap-svg a")
    assert 0 < counts.count() <= 100  # one link per square, not one point per idea
    # Keyboard: Tab reaches the squares' links; Enter lists the ideas of that square.
    counts.first.focus()
    label = counts.first.get_attribute("aria-label") or ""
    cell = label.split(":")[0].removeprefix("Planquadrat ")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**planquadrat={cell}**")
    assert "sortierung=unterstuetzung" in page.url  # the sort order is kept
    assert f"im Planquadrat {cell}" in page.locator("#ideen-liste").inner_text()
    check_page(axe, page, h1="Stahnsdorf 2035")
    # The table "Ideen je Ort" is the text alternative of the map.
    page.get_by_text("Ideen je Ort (Tabelle)").click()
    table = page.get_by_role("table", name="Ideen je Ort")
    assert table.locator("tbody tr").count() == counts.count()
    check_page(axe, page, h1="Stahnsdorf 2035")
    # Pagination keeps the filters and the sort order.
    open_page(page, url + "?sortierung=alt")
    page.get_by_role("navigation", name="Seiten der Ideenliste").get_by_role(
        "link", name="Nächste Seite"
    ).click()
    page.wait_for_url("**page=2**")
    assert "sortierung=alt" in page.url
    assert page.locator(".ideas h3").first.inner_text() == "Idee 020"
    check_page(axe, page, h1="Stahnsdorf 2035")
    if viewport:
        assert_no_horizontal_overflow(page)


def test_page_weight_of_process_page_and_idea_list(live_server, page, setup):
    process = setup["process"]
    _place_ideas(process, setup["participant"], 2000)
    base = f"{live_server.url}/beteiligung/{process.slug}/"
    for name, url in [
        ("Beteiligungsprozess (2.000 Ideen)", base),
        ("Ideenliste, Seite 5 (2.000 Ideen)", base + "?sortierung=kommentare&page=5"),
    ]:
        record = measure_page_weight(page, url, name=name)
        print(f"page weight {name}: {record['bytes'] / 1024:.1f} kB {record['by_type']}")
        assert record["bytes"] > 1_000, record
        assert record["bytes"] <= BUDGET, f"{name}: {record['bytes']} bytes > {BUDGET}"


def test_keyboard_and_click_placement_skip_squares_outside(live_server, page, axe, setup):
    """Garding, Kirchspiel surrounds the town of Garding (a hole in its outline): the arrow keys
    jump over the hole's squares, a click on one of them changes nothing."""
    from ortswandel.participation import places
    from ortswandel.participation.selectors import COLUMNS
    from tests.conftest import _municipality

    process = setup["process"]
    process.municipality = _municipality("01054035", "Garding, Kirchspiel")
    process.save()
    inside = places.inside_cells(process)

    def cell(c: int, r: int) -> str:
        return f"{COLUMNS[c]}{r + 1}"

    # A row with an inside square, then outside ones, then an inside one again.
    start = target = None
    for r in range(10):
        for c in range(9):
            if cell(c, r) in inside and cell(c + 1, r) not in inside:
                after = next((k for k in range(c + 2, 10) if cell(k, r) in inside), None)
                if after is not None:
                    start, target, gap = (c, r), (after, r), (c + 1, r)
                    break
        if start:
            break
    assert start and target, "the hole leaves a gap in some row"
    login(page, live_server, setup["participant"])
    open_page(page, f"{live_server.url}/beteiligung/{process.slug}/ideen/neu/")
    check_page(axe, page, h1="Idee einreichen")
    options = page.locator("#id_cell option").all_inner_texts()
    assert cell(*gap) not in options and cell(*start) in options
    page.locator("#id_cell").select_option(cell(*start))
    page.locator("#pmap-place").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("#id_cell").input_value() == cell(*target)
    page.keyboard.press("ArrowLeft")
    assert page.locator("#id_cell").input_value() == cell(*start)
    # A click on the gap's square leaves the choice as it was; one inside takes it.
    page.locator("#pmap-place").scroll_into_view_if_needed()
    frame = page.evaluate(
        "(() => { const s = document.getElementById('pmap-place');"
        " const m = s.getScreenCTM(); const w = +s.dataset.width, h = +s.dataset.height;"
        " return [m.a, m.e, m.d, m.f, w, h]; })()"
    )
    a, e, d, f, w, h = frame

    def click(c: int, r: int) -> None:
        page.mouse.click(e + a * (c + 0.5) * w / 10, f + d * (r + 0.5) * h / 10)

    click(*gap)
    assert page.locator("#id_cell").input_value() == cell(*start)
    click(*target)
    assert page.locator("#id_cell").input_value() == cell(*target)
