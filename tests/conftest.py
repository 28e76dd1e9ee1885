"""Shared fixtures: users for every role (see ``tests/permissions_matrix.py``), and a programme
with an editor."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

_PAGE_WEIGHTS = Path(__file__).resolve().parents[1] / "var" / "page-weights.jsonl"
_STARTED = time.time()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The page weights measured by this run's browser tests, as one table."""
    if not _PAGE_WEIGHTS.exists() or _PAGE_WEIGHTS.stat().st_mtime < _STARTED:
        return
    rows = [json.loads(line) for line in _PAGE_WEIGHTS.read_text(encoding="utf-8").splitlines()]
    terminalreporter.section("page weights (first load, compressed)")
    for row in sorted(rows, key=lambda r: r["name"]):
        terminalreporter.write_line(
            f"{row['name']:<32} {row['bytes'] / 1000:8.1f} kB  {row['requests']:3d} requests  "
            f"/{row['url']}"
        )


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


@pytest.fixture
def other_editor(django_user_model, password, other_programme):
    """Editor of ``other_programme`` only, with the same model permissions as
    ``programme_editor``."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="redaktion-b@example.org",
        email="redaktion-b@example.org",
        password=password,
        is_staff=True,
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["catalogue", "events"])
    )
    other_programme.editors.add(user)
    return user


def _municipality(ags: str, name: str):
    from ortswandel.municipalities.models import LAND_NAMES, Municipality

    return Municipality.objects.get_or_create(
        ags=ags,
        defaults={
            "ars": ags[:5] + "0000" + ags[5:],
            "name": name,
            "land_code": ags[:2],
            "land_name": LAND_NAMES[ags[:2]],
            "kreis_code": ags[:5],
        },
    )[0]


@pytest.fixture
def staff_municipality(db):
    return _municipality("12069616", "Stahnsdorf")


@pytest.fixture
def other_staff_municipality(db):
    return _municipality("12069604", "Teltow, Stadt")


def _municipal_staff(django_user_model, password, municipality, username):
    from ortswandel.accounts.roles import municipality_staff_grant

    user = django_user_model.objects.create_user(
        username=username, email=username, password=password
    )
    municipality_staff_grant(user=user, municipality=municipality, acting_user=None)
    return user


@pytest.fixture
def municipal_staff(django_user_model, password, staff_municipality):
    """Staff of ``staff_municipality`` (role grant for its AGS); no back-office rights."""
    return _municipal_staff(
        django_user_model, password, staff_municipality, "rathaus@stahnsdorf.example"
    )


@pytest.fixture
def other_municipal_staff(django_user_model, password, other_staff_municipality):
    return _municipal_staff(
        django_user_model, password, other_staff_municipality, "rathaus@teltow.example"
    )


@pytest.fixture
def as_role(client, request):
    """``as_role("programme_editor")`` logs the test client in as that role (see
    ``tests/permissions_matrix.py``; users are created only when asked for) and returns it."""
    from tests.permissions_matrix import login_as

    return lambda role: login_as(client, request, role)


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
