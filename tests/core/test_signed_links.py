"""Signed links (core/signed_links.py) and their users, event registrations and account
activation: wrong purpose, expired, tampered, bound state, key rotation."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.core import signing

from ortswandel.accounts.models import ProfileKind
from ortswandel.accounts.tokens import TokenState, activation_token_generator
from ortswandel.core import signed_links
from ortswandel.core.signed_links import LinkExpired, LinkInvalid

OLD_KEY = "old-secret-key-" + "o" * 40
NEW_KEY = "new-secret-key-" + "n" * 40


def made_ago(seconds: float, **kwargs):
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds):
        return signed_links.make(**kwargs)


def test_round_trip_and_wrong_purpose():
    token = signed_links.make([7, "key"], purpose="events.registration.cancel")
    assert signed_links.read(token, purpose="events.registration.cancel") == [7, "key"]
    with pytest.raises(LinkInvalid) as info:
        signed_links.read(token, purpose="events.registration.manage")
    assert not isinstance(info.value, LinkExpired)
    assert info.value.status == 404
    assert "ungültig oder abgelaufen" in info.value.message


def test_expired_is_told_apart_from_invalid():
    token = made_ago(3600, payload=1, purpose="p")
    assert signed_links.read(token, purpose="p", max_age=3700) == 1
    with pytest.raises(LinkExpired):
        signed_links.read(token, purpose="p", max_age=3500)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature
        lambda t: ("x" if t[0] != "x" else "y") + t[1:],  # payload
        lambda t: t[: len(t) // 2],  # truncated
        lambda t: t + ":extra",
        lambda t: "",
        lambda t: "a" * 1000,
    ],
)
def test_tampered_tokens_are_invalid(mangle):
    token = signed_links.make({"id": 1}, purpose="p")
    with pytest.raises(LinkInvalid):
        signed_links.read(mangle(token), purpose="p")


def test_bound_tokens_die_when_the_state_changes():
    token = signed_links.make(5, purpose="p", bind="hash-1|active=0")
    assert signed_links.read(token, purpose="p", bind="hash-1|active=0") == 5
    with pytest.raises(LinkInvalid):
        signed_links.read(token, purpose="p", bind="hash-1|active=1")
    with pytest.raises(LinkInvalid):  # a bound token is not valid unbound
        signed_links.read(token, purpose="p")


def test_key_rotation_through_secret_key_fallbacks(settings):
    settings.SECRET_KEY = OLD_KEY
    token = signed_links.make(42, purpose="p")
    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]
    assert signed_links.read(token, purpose="p") == 42  # signed with a fallback key: still valid
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(LinkInvalid):  # the key was removed: invalid
        signed_links.read(token, purpose="p")


# --- event registration links -------------------------------------------------------------------


@pytest.fixture
def registration(db, programme):
    from datetime import timedelta

    from django.utils import timezone

    from ortswandel.events import services
    from ortswandel.events.models import Event

    start = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        programme=programme,
        title="Werkstatt",
        slug="werkstatt",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status="published",
        capacity=5,
    )
    return services.registration_create(
        event=event, name="Ada", email="ada@example.org", consent=True
    )


def test_event_links_survive_a_key_rotation_and_die_with_the_key(registration, settings):
    from ortswandel.events.services import make_token, resolve_token

    settings.SECRET_KEY = OLD_KEY
    token = make_token(registration, "manage")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    assert resolve_token(token, "manage") == registration
    with pytest.raises(LinkInvalid):
        resolve_token(token, "cancel")
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(LinkInvalid):
        resolve_token(token, "manage")


def test_event_links_mailed_before_the_shared_helper_still_work(registration):
    from ortswandel.events.services import resolve_token
    from ortswandel.events.services.tokens import LEGACY_SALT

    old = signing.dumps([registration.pk, registration.access_key, "cancel"], salt=LEGACY_SALT)
    assert resolve_token(old, "cancel") == registration
    with pytest.raises(LinkInvalid):
        resolve_token(old, "manage")


def test_activation_links_use_the_helper_with_rotation(db, settings):
    from ortswandel.accounts import services

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = services.user_register(
        email="neu@example.org",
        password="Kommune-2026-sicher!",
        kind=ProfileKind.CITIZEN,
        base_url="http://testserver/",
    )
    settings.SECRET_KEY = OLD_KEY
    token = activation_token_generator.make_token(user)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    assert activation_token_generator.check(user, token) is TokenState.VALID
    settings.SECRET_KEY_FALLBACKS = []
    assert activation_token_generator.check(user, token) is TokenState.INVALID
    # Not valid for another purpose either.
    with pytest.raises(LinkInvalid):
        signed_links.read(token, purpose="events.registration.manage")
