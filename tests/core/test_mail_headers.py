"""Extra headers on queued mail (``core.notifications``): kept with the mail, sent with it, and
checked against header injection."""

from __future__ import annotations

import pytest
from django.core import mail as django_mail

from ortswandel.core import notifications


def test_header_injection_is_refused():
    with pytest.raises(ValueError, match="one line"):
        notifications.clean_headers({"List-Unsubscribe": "<x>\r\nBcc: a@example.org"})
    with pytest.raises(ValueError, match="name"):
        notifications.clean_headers({"Bad Name": "x"})


@pytest.mark.django_db
def test_queued_mail_keeps_extra_headers(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.mail_queue(
            to="a@example.org", subject="S", body="B", headers={"X-Test": "ja"}
        )
    assert mailoutbox[0].message()["X-Test"] == "ja"
    assert django_mail.outbox is mailoutbox


@pytest.mark.django_db
def test_mail_queue_refuses_bad_headers_and_queues_nothing():
    from ortswandel.core.models import QueuedMail

    with pytest.raises(ValueError, match="one line"):
        notifications.mail_queue(to="a@example.org", subject="S", body="B", headers={"X": "a\nb"})
    assert not QueuedMail.objects.exists()
