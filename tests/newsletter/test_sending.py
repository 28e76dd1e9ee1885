"""Composing and sending: RFC 8058 headers, one-click unsubscribe (no CSRF, no login), batch
idempotency, suppression (bounces, complaints, webhook), counts, language, digests."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from ortswandel.core.models import QueuedMail
from ortswandel.newsletter import selectors, services
from ortswandel.newsletter.models import (
    Delivery,
    DigestFrequency,
    Issue,
    IssueStatus,
    ProgrammeNewsletter,
    Subscription,
    SubscriptionStatus,
    SuppressedAddress,
    TopicKind,
    address_hash,
)

from .conftest import subscribe

pytestmark = pytest.mark.django_db


def _issue(programme, content, editor):
    return services.issue_create(
        programme=programme,
        subject="Neues aus dem Testprogramm",
        intro="<p>Hallo <script>alert(1)</script><strong>Kommunen</strong></p>",
        news_ids=[content["news"].pk],
        event_ids=[content["event"].pk],
        result_ids=[content["result"].pk],
        acting_user=editor,
    )


def _send(issue, editor, capture):
    with capture(execute=True):
        services.issue_send(issue=issue, acting_user=editor)


def test_intro_is_sanitised(programme, content, programme_editor):
    issue = _issue(programme, content, programme_editor)
    assert "<script>" not in issue.intro and "<strong>Kommunen</strong>" in issue.intro


def test_mail_has_rfc8058_headers_and_both_parts(
    programme, content, programme_editor, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("leser@example.org", programme)
    _send(_issue(programme, content, programme_editor), programme_editor,
          django_capture_on_commit_callbacks)  # fmt: skip
    assert len(mailoutbox) == 1
    message = mailoutbox[0].message()
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://testserver/newsletter/abmelden/")
    assert ", <mailto:unsubscribe@" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parts = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= parts
    assert "Werkstatt Leerstand" in mailoutbox[0].body
    html = mailoutbox[0].alternatives[0][0]
    assert "Leitfaden Kita-Planung" in html and "<script>" not in html
    assert "<img" not in html  # no tracking pixel


def test_one_click_post_without_csrf_and_login(
    programme, content, programme_editor, mailoutbox, django_capture_on_commit_callbacks
):
    sub = subscribe("leser@example.org", programme)
    issue = _issue(programme, content, programme_editor)
    _send(issue, programme_editor, django_capture_on_commit_callbacks)
    header = mailoutbox[0].message()["List-Unsubscribe"]
    url = header.split(">")[0].lstrip("<").replace("http://testserver", "")
    client = Client(enforce_csrf_checks=True)  # like a mail client: no cookie, no token
    response = client.post(
        url,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.UNSUBSCRIBED
    issue.refresh_from_db()
    assert selectors.issue_statistics(issue).unsubscribed_after == 1
    # Repeating the click changes nothing and counts nothing.
    again = client.post(
        url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert again.status_code == 200
    assert selectors.issue_statistics(issue).unsubscribed_after == 1


def test_forged_unsubscribe_token_is_refused(programme):
    sub = subscribe("leser@example.org", programme)
    token = services.manage_token(sub.address_hash)
    response = Client().post(f"/newsletter/abmelden/{token[:-2]}xx/")
    assert response.status_code == 404
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.CONFIRMED


def test_batches_are_idempotent(  # noqa: PLR0917 - fixtures
    programme, content, programme_editor, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ORTSWANDEL_NEWSLETTER_BATCH_SIZE = 2
    for n in range(5):
        subscribe(f"leser{n}@example.org", programme)
    # One address with two topics gets one mail.
    services.Topic(TopicKind.LAND, land_code="12")
    issue = _issue(programme, content, programme_editor)
    _send(issue, programme_editor, django_capture_on_commit_callbacks)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert sorted(m.to[0] for m in mailoutbox) == [f"leser{n}@example.org" for n in range(5)]
    # Re-running the job (a worker died and the job was handed on) sends nothing twice.
    Issue.objects.filter(pk=issue.pk).update(status=IssueStatus.SENDING)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.issue_send_batch(issue_id=issue.pk) == 0
    assert len(mailoutbox) == 5
    # The database forbids a second delivery row for an address.
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(issue=issue, address_hash=address_hash("leser0@example.org"))
    stats = selectors.issue_statistics(issue)
    assert (stats.recipients, stats.sent, stats.failed, stats.waiting) == (5, 5, 0, 0)


def test_sending_twice_is_refused(
    programme, content, programme_editor, django_capture_on_commit_callbacks
):
    issue = _issue(programme, content, programme_editor)
    _send(issue, programme_editor, django_capture_on_commit_callbacks)
    with pytest.raises(services.Unprocessable):
        services.issue_send(issue=issue, acting_user=programme_editor)


def test_one_mail_per_address_across_topics(
    programme, content, programme_editor, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("leser@example.org", programme)
    theme_sub = services.subscription_request(
        email="leser@example.org",
        topic=services.Topic(TopicKind.LAND, land_code="12"),
    )
    assert theme_sub is not None
    Subscription.objects.filter(pk=theme_sub.pk).update(status=SubscriptionStatus.CONFIRMED)
    _send(_issue(programme, content, programme_editor), programme_editor,
          django_capture_on_commit_callbacks)  # fmt: skip
    assert [m.to for m in mailoutbox if m.subject.startswith("Neues")] == [["leser@example.org"]]


def test_municipality_subscribers_of_project_places_receive(  # noqa: PLR0917 - fixtures
    programme, content, programme_editor, staff_municipality, other_staff_municipality,
    mailoutbox, django_capture_on_commit_callbacks,
):  # fmt: skip
    from ortswandel.catalogue.models import Project
    from ortswandel.core.models import PublicationStatus

    project = Project.objects.create(
        programme=programme, acronym="KITA", slug="kita", status=PublicationStatus.PUBLISHED
    )
    project.municipalities.add(staff_municipality)
    for email, municipality in (("hier@example.org", staff_municipality),
                                ("dort@example.org", other_staff_municipality)):  # fmt: skip
        sub = services.subscription_request(
            email=email, topic=services.Topic(TopicKind.MUNICIPALITY, municipality=municipality)
        )
        assert sub is not None
        Subscription.objects.filter(pk=sub.pk).update(status=SubscriptionStatus.CONFIRMED)
    mailoutbox.clear()
    _send(_issue(programme, content, programme_editor), programme_editor,
          django_capture_on_commit_callbacks)  # fmt: skip
    assert [m.to for m in mailoutbox] == [["hier@example.org"]]


def test_language_of_the_subscriber(
    programme, content, programme_editor, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("reader@example.org", programme, language="en")
    _send(_issue(programme, content, programme_editor), programme_editor,
          django_capture_on_commit_callbacks)  # fmt: skip
    body = mailoutbox[0].body
    assert "Unsubscribe with one click" in body and "Abmelden mit einem Klick" not in body


def test_suppressed_addresses_get_nothing(  # noqa: PLR0917 - fixtures
    client, programme, content, programme_editor, mailoutbox, django_capture_on_commit_callbacks
):
    bounced = subscribe("bounce@example.org", programme)
    subscribe("ok@example.org", programme)
    response = client.post(
        "/newsletter/zustellung/webhook/",
        data=json.dumps({"email": "Bounce@Example.org", "type": "bounce"}),
        content_type="application/json",
        headers={"X-Ortswandel-Webhook-Secret": "geheim-webhook-123"},
    )
    assert response.status_code == 200
    bounced.refresh_from_db()
    assert bounced.status == SubscriptionStatus.UNSUBSCRIBED
    assert SuppressedAddress.objects.get().address_hash == address_hash("bounce@example.org")
    assert not SuppressedAddress.objects.filter(address_hash__contains="@").exists()
    _send(_issue(programme, content, programme_editor), programme_editor,
          django_capture_on_commit_callbacks)  # fmt: skip
    assert [m.to for m in mailoutbox] == [["ok@example.org"]]
    # A new sign-up of a bounced address sends no confirmation mail.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletter/", {"email": "bounce@example.org",
                                     "programme": programme.slug, "language": "de"})  # fmt: skip
    assert not mailoutbox


OK_SECRET = {"X-Ortswandel-Webhook-Secret": "geheim-webhook-123"}


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({}, {"email": "a@example.org", "type": "bounce"}, 403),
        ({"X-Ortswandel-Webhook-Secret": "x"}, {"email": "a@example.org", "type": "bounce"}, 403),
        (OK_SECRET, {"email": "a@example.org"}, 400),
        (OK_SECRET, {"email": "a", "type": "bounce"}, 400),
        (OK_SECRET, {"email": "a@example.org", "type": "x"}, 400),
    ],
)  # fmt: skip
def test_webhook_refuses_bad_requests(client, headers, body, status):
    response = client.post(
        "/newsletter/zustellung/webhook/",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == status
    assert response.json()["message"]
    assert not SuppressedAddress.objects.exists()


def test_webhook_without_configured_secret_is_closed(client, settings):
    settings.ORTSWANDEL_NEWSLETTER_WEBHOOK_SECRET = ""
    response = client.post(
        "/newsletter/zustellung/webhook/",
        data=json.dumps({"email": "a@example.org", "type": "bounce"}),
        content_type="application/json",
        headers={"X-Ortswandel-Webhook-Secret": ""},
    )
    assert response.status_code == 403


def test_complaint_by_command_cancels_waiting_mail(programme, content, programme_editor):
    subscribe("spam@example.org", programme)
    issue = _issue(programme, content, programme_editor)
    services.issue_send(issue=issue, acting_user=programme_editor)
    services.issue_send_batch(issue_id=issue.pk)  # queued, not yet delivered
    assert QueuedMail.objects.filter(to="spam@example.org", sent_at__isnull=True).exists()
    call_command("newsletter_suppress", "spam@example.org", "complaint")
    assert not QueuedMail.objects.filter(to="spam@example.org", kind="newsletter.issue").exists()


def test_failed_mail_counts(
    programme, content, programme_editor, settings, django_capture_on_commit_callbacks
):
    subscribe("leser@example.org", programme)
    issue = _issue(programme, content, programme_editor)
    services.issue_send(issue=issue, acting_user=programme_editor)
    services.issue_send_batch(issue_id=issue.pk)
    QueuedMail.objects.filter(kind="newsletter.issue").update(failed_at=timezone.now())
    stats = selectors.issue_statistics(issue)
    assert (stats.recipients, stats.sent, stats.failed) == (1, 0, 1)


def test_test_send_goes_to_the_editor_only(
    programme, content, programme_editor, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("leser@example.org", programme)
    issue = _issue(programme, content, programme_editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send_test(issue=issue, acting_user=programme_editor)
    assert [m.to for m in mailoutbox] == [[programme_editor.email]]
    assert mailoutbox[0].subject.startswith("[Test]")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


def test_digest_only_when_something_is_new(
    programme, content, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe("leser@example.org", programme)
    ProgrammeNewsletter.objects.create(programme=programme, digest=DigestFrequency.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        issues = services.digests_send_due()
    assert len(issues) == 1 and len(mailoutbox) == 1
    # Not due again within the week; after a week with nothing new: nothing.
    assert services.digests_send_due() == []
    later = timezone.now() + dt.timedelta(days=8)
    assert services.digests_send_due(now=later) == []
    assert Issue.objects.count() == 1


def test_html_preview_allows_only_the_mails_inline_styles(client, programme, programme_editor):
    issue = services.issue_create(
        programme=programme, subject="Vorschau", intro="<p>Hallo</p>", acting_user=programme_editor
    )
    client.force_login(programme_editor)
    response = client.get(f"/newsletter/redaktion/ausgabe/{issue.pk}/vorschau/")
    assert response.status_code == 200 and b"Hallo" in response.content
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
