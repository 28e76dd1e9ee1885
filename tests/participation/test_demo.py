"""Demo content: the Eberswalde future discussion (marked as demo, with its source), demo
logins, idempotent loading, skipped without the municipality."""

from __future__ import annotations

import io

import pytest

from ortswandel.participation import demo
from ortswandel.participation.models import Idea, Process, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def eberswalde(db):
    from tests.conftest import _municipality

    return _municipality("12060052", "Eberswalde, Stadt")


def test_demo_loads_idempotently_and_is_marked(eberswalde, client):
    users = demo.accounts(password="demo-passwort-123")
    assert {u.username for u in users} == {"moderation", "buergerin"}
    out = io.StringIO()
    demo.load(stdout=out)
    demo.load()
    process = Process.objects.get(slug="demo-zukunft-eberswalde")
    assert process.is_demo and "msdz.brandenburg.de" in process.source_note
    assert process.moderators.filter(username="moderation").exists()
    ideas = Idea.objects.filter(process=process)
    assert ideas.count() == 5 and all(i.is_demo for i in ideas)
    bike = ideas.get(title="Sichere Radverbindung zum Bahnhof")
    assert bike.support_count == 11 == Vote.objects.filter(idea=bike).count()
    assert bike.comment_count == 2
    assert process.active_phase().kind == "results"
    assert process.outcomes.count() == 2
    html = client.get(f"/beteiligung/{process.slug}/").content.decode()
    assert "Demo-Daten" in html and "msdz.brandenburg.de" in html
    assert client.login(username="moderation", password="demo-passwort-123")
    assert client.get(f"/beteiligung/{process.slug}/moderation/").status_code == 200
    survey = process.phases.get(kind="survey")
    assert (
        "chart-canvas"
        in client.get(f"/beteiligung/{process.slug}/phasen/{survey.pk}/").content.decode()
    )


def test_demo_without_municipality_is_skipped(db):
    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue()
    assert not Process.objects.exists()


def test_demo_idea_outside_the_municipality_is_refused(eberswalde):
    from ortswandel.core.demo import DemoDataError, read_demo_data
    from ortswandel.municipalities import maps
    from ortswandel.participation.places import ALL_CELLS, cell_name

    inside = {cell_name(c, r) for c, r in maps.outline_cells("12060052")}
    data = read_demo_data(demo.__name__, "zukunft-eberswalde.yaml")
    data["ideas"][0]["cell"] = next(cell for cell in ALL_CELLS if cell not in inside)
    with pytest.raises(DemoDataError, match="outside the municipality"):
        demo._load(data, "zukunft-eberswalde.yaml", None)


def test_demo_command_names_the_participation_roles(db):
    """The list of demo logins that ``load_demo_content`` prints names each account's role
    (the moderator and the participant were once listed as "Programmredaktion")."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    lines = {
        line.split("'")[1]: line for line in out.getvalue().splitlines() if "Benutzername" in line
    }
    assert "Moderation des Demo-Beteiligungsprozesses" in lines["moderation"]
    assert "Teilnehmerin des Demo-Beteiligungsprozesses" in lines["buergerin"]
    assert "Programmredaktion" not in lines["moderation"] + lines["buergerin"]
