"""E-mail verification at sign-up: the activation link, its failure modes, login before
verification, resending, sign-up with a taken address (no enumeration), and the deletion of
accounts that were never confirmed."""

from __future__ import annotations

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ortswandel.accounts import services
from ortswandel.accounts.models import EmailVerification, ProfileKind
from ortswandel.accounts.tokens import TokenState, activation_token_generator
from ortswandel.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "Kommune-2026-sicher!"
SIGNUP = {
    "email": "Neue.Planerin@Example.org",
    "first_name": "Nina",
    "last_name": "Neumann",
    "kind": ProfileKind.MUNICIPAL_STAFF,
    "organisation_name": "Stadt Musterhausen",
    "password": PASSWORD,
    "privacy": "on",
}
EMAIL = "neue.planerin@example.org"


@pytest.fixture
def signup(client, mailoutbox, django_capture_on_commit_callbacks):
    """POST the sign-up form and run the after-commit mail; returns the response."""

    def _signup(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:signup"), dict(SIGNUP, **overrides))

    return _signup


def _link_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/\S*/bestaetigen/[^/\s]+/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def _pending_user(email: str = EMAIL, *, joined_days_ago: float = 0) -> object:
    user = services.user_register(
        email=email, password=PASSWORD, kind=ProfileKind.CITIZEN, base_url="http://testserver/"
    )
    assert user is not None
    if joined_days_ago:
        EmailVerification.objects.filter(user=user).update(
            created_at=timezone.now() - dt.timedelta(days=joined_days_ago)
        )
    return user


def _path_for(user, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:activate", kwargs={"uidb64": uid, "token": token})


def _old_token(user, *, age_seconds: int) -> str:
    """A token as if made ``age_seconds`` ago (the signer reads the clock through ``time``)."""
    then = time.time() - age_seconds
    with mock.patch("django.core.signing.time.time", return_value=then):
        return activation_token_generator.make_token(user)


# --- the whole flow ----------------------------------------------------------------------------
def test_signup_mail_link_activates_and_logs_in(client, signup, mailoutbox):
    response = signup()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    page = client.get(response["Location"]).content.decode()
    assert "Bitte prüfen Sie Ihr Postfach" in page and EMAIL in page

    user = get_user_model().objects.get(email=EMAIL)
    assert not user.is_active and services.is_pending(user)
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [EMAIL]
    assert "bestätigen" in mail.subject and "\n" not in mail.subject
    assert "gültig bis" in mail.body and "gelöscht" in mail.body

    path = _link_path(mail.body)
    # GET only shows a button: a mail scanner following the link activates nothing.
    response = client.get(path)
    assert response.status_code == 200
    assert "E-Mail-Adresse bestätigen" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active

    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.is_active
    assert not EmailVerification.objects.filter(user=user).exists()
    assert int(client.session["_auth_user_id"]) == user.pk
    entry = AuditEntry.objects.get(action="accounts.user.email_verified")
    assert entry.object_id == str(user.pk) and entry.actor_id == user.pk
    assert "bestätigt" in client.get(reverse("accounts:profile")).content.decode()

    # From now on the ordinary login works.
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD})
    assert response.status_code == 302


def test_used_link_does_not_work_again(client, signup, mailoutbox):
    signup()
    path = _link_path(mailoutbox[0].body)
    assert client.post(path).status_code == 302
    client.logout()
    for method in (client.get, client.post):
        response = method(path)
        html = response.content.decode()
        assert response.status_code == 400
        assert "ungültig oder wurde bereits verwendet" in html
        assert 'role="alert"' in html
    assert AuditEntry.objects.filter(action="accounts.user.email_verified").count() == 1


@pytest.mark.parametrize(
    "mangle",
    [
        lambda uid, token: (uid, token[:-1] + ("0" if token[-1] != "0" else "1")),
        lambda uid, token: (uid, "abc"),
        lambda uid, token: (uid, "zzzzzzzzzzzzzzzz-1234"),
        lambda uid, token: (uid, "x" * 200),
        lambda uid, token: ("MTIzNDU2Nzg5", token),  # another (non-existent) id
        lambda uid, token: ("%%%", token),
        lambda uid, token: ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", token),  # huge id
    ],
)
def test_tampered_link_is_a_400_not_a_500(client, mangle):
    user = _pending_user()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = activation_token_generator.make_token(user)
    bad_uid, bad_token = mangle(uid, token)
    path = f"/konto/bestaetigen/{bad_uid}/{bad_token}/"
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code in (400, 404), path
        if response.status_code == 400:
            assert "ungültig" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active


