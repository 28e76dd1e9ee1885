"""Deploy checks (``manage.py check --deploy``) fail for each part of a misconfigured
production: no base URL, no operator or contact, demo accounts with the published password, a
per-process cache."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from ortswandel.accounts.models import Profile
from ortswandel.core import checks
from ortswandel.core.management.commands.load_demo_content import DEFAULT_DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "ORTSWANDEL_BASE_URL": "https://ortswandel.example",
    "ORTSWANDEL_OPERATOR": "Verein Ortswandel e. V., Musterstraße 1, 12345 Musterstadt",
    "ORTSWANDEL_CONTACT_EMAIL": "kontakt@ortswandel.example",
    "DEFAULT_FROM_EMAIL": "Ortswandel <noreply@ortswandel.example>",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def ids(messages) -> list[str]:
    return [message.id for message in messages]


@pytest.fixture
def configured(settings):
    settings.ORTSWANDEL_BASE_URL = GOOD["ORTSWANDEL_BASE_URL"]
    settings.ORTSWANDEL_OPERATOR = GOOD["ORTSWANDEL_OPERATOR"]
    settings.ORTSWANDEL_CONTACT_EMAIL = GOOD["ORTSWANDEL_CONTACT_EMAIL"]
    settings.DEFAULT_FROM_EMAIL = GOOD["DEFAULT_FROM_EMAIL"]
    return settings


def test_a_configured_site_passes(configured):
    assert checks.check_site_identity() == []


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("ORTSWANDEL_BASE_URL", "", "ortswandel.E001"),
        ("ORTSWANDEL_BASE_URL", "http://ortswandel.example", "ortswandel.W001"),
        ("ORTSWANDEL_OPERATOR", "  ", "ortswandel.E002"),
        ("ORTSWANDEL_CONTACT_EMAIL", "", "ortswandel.E003"),
        ("DEFAULT_FROM_EMAIL", "Ortswandel <noreply@ortswandel.invalid>", "ortswandel.W006"),
    ],
)
def test_each_missing_part_of_the_site_identity_is_reported(configured, setting, value, expected):
    setattr(configured, setting, value)
    assert ids(checks.check_site_identity()) == [expected]


def test_a_per_process_cache_fails(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert ids(checks.check_shared_cache()) == ["ortswandel.E005"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert ids(checks.check_shared_cache()) == ["ortswandel.E005"]
    settings.CACHES = {
        "default": {
            "BACKEND": "ortswandel.core.cache_backends.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }
    assert checks.check_shared_cache() == []


@pytest.mark.django_db
def test_demo_accounts_with_the_published_password_fail(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User = get_user_model()  # noqa: N806
    assert checks.check_demo_accounts() == []
    admin = User.objects.create_superuser("admin", "admin@example.org", DEFAULT_DEMO_PASSWORD)
    editor = User.objects.create_user("redaktion", "r@example.org", "Ein-starkes-Passwort-1")
    Profile.objects.create(user=editor, is_demo=True)
    messages = checks.check_demo_accounts()
    assert ids(messages) == ["ortswandel.E004", "ortswandel.W004"]
    assert "admin" in messages[0].msg and "redaktion" not in messages[0].msg
    admin.set_password("Ein-anderes-starkes-Passwort-2")
    admin.save()
    assert ids(checks.check_demo_accounts()) == ["ortswandel.W004"]
    editor.delete()
    assert checks.check_demo_accounts() == []
    # The check never rewrites a password hash.
    assert User.objects.get(username="admin").password == admin.password


def _check_deploy(**variables: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "ORTSWANDEL_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "ortswandel.example",
        "DATABASE_URL": "",
        **variables,
    }
    for name in GOOD:
        if name not in variables:
            environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_check_deploy_fails_a_misconfigured_production():
    result = _check_deploy()
    assert result.returncode != 0
    for message_id in ("E001", "E002", "E003", "E005", "W006"):
        assert f"ortswandel.{message_id}" in result.stderr, result.stderr


def test_check_deploy_passes_a_configured_production():
    result = _check_deploy(**GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
