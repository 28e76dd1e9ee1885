"""The calls demo: loads twice without duplicates, marks everything as demo data, and the
jury flow works with its logins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ortswandel.calls import demo
from ortswandel.calls.models import Application, Call, ConflictOfInterest, Review
from ortswandel.catalogue.models import Programme, ProgrammeKind
from tests.conftest import _municipality

pytestmark = pytest.mark.django_db

TOWNS = {
    "12073452": "Prenzlau, Stadt",
    "12072232": "Luckenwalde, Stadt",
    "12070424": "Wittenberge, Stadt",
    "12066304": "Senftenberg, Stadt",
    "12067120": "Eisenhüttenstadt, Stadt",
    "12073532": "Schwedt/Oder, Stadt",
}


@pytest.fixture
def loaded(db):
    Programme.objects.create(
        name="Meine Stadt der Zukunft",
        slug="meine-stadt-der-zukunft",
        kind=ProgrammeKind.STATE_INITIATIVE,
        status="published",
    )
    for ags, name in TOWNS.items():
        _municipality(ags, name)
    for _ in range(2):
        users = demo.accounts(password="demo-pass-123")
        demo.load()
    return {u.username: u for u in users}


def test_demo_is_idempotent_and_marked(loaded):
    assert Call.objects.count() == 2
    assert all(c.is_demo and "Demodaten" in c.title for c in Call.objects.all())
    assert Application.objects.count() == 6
    assert all(a.is_demo for a in Application.objects.all())
    jury_call = Call.objects.get(slug="msdz-demo-jury")
    names = list(jury_call.criteria.values_list("name", flat=True))
    assert names[:2] == ["Innovationsgehalt", "Qualität des integrierten Ansatzes"]
    assert "Übertragbarkeit" in names
    assert ConflictOfInterest.objects.count() == 1
    assert Review.objects.count() == 17


def test_demo_logins_walk_the_process(client, loaded):
    jury_call = Call.objects.get(slug="msdz-demo-jury")
    client.force_login(loaded["jury-befangen"])
    dashboard = client.get(reverse("calls:jury_dashboard", args=[jury_call.slug]))
    assert "Elbufer" not in dashboard.content.decode()
    client.force_login(loaded["jury-vorsitz"])
    meeting = client.get(reverse("calls:meeting", args=[jury_call.slug]))
    assert meeting.status_code == 200 and "Dissens" in meeting.content.decode()
    client.force_login(loaded["bewerbung"])
    open_call = Call.objects.get(slug="msdz-demo-bewerbung")
    start = client.get(reverse("calls:application_start", args=[open_call.slug]))
    assert "Prenzlau" in start.content.decode()
