"""From challenge to knowledge: detection rules, ranking by the same trend, the page section."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ortswandel.catalogue.models import Project, Result, Theme
from ortswandel.events.models import Event
from ortswandel.planning.challenges import challenges_for_ags, challenges_for_values, detect
from ortswandel.planning.models import Challenge

pytestmark = pytest.mark.django_db


def rule(code: str, indicator: str, direction: str, threshold: float, **extra) -> Challenge:
    return Challenge(
        code=code,
        name=code,
        description="d",
        indicator=indicator,
        direction=direction,
        threshold=threshold,
        **extra,
    )


def test_the_default_challenges_are_there() -> None:
    codes = set(Challenge.objects.values_list("code", flat=True))
    assert {"grundschulkinder-sinken", "hochaltrige-steigen", "bevoelkerung-schrumpft"} <= codes
    assert {"kita-plaetze-fehlen", "pflegeluecke"} <= codes


@pytest.mark.parametrize(
    ("direction", "threshold", "value", "expected"),
    [
        ("below", -15, -15.1, True),
        ("below", -15, -15.0, False),  # strictly below
        ("below", -15, 3.0, False),
        ("above", 30, 30.5, True),
        ("above", 30, 30.0, False),
        ("above", 0, None, False),  # unknown value never triggers
    ],
)
def test_rule_direction_and_threshold(direction, threshold, value, expected) -> None:
    c = rule("x", "change_6_9_pct", direction, threshold)
    assert bool(detect({"change_6_9_pct": value}, challenges=[c])) is expected


def test_defaults_detect_a_shrinking_ageing_town_and_a_workspace_gap() -> None:
    found = detect({"change_pct": -17.0, "change_6_9_pct": -20.0, "change_80_pct": 12.0})
    assert [d.challenge.code for d in found] == [
        "grundschulkinder-sinken",
        "bevoelkerung-schrumpft",
    ]
    assert found[0].why == (
        "Veränderung der Kinder im Grundschulalter 6–9 (%): −20,0 % (Schwelle: kleiner als −15 %)"
    )
    # a workspace result: plain dict with the infrastructure gaps
    codes = [d.challenge.code for d in detect({"kita_gap": 12, "care_gap": 0})]
    assert codes == ["kita-plaetze-fehlen"]


def test_inactive_challenges_are_ignored() -> None:
    Challenge.objects.filter(code="bevoelkerung-schrumpft").update(is_active=False)
    assert not detect({"change_pct": -30.0})


def test_knowledge_prefers_projects_from_municipalities_with_the_same_trend(
    programme, shrinking
) -> None:
    theme = Theme.objects.create(
        programme=programme, kind="focus_theme", name="Daseinsvorsorge", slug="davo",
        status="published",
    )  # fmt: skip
    other_theme = Theme.objects.create(
        programme=programme, kind="focus_theme", name="Klima", slug="klima", status="published"
    )
    challenge = Challenge.objects.get(code="bevoelkerung-schrumpft")
    challenge.themes.set([theme])

    def make(acronym: str, start: int, town=None, themes=(theme,)) -> Project:
        p = Project.objects.create(
            programme=programme, acronym=acronym, slug=acronym.lower(), title=acronym,
            status="published", start_date=dt.date(start, 1, 1),
        )  # fmt: skip
        p.themes.set(themes)
        if town is not None:
            p.municipalities.add(town)
        return p

    make("NEU", 2024, shrinking["stahnsdorf"])  # newest, but a growing town
    make("ALT", 2016, shrinking["wittenberge"])  # older, a shrinking town
    make("KLIMA", 2025, themes=(other_theme,))  # another theme: not listed
    Project.objects.create(
        programme=programme, acronym="ENTWURF", slug="entwurf", title="x", status="draft"
    ).themes.set([theme])  # not published: not listed
    result = Result.objects.create(
        programme=programme, title="Leitfaden", slug="leitfaden", kind="guideline",
        status="published", year=2021,
    )  # fmt: skip
    result.themes.add(theme)
    start = timezone.now() + dt.timedelta(days=10)
    event = Event.objects.create(
        programme=programme, title="Werkstatt", slug="werkstatt", format="online",
        starts_at=start, ends_at=start + dt.timedelta(hours=2), status="published",
    )  # fmt: skip
    event.themes.add(theme)
    past = Event.objects.create(
        programme=programme, title="Vorbei", slug="vorbei", format="online",
        starts_at=start - dt.timedelta(days=30), ends_at=start - dt.timedelta(days=29),
        status="published",
    )  # fmt: skip
    past.themes.add(theme)

    [item] = challenges_for_values({"change_pct": -12.0})
    assert [(p.acronym, same) for p, same in item.projects] == [("ALT", True), ("NEU", False)]
    assert item.results == [result]
    assert item.events == [event]


def test_challenges_of_a_municipality_come_from_its_outlook(shrinking) -> None:
    report = challenges_for_ags(ags="12070424")  # Wittenberge: −17.6 %, children −38 %
    codes = [k.detected.challenge.code for k in report.items]
    assert "bevoelkerung-schrumpft" in codes and "grundschulkinder-sinken" in codes
    assert challenges_for_ags(ags="12069616").items == []  # Stahnsdorf grows


def test_the_municipality_page_shows_the_section(client, shrinking) -> None:
    response = client.get("/kommunen/12070424/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Herausforderungen und wer sie schon angegangen ist" in text
    assert "Die Bevölkerung schrumpft" in text
    assert 'href="/planen/karte/12/"' in text


def test_demo_attaches_the_demo_catalogue_themes() -> None:
    from ortswandel.catalogue import demo as catalogue_demo
    from ortswandel.planning import demo as planning_demo

    catalogue_demo.load()
    planning_demo.load()
    planning_demo.load()  # idempotent
    challenge = Challenge.objects.get(code="grundschulkinder-sinken")
    slugs = set(challenge.themes.values_list("slug", flat=True))
    assert slugs == {
        "infrastruktur-und-daseinsvorsorge",
        "daseinsvorsorge-sichern",
        "interkommunal-agieren",
    }
    assert Challenge.objects.get(code="pflegeluecke").themes.count() == 2
