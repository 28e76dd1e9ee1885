"""Schemathesis over the whole OpenAPI document, in-process (WSGI), on SQLite and PostgreSQL.

Every operation of ``/api/openapi.json`` gets generated requests — valid and invalid ones
(schemathesis' positive and negative modes, its explicit, coverage and fuzzing phases) — with a
bounded number of examples and a derandomised (fixed) Hypothesis seed, so the run is the same on
every machine. Each response must pass three checks: no server error, the status code is
documented for the operation, and the body matches the documented schema. The figures of a run
(operations, requests, failures) are printed at the end of the module.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
MAX_EXAMPLES = 20  # generated examples per operation (the coverage phase adds its own cases)
OPERATIONS = 29

#: requests per operation and failures, reported by the last test of the module
FIGURES: Counter[str] = Counter()


# Loaded when the module is collected (Django is set up by then; reading the document needs no
# database).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def wsgi_in_test_transaction() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request (as a server
    should); inside a test transaction it must not — the same as Django's test client does."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def content(db, programme, settings, wsgi_in_test_transaction) -> Iterator[None]:
    """A little published content, so that lists and details have something to return."""
    from ortswandel.catalogue.models import Project, Result, Theme
    from ortswandel.events.models import Event
    from ortswandel.municipalities.models import LAND_NAMES, Municipality

    settings.ORTSWANDEL_RATELIMIT_ENABLED = False
    cache.clear()
    town = Municipality.objects.create(
        ags="12054000", ars="120540000000", name="Potsdam", land_code="12",
        land_name=LAND_NAMES["12"], kreis_code="12054", kreis_name="Potsdam",
        population=185_750, area_km2=188.3, density=986.5, size_class="grossstadt",
    )  # fmt: skip
    theme = Theme.objects.create(
        programme=programme, kind="focus_theme", name="Daseinsvorsorge", slug="davo",
        status="published",
    )  # fmt: skip
    project = Project.objects.create(
        programme=programme, acronym="ÜBER", slug="ueber", title="Über die Straße",
        status="published", start_date=dt.date(2020, 1, 1), project_status="running",
    )  # fmt: skip
    project.themes.add(theme)
    project.municipalities.add(town)
    result = Result.objects.create(
        programme=programme, title="Leitfaden", slug="leitfaden", kind="guideline",
        status="published", year=2021,
    )  # fmt: skip
    result.projects.add(project)
    start = timezone.now() + dt.timedelta(days=20)
    Event.objects.create(
        programme=programme, title="Werkstatt", slug="werkstatt", format="online",
        starts_at=start, ends_at=start + dt.timedelta(hours=2), status="published", capacity=3,
    )  # fmt: skip
    yield
    cache.clear()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case, content):
    FIGURES[f"requests {case.operation.label}"] += 1
    response = case.call()
    try:
        case.validate_response(response, checks=CHECKS)
    except BaseException:  # schemathesis' FailureGroup is a BaseExceptionGroup
        FIGURES["failures"] += 1
        raise


def test_figures(capsys):
    """Runs after the parametrised test of this module: prints the figures of the run."""
    operations = {key for key in FIGURES if key.startswith("requests ")}
    requests = sum(FIGURES[key] for key in operations)
    with capsys.disabled():
        print(
            f"\nschemathesis: {len(operations)} operations, {requests} requests, "
            f"{FIGURES['failures']} failures"
        )
    if operations:  # the module ran as a whole
        assert len(operations) == OPERATIONS
        assert FIGURES["failures"] == 0
