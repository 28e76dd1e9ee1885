"""Newsletter mails in the subscriber's language: the digest's subject too (it is ours, not
an editor's), with the date in the subscriber's format."""

from __future__ import annotations

import re

from django.utils import translation

from ortswandel.newsletter import services
from ortswandel.newsletter.models import DigestFrequency, Issue, ProgrammeNewsletter

from .conftest import subscribe


def test_digest_subject_and_body_follow_the_subscribers_language(
    programme, content, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("reader@example.org", programme, language="en")
    subscribe("leserin@example.org", programme, language="de")
    ProgrammeNewsletter.objects.create(programme=programme, digest=DigestFrequency.WEEKLY)
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        services.digests_send_due()
    issue = Issue.objects.get()
    assert re.fullmatch(r"Testprogramm: Neues seit dem \d\d\.\d\d\.\d{4}", issue.subject)
    by_address = {m.to[0]: m for m in mailoutbox}
    english, german = by_address["reader@example.org"], by_address["leserin@example.org"]
    assert german.subject == issue.subject
    assert re.fullmatch(r"Testprogramm: new since \d{4}-\d\d-\d\d", english.subject)
    assert english.body.startswith(english.subject)  # the body's heading is translated too
    assert "Neues seit" not in english.body
    assert "Unsubscribe with one click" in english.body
    assert "Abmelden mit einem Klick" in german.body
