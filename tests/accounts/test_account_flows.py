"""Accounts end to end: login, sign-up, password reset by e-mail, profile, export, deletion."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ortswandel.accounts.models import Profile, ProfileKind
from ortswandel.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NAV_SCRIPT = '<script src="/static/ortswandel/js/nav.js" defer>'

SIGNUP_OK = {
    "email": "Neue.Planerin@Example.org",
    "first_name": "Nina",
    "last_name": "Neumann",
    "kind": ProfileKind.MUNICIPAL_STAFF,
    "organisation_name": "Stadt Musterhausen",
    "password": "Kommune-2026-sicher!",
    "privacy": "on",
}


def _ids_exist(html: str, describedby: str) -> bool:
    return all(f'id="{ident}"' in html for ident in describedby.split())


def _reset_path(body: str) -> str:
    """The path of the reset link in a password-reset mail (the link is absolute)."""
    match = re.search(r"https?://[^/\s]+(/[^\s]*/passwort/neu/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def _input_tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    return match.group(0)


# --- login / logout ---------------------------------------------------------------------------
def test_login_page_is_accessible(client):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<label for="id_username"' in html
    assert 'autocomplete="current-password"' in html
    # No inline script (the menu button's nav.js is a same-origin file) and no inline style.
    assert re.findall(r"<script[^>]*>", html) == [NAV_SCRIPT]
    assert 'style="' not in html


def test_login_and_logout(client, registered_user, password):
    response = client.post(
        reverse("accounts:login"), {"username": registered_user.username, "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_login_with_wrong_password_shows_an_error(client, registered_user):
    response = client.post(
        reverse("accounts:login"), {"username": registered_user.username, "password": "falsch"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-box" role="alert"' in html
    assert "_auth_user_id" not in client.session


# --- sign-up --------------------------------------------------------------------------------------
def test_signup_creates_an_inactive_account_and_does_not_log_in(client):
    """The account waits for its e-mail address to be confirmed (tests/accounts/
    test_email_verification.py has the whole flow)."""
    response = client.post(reverse("accounts:signup"), SIGNUP_OK)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    user = get_user_model().objects.get(email="neue.planerin@example.org")
    assert user.username == "neue.planerin@example.org"
    assert user.check_password(SIGNUP_OK["password"])
    assert not user.is_active
    assert user.profile.kind == ProfileKind.MUNICIPAL_STAFF
    assert user.profile.organisation_name == "Stadt Musterhausen"
    assert not user.profile.is_demo
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="accounts.user.registered").exists()


def test_signup_page_has_labels_and_autocomplete(client):
    html = client.get(reverse("accounts:signup")).content.decode()
    assert html.count("<h1") == 1
    for name, token in [
        ("email", "email"),
        ("password", "new-password"),
        ("first_name", "given-name"),
        ("last_name", "family-name"),
        ("organisation_name", "organization"),
    ]:
        assert f'<label for="id_{name}"' in html
        assert f'autocomplete="{token}"' in _input_tag(html, name)


def test_signup_with_bad_input_returns_400_with_field_errors(client):
    bad = {"email": "keine-adresse", "password": "123", "kind": "erfunden"}
    response = client.post(reverse("accounts:signup"), bad)
    html = response.content.decode()
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"email", "password", "kind", "privacy"}
    for name in ("email", "password", "kind", "privacy"):
        tag = _input_tag(html, name)
        assert 'aria-invalid="true"' in tag, name
        describedby = re.search(r'aria-describedby="([^"]+)"', tag)
        assert describedby and _ids_exist(html, describedby.group(1)), name
    assert 'role="alert"' in html
    assert not get_user_model().objects.exists()


def test_signup_with_taken_email_creates_nothing_and_says_nothing(client, registered_user):
    data = dict(SIGNUP_OK, email=registered_user.email.upper())
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    assert get_user_model().objects.count() == 1


# --- password reset by e-mail (Django's locmem outbox) ----------------------------------------
def test_password_reset_end_to_end(
    client, registered_user, mailoutbox, django_capture_on_commit_callbacks
):
    # The mail is queued; the worker's job sends it once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": registered_user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [registered_user.email]
    assert "Passwort" in mail.subject and "\n" not in mail.subject
    path = _reset_path(mail.body)
    response = client.get(path)
    # Django swaps the token for a session value and redirects to the set-password form.
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.get(form_url)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    new_password = "Ganz-neues-Passwort-77"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    registered_user.refresh_from_db()
    assert registered_user.check_password(new_password)
    assert client.login(username=registered_user.username, password=new_password)
    client.logout()
    # The link works only once.
    response = client.get(path, follow=True)
    assert response.context["validlink"] is False
    assert "ungültig" in response.content.decode()


def test_password_reset_mismatch_shows_field_error(
    client, registered_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": registered_user.email})
    path = _reset_path(mailoutbox[0].body)
    form_url = client.get(path)["Location"]
    response = client.post(form_url, {"new_password1": "Abc-12345-x", "new_password2": "anders"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in _input_tag(html, "new_password2")
    assert 'id="id_new_password2_error"' in html


def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


# --- profile ------------------------------------------------------------------------------------
def test_profile_shows_links_and_edited_programmes(client, programme_editor, programme, password):
    client.force_login(programme_editor)
    response = client.get(reverse("accounts:profile"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert reverse("accounts:export") in html
    assert reverse("accounts:delete") in html
    assert programme.name in html
    assert programme.get_absolute_url() in html


def test_profile_of_plain_user_lists_no_programmes(client, registered_user):
    client.force_login(registered_user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Meine Programme" not in html


def test_profile_update(client, registered_user):
    client.force_login(registered_user)
    response = client.post(
        reverse("accounts:profile"),
        {"kind": ProfileKind.RESEARCHER, "organisation_name": "Institut X"},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=registered_user)
    assert (profile.kind, profile.organisation_name) == (ProfileKind.RESEARCHER, "Institut X")


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- data export (DSGVO Art. 15/20) ---------------------------------------------------------
def test_export_contains_the_users_data_as_json(client):
    client.post(reverse("accounts:signup"), SIGNUP_OK)
    user = get_user_model().objects.get(email="neue.planerin@example.org")
    user.is_active = True
    user.save()
    client.force_login(user)
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content.decode("utf-8"))
    assert data["account"]["email"] == "neue.planerin@example.org"
    assert data["account"]["first_name"] == "Nina"
    assert data["profile"] == {
        "kind": ProfileKind.MUNICIPAL_STAFF,
        "organisation_name": "Stadt Musterhausen",
        "municipality_ags": None,
    }
    assert "password" not in response.content.decode()
    assert "pbkdf2" not in response.content.decode()


def test_export_requires_login(client):
    assert client.get(reverse("accounts:export")).status_code == 302


# --- deletion (DSGVO Art. 17) ---------------------------------------------------------------------
def test_delete_page_has_a_labelled_confirmation(client, registered_user):
    client.force_login(registered_user)
    html = client.get(reverse("accounts:delete")).content.decode()
    assert html.count("<h1") == 1
    assert '<label for="id_confirm"' in html


def test_delete_without_confirmation_keeps_the_account(client, registered_user):
    client.force_login(registered_user)
    response = client.post(reverse("accounts:delete"), {})
    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=registered_user.pk).exists()


def test_delete_removes_the_user_and_logs_out(client, registered_user):
    Profile.objects.create(user=registered_user, organisation_name="Stadt Y")
    client.force_login(registered_user)
    user_id = registered_user.pk
    response = client.post(reverse("accounts:delete"), {"confirm": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert not Profile.objects.filter(user_id=user_id).exists()
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="accounts.user.deleted")
    assert entry.payload == {"user_id": user_id}
    assert "planerin" not in json.dumps(entry.payload) + entry.object_repr
