"""Surveys and participatory budgeting in a real browser, desktop and 390 px, axe-core on each
page: a participant answers every kind of question (the ranking by keyboard) and sees the result
charts with their data tables after the phase; a participant fills a knapsack ballot (the
remaining budget updates, an over-budget choice is refused in an alert) and sees the count; a
moderator creates a survey in the back office. Page weights of the survey and ballot pages are
recorded (``measure_page_weight``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

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
VIEWPORTS = pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
#: Page-weight budget of a survey or ballot page on a municipal connection (gzip, all resources).
WEIGHT_BUDGET = 150 * 1024


def _process(slug: str, kind: str, **phase_fields):
    from ortswandel.participation.models import Phase, Process
    from tests.conftest import _municipality

    municipality = _municipality("12069616", "Stahnsdorf")
    process = Process.objects.create(
        title=f"Stahnsdorf 2035 ({slug})",
        slug=slug,
        municipality=municipality,
        is_published=True,
        code_of_conduct="Respektvoll bleiben.",
    )
    now = timezone.now()
    phase = Phase.objects.create(
        process=process,
        kind=kind,
        name="Umfrage Ortsmitte" if kind == "survey" else "Bürgerhaushalt 2027",
        starts_at=now - dt.timedelta(days=2),
        ends_at=now + dt.timedelta(days=10),
        **phase_fields,
    )
    return process, phase


def _person(django_user_model, process, name: str):
    from ortswandel.participation.models import Participant

    user = django_user_model.objects.create_user(username=name, email=f"{name}@example.org")
    Participant.objects.create(
        process=process,
        user=user,
        display_name=name.title(),
        accepted_code_at=timezone.now(),
        trusted=True,
    )
    return user


def _end(phase) -> None:
    now = timezone.now()
    phase.starts_at = now - dt.timedelta(days=12)
    phase.ends_at = now - dt.timedelta(minutes=1)
    phase.save(update_fields=["starts_at", "ends_at"])


@pytest.fixture
def survey(django_user_model):
    from ortswandel.participation.models import Choice, Question

    process, phase = _process("umfrage-ortsmitte", "survey")
    spec = [
        (
            "Wie kommen Sie in die Ortsmitte?",
            "single",
            ["zu Fuß", "Rad", "Bus", "Auto"],
            True,
            None,
        ),
        ("Was fehlt dort?", "multiple", ["Bänke", "Schatten", "Toiletten"], False, 2),
        ("Was ist am wichtigsten?", "ranking", ["Radwege", "Spielplatz", "Markt"], False, None),
        ("Sonst noch etwas?", "text", [], False, None),
    ]
    for position, (text, kind, labels, required, limit) in enumerate(spec):
        question = Question.objects.create(
            phase=phase,
            text=text,
            kind=kind,
            position=position,
            required=required,
            max_choices=limit,
        )
        for index, label in enumerate(labels):
            Choice.objects.create(question=question, label=label, position=index)
    return {"process": process, "phase": phase, "anna": _person(django_user_model, process, "anna")}


@VIEWPORTS
def test_participant_answers_every_kind_and_sees_charts_after(
    live_server, page, axe, survey, viewport
):
    from ortswandel.participation.models import Answer

    if viewport:
        page.set_viewport_size(viewport)
    process, phase = survey["process"], survey["phase"]
    url = f"{live_server.url}/beteiligung/{process.slug}/phasen/{phase.pk}/"
    login(page, live_server, survey["anna"])
    open_page(page, url)
    check_page(axe, page, h1="Umfrage Ortsmitte")

    # Sent without the required question: the message stands next to it and is announced.
    page.get_by_role("group", name="Sonst noch etwas?").get_by_label("Ihre Antwort").fill(
        "Mehr Licht am Abend"
    )
    page.get_by_role("button", name="Antworten senden").click()
    assert "Bitte prüfen Sie Ihre Antworten." in page.get_by_role("alert").first.inner_text()
    required = page.get_by_role("group", name="Wie kommen Sie in die Ortsmitte?")
    error_id = required.get_attribute("aria-describedby")
    assert "Pflichtfrage" in page.locator(f"#{error_id}").inner_text()
    assert page.get_by_label("Ihre Antwort").input_value() == "Mehr Licht am Abend"  # kept
    check_page(axe, page, h1="Umfrage Ortsmitte")

    page.get_by_label("Rad", exact=True).check()
    page.get_by_label("Bänke").check()
    page.get_by_label("Schatten").check()
    # Ranking by keyboard only: focus the first rank, type, Tab to the next.
    page.get_by_label("Radwege – Rang").focus()
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    assert page.get_by_label("Markt – Rang").input_value() == "3"
    page.get_by_role("button", name="Antworten senden").click()
    assert "Ihre Antworten sind gespeichert" in page.get_by_role("status").first.inner_text()
    ranked = Answer.objects.filter(question__kind="ranking").order_by("rank")
    assert [(a.choice.label, a.rank) for a in ranked] == [
        ("Spielplatz", 1),
        ("Radwege", 2),
        ("Markt", 3),
    ]

    _end(phase)
    open_page(page, url)
    check_page(axe, page, h1="Umfrage Ortsmitte")
    charts = page.locator("figure.chart")
    assert charts.count() == 3  # single, multiple, ranking; the free text as a count table
    ranking = charts.filter(has_text="Was ist am wichtigsten?")
    if ranking.locator("details").get_attribute("open") is None:  # long tables come folded
        ranking.locator("summary").click()
    table = ranking.locator("table")
    assert table.is_visible()
    rows = {
        r.locator("th").inner_text().strip(): r.locator("td").first.inner_text().strip()
        for r in table.locator("tbody tr").all()
    }
    assert rows == {"Radwege": "2", "Spielplatz": "3", "Markt": "1"}  # Borda points
    assert "Quelle:" in ranking.inner_text()
    check_page(axe, page, h1="Umfrage Ortsmitte")
    if viewport:
        assert_no_horizontal_overflow(page)
    else:
        weight = measure_page_weight(page, url, name="Umfrage: Ergebnisse mit Diagrammen")
        print(f"page weight survey results: {weight['bytes'] / 1024:.1f} kB {weight['by_type']}")
        assert weight["bytes"] < WEIGHT_BUDGET


@pytest.fixture
def budget(django_user_model):
    from ortswandel.participation.models import Idea

    process, phase = _process("buergerhaushalt", "budget", budget=Decimal("10000"))
    ideas = {
        title: Idea.objects.create(
            process=process, author_name="Anna", title=title, text="x", cost=Decimal(cost)
        )
        for title, cost in (
            ("Neue Bänke", "3000"),
            ("Spielplatz", "6000"),
            ("Trinkbrunnen", "4000"),
        )
    }
    return {
        "process": process,
        "phase": phase,
        "ideas": ideas,
        "anna": _person(django_user_model, process, "anna"),
    }


@VIEWPORTS
def test_knapsack_ballot_updates_the_remaining_budget_and_refuses_too_much(
    live_server, page, axe, budget, viewport
):
    if viewport:
        page.set_viewport_size(viewport)
    process, phase = budget["process"], budget["phase"]
    url = f"{live_server.url}/beteiligung/{process.slug}/phasen/{phase.pk}/"
    if not viewport:
        weight = measure_page_weight(page, url, name="Bürgerhaushalt: Stimmzettel")
        print(f"page weight ballot: {weight['bytes'] / 1024:.1f} kB {weight['by_type']}")
        assert weight["bytes"] < WEIGHT_BUDGET
    login(page, live_server, budget["anna"])
    open_page(page, url)
    check_page(axe, page, h1="Bürgerhaushalt 2027")
    status = page.locator("#ballot-status")
    assert status.get_attribute("aria-live") == "polite"
    assert status.inner_text() == "Noch frei: 10.000 € von 10.000 €."
    page.get_by_label("Spielplatz").check()
    assert status.inner_text() == "Noch frei: 4.000 € von 10.000 €."
    page.get_by_label("Trinkbrunnen").check()
    assert status.inner_text() == "Noch frei: 0 € von 10.000 €."

    # Over budget: refused, the box stays empty, the message is in a role="alert" region.
    page.get_by_label("Neue Bänke").click()
    assert not page.get_by_label("Neue Bänke").is_checked()
    alert = page.locator("#ballot-refusal")
    assert alert.get_attribute("role") == "alert"
    assert "überschreitet das Budget" in alert.inner_text()
    assert "„Neue Bänke“" in alert.inner_text()
    assert status.inner_text() == "Noch frei: 0 € von 10.000 €."
    check_page(axe, page, h1="Bürgerhaushalt 2027")

    page.get_by_label("Trinkbrunnen").uncheck()
    assert alert.inner_text() == ""
    page.get_by_label("Neue Bänke").check()
    assert status.inner_text() == "Noch frei: 1.000 € von 10.000 €."
    page.get_by_role("button", name="Stimmzettel abgeben").click()
    assert "Ihr Stimmzettel ist gezählt" in page.get_by_role("status").first.inner_text()
    ballot = phase.ballots.get()
    assert sorted(i.title for i in ballot.ideas.all()) == ["Neue Bänke", "Spielplatz"]
    assert ballot.total == Decimal("9000")

    _end(phase)
    open_page(page, url)
    check_page(axe, page, h1="Bürgerhaushalt 2027")
    table = page.locator("table", has_text="Bürgerhaushalt: Stimmen je Vorschlag")
    counted = {
        r.locator("th").inner_text().strip(): [
            c.inner_text().strip() for c in r.locator("td").all()
        ]
        for r in table.locator("tbody tr").all()
    }
    assert counted["Spielplatz"][0] == "1" and counted["Spielplatz"][2] == "ja"
    assert counted["Neue Bänke"][0] == "1" and counted["Neue Bänke"][2] == "ja"
    assert counted["Trinkbrunnen"][0] == "0" and counted["Trinkbrunnen"][2] == "nein"
    if viewport:
        assert_no_horizontal_overflow(page)


@VIEWPORTS
def test_moderator_creates_a_survey_in_the_back_office(
    live_server, page, axe, django_user_model, viewport
):
    from ortswandel.core.models import AuditEntry
    from ortswandel.participation.models import Phase

    if viewport:
        page.set_viewport_size(viewport)
    process, _phase = _process("werkstatt", "survey")
    moderator = django_user_model.objects.create_user(username="mod", email="mod@example.org")
    process.moderators.add(moderator)
    login(page, live_server, moderator)
    open_page(page, f"{live_server.url}/beteiligung/{process.slug}/moderation/")
    page.get_by_role("link", name="Umfragen bearbeiten").click()
    check_page(axe, page, h1="Umfragen")

    page.get_by_label("Name der Umfrage").fill("Nachbefragung Ortsmitte")
    start = timezone.localtime() + dt.timedelta(days=30)
    page.get_by_label("Beginn").fill(start.strftime("%Y-%m-%dT09:00"))
    page.get_by_label("Ende").fill(start.strftime("%Y-%m-%dT08:00"))  # before the start
    page.get_by_role("button", name="Umfrage anlegen").click()
    ends = page.locator("#id_ends_at")
    assert ends.get_attribute("aria-invalid") == "true"
    assert "nach dem Beginn" in page.locator("#id_ends_at-error").inner_text()
    check_page(axe, page, h1="Umfragen")
    page.get_by_label("Ende").fill((start + dt.timedelta(days=14)).strftime("%Y-%m-%dT18:00"))
    page.get_by_role("button", name="Umfrage anlegen").click()
    check_page(axe, page, h1="Umfrage bearbeiten")
    created = Phase.objects.get(name="Nachbefragung Ortsmitte")

    page.get_by_label("Frage", exact=True).fill("Was ist am wichtigsten?")
    page.get_by_label("Art der Frage").select_option("ranking")
    page.get_by_label("Antwortmöglichkeiten").fill("Radwege\nSpielplatz\nMarkt")
    page.get_by_label("Pflichtfrage").check()
    page.get_by_role("button", name="Frage hinzufügen").click()
    assert "Die Frage ist angelegt." in page.get_by_role("status").first.inner_text()
    page.get_by_label("Frage", exact=True).fill("Wie oft sind Sie dort?")
    page.get_by_label("Art der Frage").select_option("single")
    page.get_by_role("button", name="Frage hinzufügen").click()  # no choices: refused
    assert "mindestens zwei" in page.locator("#id_new_choices-error").inner_text()
    page.get_by_label("Antwortmöglichkeiten").fill("täglich\nselten")
    page.get_by_role("button", name="Frage hinzufügen").click()
    page.get_by_role("button", name=re.compile(r"^Nach oben\W+Wie oft sind Sie dort")).click()
    assert [q.text for q in created.questions.all()] == [
        "Wie oft sind Sie dort?",
        "Was ist am wichtigsten?",
    ]
    check_page(axe, page, h1="Umfrage bearbeiten")

    page.get_by_role("link", name="Vorschau").click()
    check_page(axe, page, h1="Vorschau")
    assert page.get_by_label("Spielplatz – Rang").is_visible()
    assert page.get_by_role("button", name="Antworten senden").is_disabled()
    actions = set(
        AuditEntry.objects.filter(actor=moderator).values_list("action", flat=True).distinct()
    )
    assert {
        "participation.survey.created",
        "participation.survey.question_added",
        "participation.survey.question_moved",
    } <= actions
    if viewport:
        assert_no_horizontal_overflow(page)
