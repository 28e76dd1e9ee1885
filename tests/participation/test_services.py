"""Services: joining (admission), ideas (sanitised, positioned, reviewed), comments, votes,
moderation, feedback mails, unfollow links, personal data export and erasure."""

from __future__ import annotations

import pytest
from django.core import mail

from ortswandel.core.errors import Conflict, InvalidInput, PermissionDenied
from ortswandel.participation import retention, services
from ortswandel.participation.models import (
    Admission,
    Comment,
    FeedbackStatus,
    Follow,
    Idea,
    InvitationCode,
    PhaseKind,
    Vote,
)

from .conftest import join

pytestmark = pytest.mark.django_db


def test_idea_text_is_sanitised_and_placed(idea):
    assert "<script>" not in idea.text
    assert idea.text.startswith("<p>Eine Bank")
    assert (idea.map_x, idea.map_y) == (0.4, 0.6)
    assert idea.author_name == "Anna aus Stahnsdorf"


def test_idea_outside_the_frame_is_refused(process, participant, clock):
    clock.at(PhaseKind.IDEAS)
    with pytest.raises(InvalidInput) as exc:
        services.idea_create(
            process=process, user=participant, title="X", text="y", map_x=1.5, map_y=0.2
        )
    assert "map_x" in exc.value.fields


