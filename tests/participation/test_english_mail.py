"""Mails to followers are written in the language in which they followed (or joined), with
links into that language, whoever triggers them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from ortswandel.participation import services
from ortswandel.participation.models import FeedbackStatus, Follow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "expected", "absent"), [
    ("en", "The moderators have responded to your idea", "Die Moderation hat"),
    ("de", "Die Moderation hat Ihre Idee", "The moderators"),
])  # fmt: skip
def test_feedback_mail_in_the_followers_language(  # noqa: PLR0917 - fixtures
    idea, participant, moderator, clock, django_capture_on_commit_callbacks,
    language, expected, absent,
):  # fmt: skip
    clock.reset()
    Follow.objects.filter(process=idea.process, user=participant).delete()
    with translation.override(language):
        services.follow_set(process=idea.process, user=participant, follow=True)
    assert Follow.objects.get(process=idea.process, user=participant).language == language
    mail.outbox.clear()
    other = "de" if language == "en" else "en"
    with translation.override(other), django_capture_on_commit_callbacks(execute=True):
        services.idea_feedback(
            idea=idea, actor=moderator, status=FeedbackStatus.TAKEN_UP, text="Wird geplant."
        )
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert expected in sent.body and absent not in sent.body
    link = next(line for line in sent.body.splitlines() if "/beteiligung/" in line).split()[-1]
    assert ("/en/beteiligung/" in link) == (language == "en"), link
