"""Accountability: results linked to ideas, implementation status over time, final report that
becomes a result in the catalogue."""

from __future__ import annotations

import pytest

from ortswandel.catalogue.models import Result
from ortswandel.core.errors import InvalidInput, PermissionDenied
from ortswandel.participation import accountability
from ortswandel.participation.models import Outcome

pytestmark = pytest.mark.django_db


def test_outcome_flow_through_pages(client, process, idea, moderator):
    client.force_login(moderator)
    base = f"/beteiligung/{process.slug}/moderation/"
    assert (
        client.post(
            base + "ergebnisse/", {"title": "Bänke am Teich", "ideas": [str(idea.pk)]}
        ).status_code
        == 302
    )
    outcome = Outcome.objects.get()
    assert list(outcome.ideas.all()) == [idea]
    response = client.post(
        base + f"ergebnisse/{outcome.pk}/",
        {"status": "done", "progress": "100", "note": "Aufgestellt"},
    )
    assert response.status_code == 302
    assert (
        client.post(
            base + f"ergebnisse/{outcome.pk}/", {"status": "done", "progress": "x"}
        ).status_code
        == 400
    )
    html = client.get(f"/beteiligung/{process.slug}/ergebnisse/").content.decode()
    assert "Bänke am Teich" in html and "Aufgestellt" in html and idea.title in html
    assert "Bänke am Teich" in client.get(idea.get_absolute_url()).content.decode()


def test_outcome_rules(process, idea, participant, moderator, other_process):
    with pytest.raises(PermissionDenied):
        accountability.outcome_create(process=process, actor=participant, title="X")
    other_idea = type(idea).objects.create(
        process=other_process, author_name="B", title="Fremd", text="x"
    )
    with pytest.raises(InvalidInput):
        accountability.outcome_create(
            process=process, actor=moderator, title="X", ideas=[other_idea]
        )


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the report's PDF becomes the result's file


@pytest.mark.usefixtures("_media")
def test_final_report_becomes_a_catalogue_result(client, process, idea, moderator):
    accountability.outcome_create(process=process, actor=moderator, title="Bänke", ideas=[idea])
    client.force_login(moderator)
    html = client.get(f"/beteiligung/{process.slug}/abschlussbericht/").content.decode()
    assert "Abschlussbericht" in html and "Bank am Dorfteich" in html
    response = client.post(f"/beteiligung/{process.slug}/moderation/bericht/")
    assert response.status_code == 302
    result = Result.objects.get(slug=f"beteiligung-{process.slug}")
    assert result.programme == process.programme and "1 Ideen" in result.summary
    client.post(f"/beteiligung/{process.slug}/moderation/bericht/")
    assert Result.objects.filter(slug=f"beteiligung-{process.slug}").count() == 1


def test_invitation_codes_page(client, process, moderator, participant):
    client.force_login(participant)
    assert (
        client.post(f"/beteiligung/{process.slug}/moderation/codes/", {"count": "3"}).status_code
        == 403
    )
    client.force_login(moderator)
    response = client.post(
        f"/beteiligung/{process.slug}/moderation/codes/", {"count": "3", "note": "Werkstatt"}
    )
    assert response.status_code == 200 and process.codes.count() == 3
    assert (
        client.post(f"/beteiligung/{process.slug}/moderation/codes/", {"count": "9999"}).status_code
        == 400
    )