def test_expired_link_says_so_and_points_to_a_new_one(client, settings):
    settings.ORTSWANDEL_ACCOUNTS_ACTIVATION_DAYS = 3
    user = _pending_user()
    path = _path_for(user, _old_token(user, age_seconds=3 * 24 * 3600 + 5))
    for method in (client.get, client.post):
        response = method(path)
        html = response.content.decode()
        assert response.status_code == 400
        assert "abgelaufen" in html
        assert reverse("accounts:login") in html
    user.refresh_from_db()
    assert not user.is_active
    # Just inside the validity the same kind of token works.
    fresh = _old_token(user, age_seconds=3 * 24 * 3600 - 60)
    assert activation_token_generator.check(user, fresh) is TokenState.VALID
    assert client.post(_path_for(user, fresh)).status_code == 302


def test_validity_follows_the_setting(settings):
    user = _pending_user()
    token = _old_token(user, age_seconds=2 * 24 * 3600)
    settings.ORTSWANDEL_ACCOUNTS_ACTIVATION_DAYS = 1
    assert activation_token_generator.check(user, token) is TokenState.EXPIRED
    settings.ORTSWANDEL_ACCOUNTS_ACTIVATION_DAYS = 3
    assert activation_token_generator.check(user, token) is TokenState.VALID


def test_link_stops_working_when_password_or_address_changes(client):
    user = _pending_user()
    token = activation_token_generator.make_token(user)
    user.set_password("Ein-anderes-Passwort-99")
    user.save()
    assert client.post(_path_for(user, token)).status_code == 400
    token = activation_token_generator.make_token(user)
    user.email = "andere@example.org"
    user.save()
    assert client.post(_path_for(user, token)).status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_link_of_an_account_deactivated_by_an_admin_does_not_reactivate_it(client):
    """Only accounts waiting for verification can be activated by a link."""
    user = _pending_user()
    token = activation_token_generator.make_token(user)
    EmailVerification.objects.filter(user=user).delete()  # e.g. admin takes over
    assert client.post(_path_for(user, token)).status_code == 400
    user.refresh_from_db()
    assert not user.is_active


# --- login before verification, resend --------------------------------------------------------
def test_login_before_verification_explains_and_offers_a_new_link(client):
    _pending_user()
    response = client.post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 200
    assert "noch nicht bestätigt" in html
    assert 'role="alert"' in html
    assert f'action="{reverse("accounts:activation_resend")}"' in html
    assert "_auth_user_id" not in client.session


def test_login_with_wrong_password_on_unverified_account_reveals_nothing(client, registered_user):
    _pending_user()
    pending = client.post(reverse("accounts:login"), {"username": EMAIL, "password": "falsch"})
    unknown = client.post(
        reverse("accounts:login"), {"username": "niemand@example.org", "password": "falsch"}
    )
    active = client.post(
        reverse("accounts:login"), {"username": registered_user.username, "password": "falsch"}
    )
    for response in (pending, unknown, active):
        html = response.content.decode()
        assert response.status_code == 200
        assert "noch nicht bestätigt" not in html
        assert reverse("accounts:activation_resend") not in html
    assert list(pending.context["form"].non_field_errors()) == list(
        unknown.context["form"].non_field_errors()
    )
    assert "accounts_pending_user_id" not in client.session


