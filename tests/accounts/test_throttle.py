"""Login and password-reset throttling: per account and per client, for the site login and the
admin login, with a German message and 429 – never a 500, and the right password no longer
helps once an account is throttled."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ortswandel.accounts import services, throttle
from ortswandel.accounts.models import ProfileKind
from ortswandel.core.env import Rate

pytestmark = pytest.mark.django_db

LOCKED = "Zu viele fehlgeschlagene Anmeldeversuche"


@pytest.fixture(autouse=True)
def _fast_hashing_and_limits(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ORTSWANDEL_RATELIMIT_ENABLED = True


def login(client, username, password, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def test_forty_wrong_passwords_lock_the_account_and_the_right_one_no_longer_works(
    client, registered_user, password
):
    codes = [login(client, registered_user.username, f"falsch-{n}").status_code for n in range(40)]
    # The default: 10 failed attempts per account and 15 minutes are answered normally.
    assert codes[:10] == [200] * 10
    assert codes[10:] == [429] * 30
    response = login(client, registered_user.username, password)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html
    assert "15 Minuten" in html
    assert "_auth_user_id" not in client.session
    # When the window is over (here: the counter is reset) the right password works again.
    throttle.LOGIN_ACCOUNT_LIMIT.reset(registered_user.username)
    assert login(client, registered_user.username, password).status_code == 302


def test_the_account_limit_holds_across_client_addresses(client, registered_user, settings):
    settings.ORTSWANDEL_RATELIMIT_LOGIN_ACCOUNT = Rate(3, 900)
    for n in range(3):
        response = login(client, "PLANERIN@example.org ", "falsch", REMOTE_ADDR=f"203.0.113.{n}")
        assert response.status_code == 200
    blocked = login(client, registered_user.username, "falsch", REMOTE_ADDR="198.51.100.7")
    assert blocked.status_code == 429
    # Another account from the same addresses is not affected.
    assert (
        login(client, "jemand@example.org", "falsch", REMOTE_ADDR="203.0.113.1").status_code == 200
    )


def test_the_client_limit_holds_across_accounts(client, registered_user, password, settings):
    settings.ORTSWANDEL_RATELIMIT_LOGIN_CLIENT = Rate(5, 900)
    for n in range(5):
        assert login(client, f"person{n}@example.org", "falsch").status_code == 200
    response = login(client, registered_user.username, password)
    assert response.status_code == 429
    assert "von Ihrer Adresse" in response.content.decode()
    # Another client (behind the trusted local proxy) may still log in.
    other = login(
        client,
        registered_user.username,
        password,
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert other.status_code == 302


def test_admin_login_is_throttled_too(client, site_admin, password, settings):
    settings.ORTSWANDEL_RATELIMIT_LOGIN_ACCOUNT = Rate(3, 900)
    url = reverse("admin:login")
    for _ in range(3):
        response = client.post(url, {"username": site_admin.username, "password": "falsch"})
        assert response.status_code == 200
    response = client.post(url, {"username": site_admin.username, "password": password})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_on_an_unconfirmed_account_count_too(client, settings):
    settings.ORTSWANDEL_RATELIMIT_LOGIN_ACCOUNT = Rate(2, 900)
    user = services.user_register(
        email="neu@example.org",
        password="Kommune-2026-sicher!",
        kind=ProfileKind.CITIZEN,
        base_url="http://testserver/",
    )
    assert user is not None
    assert login(client, "neu@example.org", "falsch").status_code == 200
    assert login(client, "neu@example.org", "falsch").status_code == 200
    # Even the right password no longer reveals that the account waits for confirmation.
    response = login(client, "neu@example.org", "Kommune-2026-sicher!")
    assert response.status_code == 429
    assert "noch nicht bestätigt" not in response.content.decode()


def test_switch_off(client, registered_user, password, settings):
    settings.ORTSWANDEL_RATELIMIT_ENABLED = False
    settings.ORTSWANDEL_RATELIMIT_LOGIN_ACCOUNT = Rate(1, 900)
    for _ in range(3):
        assert login(client, registered_user.username, "falsch").status_code == 200
    assert login(client, registered_user.username, password).status_code == 302


# --- password reset -----------------------------------------------------------------------------


def reset(client, email, **extra):
    return client.post(reverse("accounts:password_reset"), {"email": email}, **extra)


def reset_mails() -> int:
    """Reset mails queued (the worker sends them after the commit; see tests/core)."""
    from ortswandel.core.models import QueuedMail

    return QueuedMail.objects.filter(kind="accounts.password_reset").count()


def test_twenty_reset_requests_send_three_mails(client, registered_user):
    codes = [reset(client, registered_user.email).status_code for _ in range(20)]
    assert codes[:3] == [302] * 3
    assert codes[3:] == [429] * 17
    assert reset_mails() == 3
    response = reset(client, registered_user.email, REMOTE_ADDR="198.51.100.50")
    assert response.status_code == 429  # per address, whichever client asks
    html = response.content.decode()
    assert "Für diese E-Mail-Adresse wurden gerade schon mehrere Links angefordert" in html
    assert 'role="alert"' in html


def test_reset_requests_are_limited_per_client(client, registered_user, settings):
    settings.ORTSWANDEL_RATELIMIT_PASSWORD_RESET_CLIENT = Rate(4, 3600)
    codes = [reset(client, f"unbekannt{n}@example.org").status_code for n in range(4)]
    assert codes == [302] * 4
    response = reset(client, registered_user.email)
    assert response.status_code == 429
    assert "von Ihrer Adresse" in response.content.decode()
    assert reset_mails() == 0
    # The same address from another client still gets its link.
    assert reset(client, registered_user.email, REMOTE_ADDR="198.51.100.9").status_code == 302
    assert reset_mails() == 1