def test_image_needs_alt_text(process, participant, clock):
    from django.core.files.uploadedfile import SimpleUploadedFile

    clock.at(PhaseKind.IDEAS)
    image = SimpleUploadedFile("bank.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "image/png")
    with pytest.raises(InvalidInput) as exc:
        services.idea_create(process=process, user=participant, title="X", text="y", image=image)
    assert "image_alt" in exc.value.fields


def test_no_ideas_outside_the_idea_phase_even_for_admins(process, site_admin, clock):
    join(process, site_admin, "Admin")
    clock.at(PhaseKind.VOTING)
    with pytest.raises(Conflict):
        services.idea_create(process=process, user=site_admin, title="X", text="y")


def test_votes_count_once_per_person_and_can_change(idea, participant, clock, django_user_model):
    clock.at(PhaseKind.VOTING)
    services.vote_cast(idea=idea, user=participant, value=1)
    services.vote_cast(idea=idea, user=participant, value=1)
    idea.refresh_from_db()
    assert (idea.support_count, idea.against_count) == (1, 0)
    services.vote_cast(idea=idea, user=participant, value=-1)
    idea.refresh_from_db()
    assert (idea.support_count, idea.against_count) == (0, 1)
    assert Vote.objects.filter(idea=idea).count() == 1
    assert services.vote_withdraw(idea=idea, user=participant)
    idea.refresh_from_db()
    assert (idea.support_count, idea.against_count) == (0, 0)


def test_vote_outside_voting_phase_is_refused(idea, participant, clock):
    clock.at(PhaseKind.RESULTS)
    with pytest.raises(PermissionDenied):
        services.vote_cast(idea=idea, user=participant)


def test_first_post_review(process, clock, django_user_model, moderator):
    process.first_post_review = True
    process.save()
    user = django_user_model.objects.create_user(username="neu", email="neu@example.org")
    clock.at("before")
    services.process_join(process=process, user=user, display_name="Neu", accept_code=True)
    clock.at(PhaseKind.IDEAS)
    first = services.idea_create(process=process, user=user, title="Erste", text="Text")
    assert first.awaiting_review
    assert not Idea.objects.visible().filter(pk=first.pk).exists()
    services.content_approve(obj=first, actor=moderator)
    second = services.idea_create(process=process, user=user, title="Zweite", text="Text")
    assert not second.awaiting_review


def test_join_needs_code_of_conduct_and_admission(process, clock, django_user_model):
    user = django_user_model.objects.create_user(username="b", email="b@example.org")
    with pytest.raises(InvalidInput) as exc:
        services.process_join(process=process, user=user, display_name="B", accept_code=False)
    assert "accept_code" in exc.value.fields
    process.admission = Admission.INVITATION
    process.save()
    with pytest.raises(InvalidInput) as exc:
        services.process_join(
            process=process, user=user, display_name="B", accept_code=True, code="NOPE"
        )
    assert "code" in exc.value.fields
    InvitationCode.objects.create(process=process, code="ABCD1234", max_uses=1)
    services.process_join(
        process=process, user=user, display_name="B", accept_code=True, code="abcd1234"
    )
    other = django_user_model.objects.create_user(username="c", email="c@example.org")
    with pytest.raises(InvalidInput):
        services.process_join(
            process=process, user=other, display_name="C", accept_code=True, code="ABCD1234"
        )


def test_residents_only_refuses_other_municipality(process, other_participant):
    process.admission = Admission.RESIDENTS
    process.save()
    with pytest.raises(InvalidInput) as exc:
        services.process_join(
            process=process,
            user=other_participant,
            display_name="Tom",
            accept_code=True,
            resident=True,
        )
    assert "resident" in exc.value.fields


def test_comment_reply_and_hide(  # noqa: PLR0917
    idea, participant, moderator, clock, django_user_model, django_capture_on_commit_callbacks
):
    clock.at(PhaseKind.DISCUSSION)
    bob = django_user_model.objects.create_user(username="bob", email="bob@example.org")
    join(idea.process, bob, "Bob")
    Follow.objects.create(process=idea.process, user=bob)
    first = services.comment_create(idea=idea, user=bob, text="Gute Idee")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        services.comment_create(idea=idea, user=participant, text="Danke", parent=first)
    clock.reset()
    for callback in callbacks:
        callback()
    clock.at(PhaseKind.DISCUSSION)
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    idea.refresh_from_db()
    assert idea.comment_count == 2
    with pytest.raises(InvalidInput):
        services.content_hide(obj=first, actor=moderator, reason="")
    services.content_hide(obj=first, actor=moderator, reason="Beleidigung")
    idea.refresh_from_db()
    assert idea.comment_count == 1
    with pytest.raises(PermissionDenied):
        services.content_hide(obj=first, actor=participant, reason="x")


def test_feedback_mails_author_with_unfollow_link(
    idea, participant, moderator, clock, django_capture_on_commit_callbacks
):
    clock.reset()
    Follow.objects.get_or_create(process=idea.process, user=participant)
    mail.outbox.clear()
    with pytest.raises(InvalidInput):
        services.idea_feedback(
            idea=idea, actor=moderator, status=FeedbackStatus.NOT_TAKEN_UP, text=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_feedback(
            idea=idea, actor=moderator, status=FeedbackStatus.TAKEN_UP, text="Wird geplant."
        )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "aufgegriffen" in body
    link = next(line for line in body.splitlines() if "/beteiligung/abmelden/" in line).split()[-1]
    services.unfollow_by_token(token=link.rsplit("/abmelden/", 1)[1].strip("/"))
    assert not Follow.objects.filter(process=idea.process, user=participant).exists()


def test_phase_change_mails_followers_once(
    process, participant, clock, django_capture_on_commit_callbacks
):
    Follow.objects.get_or_create(process=process, user=participant)
    clock.at(PhaseKind.VOTING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.phase_changes_notify() == 1
    clock.reset()
    for callback in callbacks:
        callback()
    assert services.phase_changes_notify() == 0
    assert "Priorisierung" in mail.outbox[0].subject


def test_export_and_erasure_keep_contributions_anonymised(idea, participant, clock):
    clock.at(PhaseKind.VOTING)
    services.vote_cast(idea=idea, user=participant)
    data = retention.personal_data_export(user=participant)
    assert data["ideas"][0]["title"] == "Bank am Dorfteich"
    retention.personal_data_erase(user=participant)
    idea.refresh_from_db()
    assert idea.author is None and idea.author_name == "gelöschtes Konto"
    assert idea.support_count == 1 and Vote.objects.filter(idea=idea, user=None).count() == 1


def test_erasure_on_request_removes_contributions(idea, participant):
    Comment.objects.create(idea=idea, author=participant, author_name="A", text="x")
    Idea.objects.filter(pk=idea.pk).update(comment_count=1)
    retention.personal_data_erase(user=participant, remove_contributions=True)
    assert not Idea.objects.filter(pk=idea.pk).exists()


def test_account_export_and_deletion_include_contributions(idea, participant):
    from ortswandel.accounts.services import user_delete, user_export_data

    data = user_export_data(user=participant)
    assert data["participation"]["ideas"][0]["title"] == "Bank am Dorfteich"
    user_delete(user=participant)
    idea.refresh_from_db()
    assert idea.author_id is None and idea.author_name == "gelöschtes Konto"


def test_my_contributions_page_removes_on_request(client, idea, participant):
    client.force_login(participant)
    assert "Bank am Dorfteich" in client.get("/beteiligung/meine-beitraege/").content.decode()
    client.post("/beteiligung/meine-beitraege/", {"confirm": "1"})
    assert not Idea.objects.filter(pk=idea.pk).exists()
