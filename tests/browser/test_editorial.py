"""The editor flow at desktop (issue 9): the demo editor logs in, sees the dashboard, edits a
project with the rich-text editor, previews it, schedules it, and restores an earlier revision —
axe-core on every page type of the flow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.conftest import check_page, open_page, serious_violations

pytestmark = pytest.mark.browser

PASSWORD = "Redaktion-2026-sicher!"


def _admin_axe(axe: Any, page: Any) -> None:
    assert page.locator("html").get_attribute("lang") == "de", page.url
    violations = serious_violations(axe, page)
    assert violations == [], (page.url, violations)


def _save_and_continue(page: Any) -> None:
    page.locator("input[name='_continue']").first.click()
    page.wait_for_load_state()
    assert page.locator(".errornote").count() == 0, page.inner_text("#content")


def test_editor_flow(live_server, page, axe, portal):
    from ortswandel.accounts.demo import demo_accounts_create
    from ortswandel.catalogue.models import Project
    from ortswandel.core.models import PublicationStatus

    page.set_viewport_size({"width": 1366, "height": 900})
    accounts = {u.username: u for u in demo_accounts_create(password=PASSWORD)}
    programme = portal["programme"]
    programme.editors.add(accounts["redaktion"])
    project = Project.objects.filter(programme=programme).order_by("acronym").first()
    assert project is not None
    Project.objects.filter(pk=project.pk).update(status=PublicationStatus.DRAFT)

    # log in through the admin's own login
    open_page(page, live_server.url + "/verwaltung/login/")
    page.locator("input[name='username']").fill("redaktion")
    page.locator("input[name='password']").fill(PASSWORD)
    page.locator("input[type='submit']").click()
    page.wait_for_load_state()

    # the admin index links to the dashboard; the dashboard shows the draft
    page.get_by_role("link", name="Übersicht der Redaktion", exact=False).click()
    page.wait_for_url("**/verwaltung/uebersicht/")
    assert page.locator("h2", has_text=programme.name).count() == 1, page.inner_text("#content")
    assert project.acronym in page.inner_text("#content")
    _admin_axe(axe, page)

    # the rich-text editor, loaded from the package's static files (CSP allows its import map)
    url = f"{live_server.url}/verwaltung/catalogue/project/{project.pk}/change/"
    open_page(page, url)
    editor = page.locator(".prose-editor [contenteditable='true']").first
    editor.wait_for(state="visible", timeout=10_000)
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type("Neu im Browser geschrieben")
    page.keyboard.press("Control+b")
    # German selector widget (Django's JS catalogue with our additions)
    themes_help = page.locator("#id_themes_from, .selector-available").first
    assert themes_help.count() == 1
    assert "Choose" not in page.inner_text("#content-main")
    page.locator("input[name='title']").fill("Erste Fassung im Browser")
    _save_and_continue(page)
    _admin_axe(axe, page)
    project.refresh_from_db()
    assert "<strong>Neu im Browser geschrieben</strong>" in project.summary

    # preview of the draft, with the real public template
    preview_href = page.get_by_role("link", name="Vorschau").get_attribute("href")
    open_page(page, live_server.url + preview_href)
    assert "Vorschau" in page.inner_text(".preview-banner")
    assert "Neu im Browser geschrieben" in page.inner_text("main")
    check_page(axe, page, h1=project.acronym)
    # …which the public does not see
    public_url = f"{live_server.url}/projekte/{project.slug}/"
    assert page.context.request.get(public_url).status == 404  # a draft, for editors too

    # schedule it: a date in the future, second version of the title
    open_page(page, url)
    when = dt.datetime.now() + dt.timedelta(days=3)  # noqa: DTZ005 - typed into a local form
    page.locator("input[name='publish_at_0']").fill(when.strftime("%d.%m.%Y"))
    page.locator("input[name='publish_at_1']").fill("09:00:00")
    page.locator("input[name='title']").fill("Zweite Fassung im Browser")
    _save_and_continue(page)
    project.refresh_from_db()
    assert project.is_scheduled and project.title == "Zweite Fassung im Browser"

    # revision history: who changed what, restore the first version
    page.get_by_role("link", name="Geschichte").click()
    page.wait_for_load_state()
    history = page.inner_text("#content")
    assert "Redaktion Kommunen innovativ" in history or "redaktion" in history
    _admin_axe(axe, page)
    page.locator("#change-history a, table a").last.click()  # the oldest version
    page.wait_for_load_state()
    assert page.locator("input[name='title']").input_value() == "Erste Fassung im Browser"
    _admin_axe(axe, page)
    page.locator("input[type='submit'][name='_save'], input[type='submit']").first.click()
    page.wait_for_load_state()
    project.refresh_from_db()
    assert project.title == "Erste Fassung im Browser"


def test_admin_lists_fit_1366_and_event_form_has_sections(live_server, page, axe, portal):
    from ortswandel.accounts.demo import demo_accounts_create

    page.set_viewport_size({"width": 1366, "height": 900})
    accounts = {u.username: u for u in demo_accounts_create(password=PASSWORD)}
    portal["programme"].editors.add(accounts["redaktion"])
    open_page(page, live_server.url + "/verwaltung/login/")
    page.locator("input[name='username']").fill("redaktion")
    page.locator("input[name='password']").fill(PASSWORD)
    page.locator("input[type='submit']").click()
    page.wait_for_load_state()
    for path in ("catalogue/project/", "catalogue/result/", "events/event/", "catalogue/newsitem/"):
        open_page(page, f"{live_server.url}/verwaltung/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, (path, width)
        _admin_axe(axe, page)
    open_page(page, f"{live_server.url}/verwaltung/events/event/add/")
    sections = page.locator("fieldset details, details")
    assert sections.count() >= 3
    assert "Choose" not in page.inner_text("#content-main")
    _admin_axe(axe, page)


def test_home_programme_cards_fill_the_row(live_server, page, axe, portal):
    page.set_viewport_size({"width": 1366, "height": 900})
    open_page(page, live_server.url + "/")
    check_page(axe, page)
    boxes = page.evaluate(
        """() => {
          const list = document.querySelector('.cards-programmes');
          const cards = Array.from(list.children).map(c => c.getBoundingClientRect());
          return {right: list.getBoundingClientRect().right, cards: cards.map(
            r => ({top: r.top, right: r.right, height: r.height}))};
        }"""
    )
    first_row = [c for c in boxes["cards"] if abs(c["top"] - boxes["cards"][0]["top"]) < 1]
    # no empty column: the first row reaches the right edge of the list
    assert abs(first_row[-1]["right"] - boxes["right"]) < 2, boxes
    # cards of one row have the same height
    assert len({round(c["height"]) for c in first_row}) == 1, first_row
