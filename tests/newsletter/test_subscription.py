"""Sign-up with double opt-in, honeypot, rate limit, no existence oracle, preferences, purges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ortswandel.core.models import QueuedMail
from ortswandel.newsletter import services
from ortswandel.newsletter.models import Subscription, SubscriptionStatus

from .conftest import link_in, subscribe

pytestmark = pytest.mark.django_db

DONE = "/newsletter/angemeldet/"


def _signup(client, **data):
    payload = {"email": "leser@example.org", "language": "de", "website": ""}
    payload.update(data)
    return client.post("/newsletter/", payload)


def test_double_opt_in(client, programme, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, programme=programme.slug)
    assert response.status_code == 302 and response["Location"] == DONE
    sub = Subscription.objects.get()
    assert sub.status == SubscriptionStatus.PENDING
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["leser@example.org"]
    assert "Testprogramm" in mail.body
    path = link_in(mail.body, "/bestaetigen/")
    # GET only shows a button: a mail scanner opening the link confirms nothing.
    page = client.get(path)
    assert page.status_code == 200 and "Abonnement bestätigen" in page.content.decode()
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.PENDING
    confirmed = client.post(path)
    assert confirmed.status_code == 200
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.CONFIRMED and sub.confirmed_at
    # Confirming twice is harmless.
    assert client.post(path).status_code == 200
    # The confirmation mail held an access link: its body is erased once sent.
    assert QueuedMail.objects.get(kind="newsletter.confirm").body == ""


def test_no_existence_oracle(client, programme, mailoutbox, django_capture_on_commit_callbacks):
    subscribe("leser@example.org", programme)
    with django_capture_on_commit_callbacks(execute=True):
        known = _signup(client, programme=programme.slug)
        new = _signup(client, programme=programme.slug, email="neu@example.org")
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"] == DONE
    assert [m.to for m in mailoutbox] == [["neu@example.org"]]  # confirmed: no second mail
    text = client.get(DONE).content.decode()
    assert "Wenn diese Adresse für diese Themen neu ist" in text


def test_honeypot_creates_nothing(client, programme, mailoutbox):
    response = _signup(client, programme=programme.slug, website="http://spam.example")
    assert response.status_code == 302
    assert not Subscription.objects.exists() and not mailoutbox


def test_needs_a_topic_and_valid_ags(client):
    response = _signup(client)
    assert response.status_code == 400
    assert "mindestens ein Programm, Thema, Land oder eine Kommune" in response.content.decode()
    response = _signup(client, ags="12345")
    assert response.status_code == 400
    assert "genau 8 Ziffern" in response.content.decode()
    response = _signup(client, ags="99999999")
    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_land_and_municipality_topics(client, staff_municipality):
    assert _signup(client, land="12", ags=staff_municipality.ags).status_code == 302
    keys = set(Subscription.objects.values_list("topic_key", flat=True))
    assert keys == {"land:12", f"ags:{staff_municipality.ags}"}


def test_rate_limit(client, programme, settings):
    settings.ORTSWANDEL_RATELIMIT_ENABLED = True
    settings.ORTSWANDEL_RATELIMIT_NEWSLETTER = "2/h"
    for _ in range(2):
        assert _signup(client, programme=programme.slug).status_code == 302
    response = _signup(client, programme=programme.slug)
    assert response.status_code == 429
    assert "Zu viele Anmeldungen" in response.content.decode()


@pytest.mark.parametrize("token", ["kaputt", "x" * 600])
def test_bad_tokens_are_404_with_german_message(client, token):
    for prefix in ("bestaetigen", "einstellungen", "abmelden"):
        response = client.get(f"/newsletter/{prefix}/{token}/")
        assert response.status_code == 404, prefix
        assert "ungültig oder abgelaufen" in response.content.decode()


def test_expired_confirmation(client, programme, settings):
    sub = services.subscription_request(
        email="a@example.org", topic=services.Topic("programme", programme=programme)
    )
    assert sub is not None
    token = services.confirm_token(sub)
    assert client.get(f"/newsletter/bestaetigen/{token}/").status_code == 200
    settings.ORTSWANDEL_NEWSLETTER_UNCONFIRMED_DAYS = 0  # every link is older than 0 days
    assert client.get(f"/newsletter/bestaetigen/{token}/").status_code == 404


def test_preferences_by_signed_link(client, programme, other_programme):
    sub = subscribe("leser@example.org", programme)
    other = subscribe("leser@example.org", other_programme)
    path = f"/newsletter/einstellungen/{services.manage_token(sub.address_hash)}/"
    page = client.get(path).content.decode()
    assert "Testprogramm" in page and "Anderes Programm" in page
    response = client.post(path, {"keep": [sub.pk], "language": "en"})
    assert response.status_code == 302
    sub.refresh_from_db()
    other.refresh_from_db()
    assert sub.status == SubscriptionStatus.CONFIRMED and sub.language == "en"
    assert other.status == SubscriptionStatus.UNSUBSCRIBED


def test_account_area_lists_own_subscriptions(client, programme, registered_user):
    subscribe(registered_user.email, programme)
    subscribe("fremd@example.org", programme)
    assert client.get("/newsletter/meine/").status_code == 302  # login first
    client.force_login(registered_user)
    page = client.get("/newsletter/meine/").content.decode()
    assert "Testprogramm" in page and "/newsletter/einstellungen/" in page
    assert "fremd@example.org" not in page


def test_purges(programme):
    pending = services.subscription_request(
        email="alt@example.org", topic=services.Topic("programme", programme=programme)
    )
    assert pending is not None
    gone = subscribe("weg@example.org", programme)
    services.unsubscribe_all(hash_=gone.address_hash)
    kept = subscribe("bleibt@example.org", programme)
    Subscription.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8)
    )
    Subscription.objects.filter(pk=gone.pk).update(
        unsubscribed_at=timezone.now() - dt.timedelta(days=31)
    )
    assert services.purge_unconfirmed() == 1
    assert services.purge_unsubscribed() == 1
    assert list(Subscription.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not QueuedMail.objects.filter(to="alt@example.org").exists()


def test_periodic_jobs_are_registered():
    from ortswandel.core import jobs
    from ortswandel.newsletter import tasks  # noqa: F401

    names = {job.name for job in jobs.periodic_jobs()}
    assert {"newsletter.send_digests", "newsletter.purge_subscriptions"} <= names


def test_unsubscribe_get_shows_page_and_changes_nothing(programme):
    sub = subscribe("leser@example.org", programme)
    client = Client()
    response = client.get(f"/newsletter/abmelden/{services.manage_token(sub.address_hash)}/")
    assert response.status_code == 200 and "Jetzt abmelden" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.CONFIRMED


def test_signing_up_again_after_unsubscribing_needs_a_new_confirmation(programme):
    sub = subscribe("leser@example.org", programme)
    old_link = services.confirm_token(sub)
    services.unsubscribe_all(hash_=sub.address_hash)
    again = services.subscription_request(
        email="leser@example.org", topic=services.Topic("programme", programme=programme)
    )
    assert again is not None and again.pk == sub.pk
    assert again.status == SubscriptionStatus.PENDING
    with pytest.raises(services.signed_links.LinkInvalid):
        services.subscription_confirm(token=old_link)
    confirmed = services.subscription_confirm(token=services.confirm_token(again))
    assert [sub.status for sub in confirmed] == ["confirmed"]


def test_signed_in_users_address_is_prefilled(client, registered_user, programme):
    client.force_login(registered_user)
    assert registered_user.email in client.get("/newsletter/").content.decode()
    assert registered_user.email in client.get(programme.get_absolute_url()).content.decode()
    client.logout()
    assert registered_user.email not in client.get("/newsletter/").content.decode()


def test_one_mail_confirms_all_topics_of_a_sign_up(
    client, programme, staff_municipality, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, programme=programme.slug, land="12", ags=staff_municipality.ags)
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "Testprogramm" in body and "Brandenburg" in body and "Stahnsdorf" in body
    client.post(link_in(body, "/bestaetigen/"))
    assert set(Subscription.objects.values_list("status", flat=True)) == {"confirmed"}
    assert Subscription.objects.count() == 3


def test_repeated_sign_ups_do_not_flood_the_mailbox(
    client, programme, other_programme, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            _signup(client, programme=programme.slug)
    assert len(mailoutbox) == 1  # pending: the mail again only after the resend interval
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, programme=other_programme.slug)  # a new topic: a new mail
    assert len(mailoutbox) == 2


def test_confirmation_link_with_a_deleted_subscription_is_invalid(client, programme):
    sub = services.subscription_request(
        email="a@example.org", topic=services.Topic("programme", programme=programme)
    )
    assert sub is not None
    token = services.confirm_token(sub)
    Subscription.objects.all().delete()
    assert client.get(f"/newsletter/bestaetigen/{token}/").status_code == 404
