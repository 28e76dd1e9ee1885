"""The data migration that moved the mail queue from events to core keeps every row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ortswandel.core.models import QueuedMail
from ortswandel.events import services
from tests.events.conftest import person

BEFORE = [("events", "0004_registration_client_key")]
AFTER = [("events", "0005_move_queued_mail_to_core")]


@pytest.mark.django_db(transaction=True)
def test_queued_and_sent_rows_survive_the_move(event, settings):
    settings.ORTSWANDEL_JOBS_SYNC = False
    registration = services.registration_create(event=event, **person(1))
    QueuedMail.objects.all().delete()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_model = executor.loader.project_state(BEFORE).apps.get_model("events", "QueuedMail")
    now = timezone.now()
    old_model.objects.create(
        to="person1@example.org",
        subject="Bitte bestätigen",
        body="Link …",
        kind="confirm_request",
        registration_id=registration.pk,
        attempts=2,
        last_error="ConnectionRefusedError",
        next_attempt_at=now,
    )
    old_model.objects.create(to="x@example.org", subject="Alt", body="b", sent_at=now)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    queued = QueuedMail.objects.get(kind="confirm_request")
    assert (queued.object_type, queued.object_id) == ("events.registration", str(registration.pk))
    assert (queued.attempts, queued.last_error, queued.sent_at) == (
        2,
        "ConnectionRefusedError",
        None,
    )
    assert queued.language == "de"
    assert QueuedMail.objects.get(subject="Alt").sent_at == now


@pytest.fixture(autouse=True)
def _back_to_latest(request):
    """A migration test leaves the schema where it stopped; later tests need every migration."""
    yield
    if "transactional_db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
