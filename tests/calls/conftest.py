"""Fixtures for the calls tests: an open call, applications, a jury with a chair and a juror
with a conflict. The roles of the permission matrix (applicant, co_applicant, other_applicant,
juror, conflicted_juror, jury_chair) are fixtures here and named in
``tests/permissions_matrix.py``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from ortswandel.calls.models import (
    Application,
    ApplicationStatus,
    Budget,
    Call,
    ConflictOfInterest,
    JuryMember,
)
from ortswandel.calls.services import criteria_add_defaults
from ortswandel.core.cache import clear_local
from ortswandel.core.models import PublicationStatus

FORM_FIELDS = [
    {"key": "kurzbeschreibung", "label": "Kurzbeschreibung", "kind": "text", "max_length": 500},
    {"key": "beteiligte", "label": "Zahl der Beteiligten", "kind": "number", "min": 0, "max": 1000},
    {
        "key": "schwerpunkt",
        "label": "Schwerpunkt",
        "kind": "choice",
        "choices": ["Mobilität", "Innenstadt", "Quartier"],
    },
]
ANSWERS = {
    "kurzbeschreibung": "Ein Quartier für alle Generationen.",
    "beteiligte": "120",
    "schwerpunkt": "Quartier",
}
BUDGET = {"2024": {"total": "50000", "own": "10000"}, "2025": {"total": "50000", "own": "10000"}}


@pytest.fixture(autouse=True)
def _calls_settings(settings):
    settings.ORTSWANDEL_RATELIMIT_ENABLED = False
    settings.ORTSWANDEL_BASE_URL = "http://testserver"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The cached meeting table (versioned per call): a fresh cache per test, as ids repeat.
    cache.clear()
    clear_local()


def _populate(municipality, population, kind="Gemeinde"):
    municipality.population = population
    municipality.municipality_type = kind
    municipality.save(update_fields=["population", "municipality_type"])
    return municipality


@pytest.fixture
def call(programme):
    now = timezone.now()
    call = Call.objects.create(
        programme=programme,
        title="Stadt der Zukunft 2026",
        slug="stadt-der-zukunft-2026",
        description="Modellvorhaben gesucht.",
        status=PublicationStatus.PUBLISHED,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        lands=["12"],
        population_min=1000,
        population_max=200000,
        form_fields=FORM_FIELDS,
        grant_years=[2024, 2025],
        max_grant=Decimal(100000),
        own_share_min=Decimal(20),
        attachment_types=["pdf"],
        attachment_max_mb=1,
        reviews_per_application=2,
    )
    criteria_add_defaults(call=call)
    Budget.objects.create(call=call, year=2024, amount=Decimal(150000))
    Budget.objects.create(call=call, year=2025, amount=Decimal(150000))
    return call


@pytest.fixture
def applicant(municipal_staff, staff_municipality):
    _populate(staff_municipality, 15000)
    return municipal_staff


@pytest.fixture
def application(call, applicant, staff_municipality, other_staff_municipality):
    application = Application.objects.create(
        call=call,
        municipality=staff_municipality,
        applicant=applicant,
        title="Quartier der Generationen",
        answers=ANSWERS,
        budget=BUDGET,
        status=ApplicationStatus.SUBMITTED,
        submitted_at=timezone.now(),
        partners="Wohnungsgenossenschaft Beispiel eG",
    )
    application.co_municipalities.add(other_staff_municipality)
    return application


@pytest.fixture
def co_applicant(other_municipal_staff, application):
    return other_municipal_staff


@pytest.fixture
def third_municipality(db):
    from tests.conftest import _municipality

    return _populate(_municipality("12069304", "Kleinmachnow"), 20000)


@pytest.fixture
def other_applicant(django_user_model, password, third_municipality, call):
    from tests.conftest import _municipal_staff

    user = _municipal_staff(
        django_user_model, password, third_municipality, "rathaus@kleinmachnow.example"
    )
    Application.objects.create(
        call=call,
        municipality=third_municipality,
        applicant=user,
        title="Grüne Mitte",
        answers=ANSWERS,
        budget=BUDGET,
        status=ApplicationStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    return user


def _juror(django_user_model, password, call, email, *, chair=False):
    user = django_user_model.objects.create_user(username=email, email=email, password=password)
    JuryMember.objects.create(
        call=call, email=email, user=user, is_chair=chair, accepted_at=timezone.now()
    )
    return user


@pytest.fixture
def juror(django_user_model, password, call):
    return _juror(django_user_model, password, call, "jurorin@example.org")


@pytest.fixture
def conflicted_juror(django_user_model, password, call, application):
    user = _juror(django_user_model, password, call, "befangen@example.org")
    ConflictOfInterest.objects.create(
        juror=JuryMember.objects.get(user=user), application=application, reason="Berät die Kommune"
    )
    return user


@pytest.fixture
def jury_chair(django_user_model, password, call):
    return _juror(django_user_model, password, call, "vorsitz@example.org", chair=True)
