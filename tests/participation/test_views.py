"""Pages: process page with timeline, filters, map and pagination; join, create and edit ideas
with German errors next to the fields; comments, votes, reports, moderation, results."""

from __future__ import annotations

import datetime as dt

import pytest

from ortswandel.participation.models import Category, Comment, Idea, PhaseKind, Report

pytestmark = pytest.mark.django_db


def test_process_page_shows_timeline_map_and_ideas(client, process, idea, clock):
    clock.at(PhaseKind.IDEAS)
    response = client.get(f"/beteiligung/{process.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="step"' in html and "Ideensammlung" in html
    assert "Bank am Dorfteich" in html
    assert 'aria-label="Planquadrat E7: 1 Idee"' in html and "Planquadrat E7" in html


def test_bad_filters_give_400_not_500(client, process):
    assert client.get(f"/beteiligung/{process.slug}/?sortierung=boese").status_code == 400
    assert client.get(f"/beteiligung/{process.slug}/?page=abc").status_code == 400
    assert client.get(f"/beteiligung/{process.slug}/?kategorie=x").status_code == 400


def test_filters_and_sorting(client, process, participant, clock):
    from ortswandel.participation import services

    clock.at(PhaseKind.IDEAS)
    cat = Category.objects.create(process=process, name="Verkehr")
    services.idea_create(process=process, user=participant, title="Radweg", text="t", category=cat)
    services.idea_create(process=process, user=participant, title="Spielplatz", text="t")
    html = client.get(f"/beteiligung/{process.slug}/?kategorie={cat.pk}").content.decode()
    assert "Radweg" in html and "Spielplatz" not in html
    html = client.get(f"/beteiligung/{process.slug}/?q=spiel").content.decode()
    assert "Spielplatz" in html and "Radweg" not in html


def test_pagination(client, process, participant, clock):
    clock.at(PhaseKind.IDEAS)
    Idea.objects.bulk_create(
        Idea(process=process, author=participant, author_name="A", title=f"Idee {i:02d}", text="x")
        for i in range(25)
    )
    html = client.get(f"/beteiligung/{process.slug}/?page=2").content.decode()
    assert 'href="?page=2#ideen-liste" aria-current="page"' in html
    assert 'href="?page=1#ideen-liste" rel="prev"' in html
    assert client.get(f"/beteiligung/{process.slug}/?page=3").status_code == 404


def test_join_flow_with_errors_next_to_fields(client, process, registered_user):
    client.force_login(registered_user)
    response = client.post(f"/beteiligung/{process.slug}/mitmachen/", {"display_name": "Rita"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_accept_code-error"' in html and "Verhaltensregeln" in html
    response = client.post(
        f"/beteiligung/{process.slug}/mitmachen/", {"display_name": "Rita", "accept_code": "on"}
    )
    assert response.status_code == 302
    assert process.participants.filter(user=registered_user, display_name="Rita").exists()


def test_create_idea_on_the_map_grid(client, process, participant, clock):
    clock.at(PhaseKind.IDEAS)
    client.force_login(participant)
    url = f"/beteiligung/{process.slug}/ideen/neu/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "", "text": "x", "cell": "C3"})
    assert response.status_code == 400
    assert 'id="id_title-error"' in response.content.decode()
    response = client.post(
        url, {"title": "Baum", "text": "Ein Baum", "cell": "C3", "location_text": "Markt"}
    )
    assert response.status_code == 302
    idea = Idea.objects.get(title="Baum")
    assert (round(idea.map_x, 2), round(idea.map_y, 2)) == (0.25, 0.25)


def test_honeypot_drops_the_post(client, process, participant, clock):
    clock.at(PhaseKind.IDEAS)
    client.force_login(participant)
    client.post(
        f"/beteiligung/{process.slug}/ideen/neu/",
        {"title": "Spam", "text": "x", "website": "http://spam"},
    )
    assert not Idea.objects.filter(title="Spam").exists()


def test_create_idea_outside_phase_is_403(client, process, participant, clock):
    clock.at(PhaseKind.RESULTS)
    client.force_login(participant)
    assert client.get(f"/beteiligung/{process.slug}/ideen/neu/").status_code == 403


def test_comment_vote_report(client, process, idea, participant, clock):
    client.force_login(participant)
    clock.at(PhaseKind.DISCUSSION)
    url = f"/beteiligung/{process.slug}/ideen/{idea.pk}/"
    response = client.post(url + "kommentieren/", {"text": "Ja!"})
    assert response.status_code == 302, response.content[:300]
    assert "#kommentar-" in response["Location"], response["Location"]
    assert Comment.objects.filter(idea=idea).count() == 1
    assert client.post(url + "abstimmen/", {"value": "1"}).status_code == 403
    clock.at(PhaseKind.VOTING)
    assert client.post(url + "abstimmen/", {"value": "1"}).status_code == 302
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert client.post(url + "melden/", {"reason": "Werbung"}).status_code == 200
    assert Report.objects.filter(idea=idea).exists()
    html = client.get(url).content.decode()
    assert "Stimme zurückziehen" in html and "Ja!" in html


def test_moderation_feedback_and_hide(client, process, idea, moderator):
    client.force_login(moderator)
    assert client.get(f"/beteiligung/{process.slug}/moderation/").status_code == 200
    url = f"/beteiligung/{process.slug}/moderation/ideen/{idea.pk}/"
    response = client.post(url, {"action": "feedback", "status": "not_taken_up", "text": ""})
    assert response.status_code == 400
    client.post(url, {"action": "feedback", "status": "taken_up", "text": "Kommt 2027."})
    client.post(url, {"action": "hide", "reason": "Doppelt"})
    idea.refresh_from_db()
    assert idea.feedback_status == "taken_up" and idea.is_hidden and idea.hidden_reason == "Doppelt"
    client.logout()
    assert client.get(f"/beteiligung/{process.slug}/ideen/{idea.pk}/").status_code == 404


def test_unfollow_link_needs_a_post(client, process, participant):
    from ortswandel.participation import services
    from ortswandel.participation.models import Follow

    Follow.objects.get_or_create(process=process, user=participant)
    token = services.unfollow_token(process=process, user=participant)
    assert client.get(f"/beteiligung/abmelden/{token}/").status_code == 200
    assert Follow.objects.filter(user=participant).exists()
    assert client.post(f"/beteiligung/abmelden/{token}/").status_code == 200
    assert not Follow.objects.filter(user=participant).exists()
    assert client.get("/beteiligung/abmelden/kaputt/").status_code == 404


def test_map_draws_the_bkg_outline_and_the_placement_form(client, process, participant, clock):
    """Stahnsdorf (12069616) is in the BKG boundaries of the data directory: the map shows its
    outline with the attribution; the placement map is focusable for the arrow keys."""
    from ortswandel.municipalities import maps

    if maps.outline_path(process.municipality.ags) is None:
        pytest.skip("BKG boundary files not in ORTSWANDEL_DATA_DIR")
    html = client.get(f"/beteiligung/{process.slug}/").content.decode()
    assert 'class="pmap-outline"' in html and "GeoBasis-DE / BKG" in html
    clock.at(PhaseKind.IDEAS)
    client.force_login(participant)
    form = client.get(f"/beteiligung/{process.slug}/ideen/neu/").content.decode()
    assert 'id="pmap-place" tabindex="0"' in form and 'id="id_cell"' in form


def test_process_page_lists_its_public_events(client, process):
    from django.utils import timezone

    from ortswandel.core.models import PublicationStatus
    from ortswandel.events.models import Event

    start = timezone.now() + dt.timedelta(days=10)
    workshop = Event.objects.create(
        programme=process.programme, title="Zukunftswerkstatt", slug="zukunftswerkstatt",
        starts_at=start, ends_at=start + dt.timedelta(hours=2), status=PublicationStatus.PUBLISHED,
    )  # fmt: skip
    draft = Event.objects.create(
        programme=process.programme, title="Interner Termin", slug="intern",
        starts_at=start, ends_at=start + dt.timedelta(hours=2),
    )  # fmt: skip
    process.events.set([workshop, draft])
    html = client.get(f"/beteiligung/{process.slug}/").content.decode()
    assert "Zukunftswerkstatt" in html and "Interner Termin" not in html
