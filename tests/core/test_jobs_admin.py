"""Job status and the mail queue in the admin: site admins only (role × page matrix)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django_q.models import Failure, OrmQ, Schedule, Success
from django_q.tasks import async_task

from ortswandel.core import notifications
from ortswandel.core.models import QueuedMail

pytestmark = pytest.mark.django_db

PAGES = [
    "/verwaltung/django_q/schedule/",
    "/verwaltung/django_q/success/",
    "/verwaltung/django_q/failure/",
    "/verwaltung/django_q/ormq/",
    "/verwaltung/core/queuedmail/",
]


@pytest.fixture
def job_history(settings):
    """One successful and one failed task, one queued task, one mail."""
    async_task("math.floor", 1.5, sync=True)
    with pytest.raises(TypeError):  # inline, the error surfaces; a worker records it
        async_task("math.floor", "kein Wert", sync=True)
    now = timezone.now()
    Failure.objects.create(
        id="f" * 32,
        name="failed-task",
        func="math.floor",
        args=("kein Wert",),
        result="TypeError: must be real number, not str",
        started=now,
        stopped=now,
        success=False,
    )
    settings.ORTSWANDEL_JOBS_SYNC = False
    mail = notifications.mail_queue(to="p@example.org", subject="Hallo", body="Text")
    return {"mail": mail}


@pytest.fixture
def staff_with_every_permission(django_user_model, password):
    """A staff account that holds every model permission, incl. django_q's and the queue's:
    only the superuser flag opens these pages."""
    user = django_user_model.objects.create_user(
        username="staff@example.org", email="staff@example.org", password=password, is_staff=True
    )
    user.user_permissions.set(Permission.objects.all())
    return user


def detail_pages(job_history) -> list[str]:
    return [
        f"/verwaltung/django_q/schedule/{Schedule.objects.first().pk}/change/",
        f"/verwaltung/django_q/success/{Success.objects.get().pk}/change/",
        f"/verwaltung/django_q/failure/{Failure.objects.get().pk}/change/",
        f"/verwaltung/django_q/ormq/{OrmQ.objects.get().pk}/change/",
        f"/verwaltung/core/queuedmail/{job_history['mail'].pk}/change/",
    ]


def test_site_admin_sees_job_status(client, site_admin, job_history):
    client.force_login(site_admin)
    index = client.get("/verwaltung/").content.decode()
    assert "Hintergrundaufgaben" in index and "E-Mail-Warteschlange" in index
    for page in PAGES + detail_pages(job_history):
        response = client.get(page)
        assert response.status_code == 200, page
    failures = client.get("/verwaltung/django_q/failure/").content.decode()
    assert "math.floor" in failures


@pytest.mark.parametrize("role", ["staff_with_every_permission", "programme_editor"])
def test_others_are_forbidden(client, request, role, job_history):
    client.force_login(request.getfixturevalue(role))
    assert "Hintergrundaufgaben" not in client.get("/verwaltung/").content.decode()
    for page in PAGES + detail_pages(job_history):
        assert client.get(page).status_code == 403, (role, page)


def test_anonymous_is_sent_to_the_login(client, job_history):
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302 and "/verwaltung/login/" in response["Location"]


def test_registered_user_without_staff_is_sent_to_the_login(client, registered_user):
    client.force_login(registered_user)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302 and "/verwaltung/login/" in response["Location"]


def test_retry_now_action_queues_delivery(
    client, site_admin, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ORTSWANDEL_MAIL_MAX_ATTEMPTS = 1
    mail = notifications.mail_queue(to="p@example.org", subject="Hallo", body="Text")
    QueuedMail.objects.filter(pk=mail.pk).update(
        failed_at=timezone.now(), attempts=1, last_error="SMTP down"
    )
    client.force_login(site_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:core_queuedmail_changelist"),
            {"action": "retry_now", "_selected_action": [mail.pk]},
            follow=True,
        )
    assert response.status_code == 200
    assert "1 E-Mail(s) zum Versand eingeplant" in response.content.decode()
    mail.refresh_from_db()
    assert mail.sent_at is not None and mail.failed_at is None
    assert [m.to for m in mailoutbox] == [["p@example.org"]]
