"""Who may edit challenges in the admin (matrix), and the data pool import hook."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from ortswandel.core import jobs
from ortswandel.planning import hooks
from ortswandel.planning.models import Challenge
from tests.datapool.conftest import data_dir, pool  # noqa: F401 - fixtures of the data pool
from tests.permissions_matrix import (
    ADMIN_LOGIN,
    DENIED,
    OK,
    ROLE_FIXTURES,
    Matrix,
    check_response,
    login_as,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge_editor(django_user_model, password):
    """Staff with the model permissions on challenges (given by a site admin)."""
    user = django_user_model.objects.create_user(
        username="planung@example.org", password=password, is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="planning"))
    return user


# A role of this app only (its fixture is above): named here rather than in the shared harness.
ROLE_FIXTURES.setdefault("challenge_editor", "challenge_editor")
ROLES = ("anonymous", "registered_user", "programme_editor", "challenge_editor", "site_admin")
ADMIN = Matrix(
    roles=ROLES,
    rows={
        "planning/challenge/": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, OK, OK),
        "planning/challenge/{pk}/change/": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, OK, OK),
        "planning/challenge/add/": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, OK, OK),
        "planning/outlookrun/": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, DENIED, OK),
        "planning/outlookrun/add/": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, DENIED, DENIED),
    },
)


@ADMIN.parametrize("path", "role", "expected")
def test_admin_matrix(client, request, path, role, expected) -> None:
    login_as(client, request, role)
    pk = Challenge.objects.get(code="pflegeluecke").pk
    response = client.get("/verwaltung/" + path.format(pk=pk))
    check_response(response, expected, role=role, what=path)


def test_editor_changes_a_threshold_and_it_is_audited(client, challenge_editor) -> None:
    from ortswandel.core.models import AuditEntry

    client.force_login(challenge_editor)
    c = Challenge.objects.get(code="hochaltrige-steigen")
    response = client.post(
        f"/verwaltung/planning/challenge/{c.pk}/change/",
        {
            "code": c.code, "name": c.name, "name_en": c.name_en, "description": c.description,
            "is_active": "on", "position": 5, "indicator": c.indicator, "direction": "above",
            "threshold": "40", "themes": [],
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    c.refresh_from_db()
    assert c.threshold == 40
    assert AuditEntry.objects.filter(action="planning.challenge.changed").exists()


def test_import_queues_the_outlook_job_outside_inline_mode(
    monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from ortswandel.datapool.models import ImportRun

    queued: list[str] = []
    monkeypatch.setattr(jobs, "run_inline", lambda: False)
    monkeypatch.setattr(jobs, "enqueue_on_commit", lambda func, *a, **k: queued.append(func))
    hooks.refresh_outlook_after_import(objects=[ImportRun(dataset="x")])
    hooks.refresh_outlook_after_import(objects=[Challenge(code="x")])
    assert queued == [hooks.REFRESH_JOB]


def test_import_does_not_run_the_job_inline(monkeypatch) -> None:
    from ortswandel.datapool.models import ImportRun

    queued: list[str] = []
    monkeypatch.setattr(jobs, "enqueue_on_commit", lambda func, *a, **k: queued.append(func))
    hooks.refresh_outlook_after_import(objects=[ImportRun(dataset="x")])
    assert queued == []


def test_the_job_is_scheduled_daily() -> None:
    assert "planning.refresh_outlook" in {j.name for j in jobs.periodic_jobs()}


@pytest.mark.usefixtures("pool")
def test_a_real_data_pool_import_queues_the_outlook_job(
    monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from ortswandel.datapool.services.imports import table_import
    from tests.datapool.conftest import CLASSIC_ROWS, classic_table
    from tests.datapool.test_import import _spec

    queued: list[str] = []
    monkeypatch.setattr(jobs, "run_inline", lambda: False)
    monkeypatch.setattr(jobs, "enqueue_on_commit", lambda func, *a, **k: queued.append(func))
    with django_capture_on_commit_callbacks(execute=True):
        table_import(spec=_spec(), data=classic_table(CLASSIC_ROWS), file_name="t.csv")
    assert queued == [hooks.REFRESH_JOB]