def test_resend_after_login_attempt_is_rate_limited(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ORTSWANDEL_ACCOUNTS_MAIL_INTERVAL_MINUTES = 10
    with django_capture_on_commit_callbacks(execute=True):
        user = _pending_user()
    assert len(mailoutbox) == 1
    client.post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD})
    page = client.get(reverse("accounts:activation_resend")).content.decode()
    assert EMAIL in page and "Neuen Link senden" in page

    # The first link went out a moment ago: nothing new yet.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:activation_resend"), follow=True)
    assert len(mailoutbox) == 1
    assert "frühestens 10 Minuten" in response.content.decode()

    AuditEntry.objects.filter(action=services.ACTION_ACTIVATION_SENT).update(
        created_at=timezone.now() - dt.timedelta(minutes=11)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:activation_resend"), follow=True)
    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == [EMAIL]
    assert "neuen Bestätigungslink" in response.content.decode()
    # A second click right away sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:activation_resend"))
    assert len(mailoutbox) == 2

    assert client.post(_link_path(mailoutbox[1].body)).status_code == 302
    user.refresh_from_db()
    assert user.is_active


def test_resend_needs_the_password_first(client, mailoutbox, django_capture_on_commit_callbacks):
    _pending_user()
    mailoutbox.clear()
    page = client.get(reverse("accounts:activation_resend"))
    assert page.status_code == 200
    assert "Neuen Link senden" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:activation_resend"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert mailoutbox == []


# --- sign-up with a taken address -------------------------------------------------------------
def _done_page(client) -> str:
    html = client.get(reverse("accounts:signup_done")).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # masked per render


def test_taken_address_gets_a_notice_and_the_page_looks_the_same(
    client, signup, mailoutbox, registered_user
):
    new = signup(email="Frisch@Example.org")
    new_page = _done_page(client)
    mailoutbox.clear()
    taken = signup(email=registered_user.email.upper(), password="Anderes-Passwort-2026")
    taken_page = _done_page(client)

    assert (new.status_code, new["Location"]) == (taken.status_code, taken["Location"])
    assert new_page.replace("frisch@example.org", "X") == taken_page.replace(
        registered_user.email, "X"
    )
    assert get_user_model().objects.filter(email__iexact=registered_user.email).count() == 1
    registered_user.refresh_from_db()
    assert registered_user.check_password(PASSWORD)  # unchanged
    assert len(mailoutbox) == 1
    notice = mailoutbox[0]
    assert notice.to == [registered_user.email]
    assert "bereits ein Konto" in notice.body
    assert reverse("accounts:password_reset") in notice.body
    assert "/bestaetigen/" not in notice.body
    assert AuditEntry.objects.filter(
        action=services.ACTION_NOTICE_SENT, object_id=str(registered_user.pk)
    ).exists()

    # Repeating the sign-up does not flood the owner's mailbox.
    signup(email=registered_user.email)
    assert len(mailoutbox) == 1


def test_taken_address_of_an_unverified_account_gets_no_activation_link(client, signup, mailoutbox):
    signup()
    mailoutbox.clear()
    signup(password="Fremdes-Passwort-2026")
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "noch nicht bestätigt" in body
    assert "/bestaetigen/" not in body  # only someone with the password can ask for a link
    user = get_user_model().objects.get(email=EMAIL)
    assert user.check_password(PASSWORD)


# --- deletion of accounts that were never confirmed -------------------------------------------
def test_cleanup_deletes_only_old_unverified_accounts(django_user_model, settings, registered_user):
    settings.ORTSWANDEL_ACCOUNTS_UNVERIFIED_DAYS = 7
    old = _pending_user("alt@example.org", joined_days_ago=8)
    fresh = _pending_user("frisch@example.org", joined_days_ago=6)
    deactivated = django_user_model.objects.create_user(
        username="gesperrt@example.org", email="gesperrt@example.org", is_active=False
    )
    django_user_model.objects.filter(pk=deactivated.pk).update(
        date_joined=timezone.now() - dt.timedelta(days=400)
    )
    old_id = old.pk

    call_command("delete_unverified_accounts", "--dry-run")
    assert django_user_model.objects.filter(pk=old_id).exists()

    call_command("delete_unverified_accounts")
    remaining = set(django_user_model.objects.values_list("username", flat=True))
    assert remaining == {"frisch@example.org", "gesperrt@example.org", registered_user.username}
    assert not EmailVerification.objects.filter(user_id=old_id).exists()
    run = AuditEntry.objects.get(action=services.ACTION_UNVERIFIED_DELETED)
    assert run.payload["count"] == 1 and run.payload["user_ids"] == [old_id]
    # The audit log keeps the facts about the deleted account, not its address.
    about_old = AuditEntry.objects.filter(object_type="auth.user", object_id=str(old_id))
    assert about_old.exists()
    assert all(entry.object_repr == services.DELETED_REPR for entry in about_old)
    assert not AuditEntry.objects.filter(object_repr__icontains="alt@example.org").exists()

    # Idempotent.
    call_command("delete_unverified_accounts")
    assert AuditEntry.objects.filter(action=services.ACTION_UNVERIFIED_DELETED).count() == 1
    assert django_user_model.objects.filter(pk=fresh.pk).exists()


def test_cleanup_days_option_and_bad_value():
    user = _pending_user(joined_days_ago=2)
    call_command("delete_unverified_accounts", "--days", "3")
    assert get_user_model().objects.filter(pk=user.pk).exists()
    call_command("delete_unverified_accounts", "--days", "1")
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    with pytest.raises(CommandError):
        call_command("delete_unverified_accounts", "--days", "0")


# --- accounts created any other way are usable at once ----------------------------------------
def test_demo_admin_and_fixture_accounts_need_no_verification(client, site_admin, password):
    from ortswandel.accounts.demo import demo_accounts_create

    demo = demo_accounts_create(password="Demo-Passwort-2026")
    for user, secret in [(site_admin, password), *((u, "Demo-Passwort-2026") for u in demo)]:
        assert user.is_active and not services.is_pending(user)
        response = client.post(
            reverse("accounts:login"), {"username": user.username, "password": secret}
        )
        assert response.status_code == 302, user.username
        client.logout()


def test_password_reset_is_not_sent_to_unverified_accounts(client, mailoutbox):
    """Django sends reset links only to active accounts; the unverified get their link at login."""
    _pending_user()
    mailoutbox.clear()
    response = client.post(reverse("accounts:password_reset"), {"email": EMAIL})
    assert response.status_code == 302
    assert mailoutbox == []
