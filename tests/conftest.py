"""Shared fixtures: users for every role, and a programme with an editor."""

from __future__ import annotations

import pytest


@pytest.fixture
def password() -> str:
    return "Kommune-2026-sicher!"


@pytest.fixture
def site_admin(django_user_model, password):
    return django_user_model.objects.create_superuser(
        username="admin@example.org", email="admin@example.org", password=password
    )


@pytest.fixture
def registered_user(django_user_model, password):
    return django_user_model.objects.create_user(
        username="planerin@example.org", email="planerin@example.org", password=password
    )


@pytest.fixture
def programme(db):
    from ortswandel.catalogue.models import Programme, ProgrammeKind
    from ortswandel.core.models import PublicationStatus

    return Programme.objects.create(
        name="Testprogramm",
        slug="testprogramm",
        kind=ProgrammeKind.FEDERAL_FUNDING,
        status=PublicationStatus.PUBLISHED,
    )


@pytest.fixture
def other_programme(db):
    from ortswandel.catalogue.models import Programme, ProgrammeKind
    from ortswandel.core.models import PublicationStatus

    return Programme.objects.create(
        name="Anderes Programm",
        slug="anderes-programm",
        kind=ProgrammeKind.STATE_INITIATIVE,
        status=PublicationStatus.PUBLISHED,
    )


@pytest.fixture
def programme_editor(django_user_model, password, programme):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="redaktion@example.org",
        email="redaktion@example.org",
        password=password,
        is_staff=True,
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["catalogue", "events"])
    )
    programme.editors.add(user)
    return user


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in German: a request to /en/ activates English for the thread,
    and Django does not switch back after the response, so one test's language would leak into
    the next test's ``reverse()`` calls."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters (logins, password resets, registrations) live in the per-process
    cache: every test starts with none, so failed logins of one test never throttle another."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from ortswandel.core import ratelimit

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()
    ratelimit._fallback.clear()


@pytest.fixture(autouse=True)
def _jobs_inline(settings):
    """Background jobs (mail delivery …) run inline right after the commit, through django-q's
    sync mode, instead of waiting for a worker. Tests of the worker itself turn this off
    (tests/core/test_worker.py)."""
    settings.ORTSWANDEL_JOBS_SYNC = True
