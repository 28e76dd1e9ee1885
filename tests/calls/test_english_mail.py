"""Mails to applicants are written in the applicant's language (stored with the application
when it is created and submitted), not in the language of whoever triggers them."""

from __future__ import annotations

import pytest
from django.utils import translation

from ortswandel.calls import services
from ortswandel.calls.models import Application
from ortswandel.core.models import QueuedMail

from .conftest import ANSWERS, BUDGET

pytestmark = pytest.mark.django_db


def test_english_applicant_gets_english_mails_from_a_german_chair(
    call, applicant, staff_municipality, jury_chair
):
    with translation.override("en"):  # the applicant works on /en/
        draft = services.application_create(
            call=call, municipality=staff_municipality, title="New centre", acting_user=applicant
        )
        services.application_save(
            application=draft,
            acting_user=applicant,
            title="New centre",
            answers=ANSWERS,
            budget=BUDGET,
        )
        services.application_submit(application=draft, acting_user=applicant)
    submitted_application = Application.objects.get(pk=draft.pk)
    assert submitted_application.language == "en"
    submitted = QueuedMail.objects.get(kind="calls.submitted")
    assert submitted.language == "en"
    assert submitted.subject.startswith("Confirmation of receipt")
    assert "has been received" in submitted.body and "Guten Tag" not in submitted.body
    # The chair works in German; the decision still reaches the applicant in English.
    with translation.override("de"):
        services.decision_take(
            application=submitted_application,
            outcome="rejected",
            reason="Unklar.",
            acting_user=jury_chair,
        )
        assert services.decisions_announce(call=call, acting_user=jury_chair) == 1
    decision = QueuedMail.objects.get(kind="calls.decision")
    assert decision.language == "en" and decision.subject.startswith("Decision on your")
    assert "Guten Tag" not in decision.body and "Unklar." in decision.body


def test_german_applicant_keeps_german_mails(call, application, jury_chair):
    with translation.override("en"):  # an English-speaking chair
        services.decision_take(
            application=application, outcome="rejected", reason="Unklar.", acting_user=jury_chair
        )
        services.decisions_announce(call=call, acting_user=jury_chair)
    decision = QueuedMail.objects.get(kind="calls.decision")
    assert decision.language == "de" and "Guten Tag" in decision.body


def test_jury_invitation_in_the_language_chosen_for_the_invitee(call, programme_editor):
    with translation.override("de"):  # the programme office works in German
        services.juror_invite(
            call=call, email="expert@example.org", acting_user=programme_editor, language="en"
        )
        services.juror_invite(call=call, email="expertin@example.org", acting_user=programme_editor)
    english = QueuedMail.objects.get(to="expert@example.org")
    assert english.language == "en" and english.subject.startswith("Invitation to the jury")
    assert "Guten Tag" not in english.body and "/en/" in english.body
    german = QueuedMail.objects.get(to="expertin@example.org")
    assert german.language == "de" and "Guten Tag" in german.body


def test_jury_invitation_in_an_unknown_language_is_refused_and_writes_nothing(
    call, programme_editor
):
    from ortswandel.calls.models import JuryMember
    from ortswandel.core.errors import Unprocessable

    with pytest.raises(Unprocessable):
        services.juror_invite(
            call=call, email="expert@example.org", acting_user=programme_editor, language="xx"
        )
    assert not JuryMember.objects.filter(email="expert@example.org").exists()
    assert not QueuedMail.objects.filter(to="expert@example.org").exists()
