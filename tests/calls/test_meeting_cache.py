"""The chair's meeting table is cached per call version (``calls.meeting``): every service that
changes what it shows must bump the version, or the page stays stale. Each test views the page
first (the table is cached), changes something through the service, and views it again: a
missing bump fails the test. The cache is shared by all viewers; a chair's conflicts are
filtered out afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ortswandel.calls import services
from ortswandel.calls.meeting import MeetingRow, MeetingTable, meeting_table
from ortswandel.calls.models import (
    Application,
    ApplicationStatus,
    CallPhase,
    ConflictOfInterest,
    JuryMember,
)
from ortswandel.calls.versions import call_version
from tests.admin_forms import admin_save

pytestmark = pytest.mark.django_db

TITLE = "Quartier der Generationen"


class Meeting:
    def __init__(self, call: Any, chair: Any, commit: Any) -> None:
        self.call, self.commit = call, commit
        self.client = Client()
        self.client.force_login(chair)
        self.url = reverse("calls:meeting", args=[call.slug])

    def page(self) -> str:
        response = self.client.get(self.url)
        assert response.status_code == 200
        return response.content.decode()

    def row(self, application: Application) -> str:
        """The application's table row ("" when it is not shown)."""
        page = self.page()
        start = page.find(f'<tr id="bewerbung-{application.pk}">')
        return "" if start < 0 else page[start : page.index("</tr>", start)]


def _score(call: Any, application: Any, user: Any, values: list[int], submit: bool = True):
    ids = list(call.criteria.values_list("pk", flat=True))
    return services.review_save(
        application=application,
        acting_user=user,
        values=dict(zip(ids, values, strict=True)),
        submit=submit,
    )


@pytest.fixture
def meeting(call, application, jury_chair, django_capture_on_commit_callbacks):
    services.call_set_phase(call=call, phase=CallPhase.REVIEW, acting_user=None)
    return Meeting(call, jury_chair, lambda: django_capture_on_commit_callbacks(execute=True))


def test_score_change_shows(meeting, call, application, juror):
    with meeting.commit():
        _score(call, application, juror, [5, 5, 5, 5, 5])
    assert "5,00" in meeting.row(application)
    version = call_version(call.pk)
    with meeting.commit():
        _score(call, application, juror, [1, 1, 1, 1, 1])
    assert call_version(call.pk) != version
    row = meeting.row(application)
    assert "1,00" in row and "5,00" not in row


def test_review_submission_shows(meeting, call, application, juror):
    with meeting.commit():
        _score(call, application, juror, [4, 4, 4, 4, 4], submit=False)
    assert "4,00" not in meeting.row(application)  # a draft review does not count
    with meeting.commit():
        _score(call, application, juror, [4, 4, 4, 4, 4])
    assert "4,00" in meeting.row(application)


def test_cached_page_is_served_without_a_change(meeting, call, application, juror):
    """The counter-check: a write that bypasses the services is not seen while cached."""
    with meeting.commit():
        _score(call, application, juror, [5, 5, 5, 5, 5])
    assert "5,00" in meeting.row(application)
    Application.objects.filter(pk=application.pk).update(title="Umbenannt ohne Dienst")
    assert TITLE in meeting.row(application)


def test_conflict_declared_shows(meeting, call, application, juror):
    with meeting.commit():
        _score(call, application, juror, [3, 3, 3, 3, 3])
    assert "3,00" in meeting.row(application)
    with meeting.commit():
        services.conflict_declare(application=application, acting_user=juror, reason="Nachbar")
    assert "3,00" not in meeting.row(application)  # the conflicted juror's review no longer counts


def test_decision_shows(meeting, call, application, jury_chair):
    assert "Stimmiges Konzept" not in meeting.row(application)
    with meeting.commit():
        services.decision_take(
            application=application,
            outcome="selected",
            reason="Stimmiges Konzept",
            acting_user=jury_chair,
        )
    assert "<strong>ausgewählt</strong>: Stimmiges Konzept" in meeting.row(application)


def test_note_shows(meeting, application, jury_chair):
    assert "Nachfragen zur Trägerschaft" not in meeting.row(application)
    with meeting.commit():
        services.note_add(
            application=application, text="Nachfragen zur Trägerschaft", acting_user=jury_chair
        )
    assert "Nachfragen zur Trägerschaft" in meeting.row(application)


def test_assignment_shows(meeting, call, application, juror):
    assert "Gutachten offen" not in meeting.row(application)
    with meeting.commit():
        summary = services.assignment_auto(call=call, acting_user=None)
    assert summary["created"] == 2  # juror and chair, two reviews per application
    assert "2 zugeteilte Gutachten offen" in meeting.row(application)
    with meeting.commit():
        _score(call, application, juror, [2, 2, 2, 2, 2])
    assert "1 zugeteiltes Gutachten offen" in meeting.row(application)


def test_withdrawal_shows(meeting, application, applicant):
    assert TITLE in meeting.row(application)
    with meeting.commit():
        services.application_withdraw(application=application, acting_user=applicant)
    assert meeting.row(application) == ""


def test_submission_shows(
    call, application, applicant, jury_chair, django_capture_on_commit_callbacks
):
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.DRAFT)
    meeting = Meeting(call, jury_chair, lambda: django_capture_on_commit_callbacks(execute=True))
    assert meeting.row(application) == ""  # call still open: drafts are not ranked
    with meeting.commit():
        services.application_submit(
            application=Application.objects.get(pk=application.pk), acting_user=applicant
        )
    assert TITLE in meeting.row(application)


def test_reserve_promotion_shows(meeting, application, jury_chair, call):
    with meeting.commit():
        services.decision_take(
            application=application, outcome="reserve", reason="Knapp", acting_user=jury_chair
        )
    assert "<strong>Nachrückliste</strong>" in meeting.row(application)
    with meeting.commit():
        services.reserve_promote(call=call, acting_user=None)
    assert "<strong>ausgewählt</strong>" in meeting.row(application)


def test_announcement_shows(meeting, call, application, jury_chair):
    assert "?bewerbung=" in meeting.row(application)  # "entscheiden" links
    with meeting.commit():
        services.decision_take(
            application=application, outcome="rejected", reason="Zu vage", acting_user=jury_chair
        )
        services.decisions_announce(call=call, acting_user=jury_chair)
    call.refresh_from_db()
    row = meeting.row(application)
    assert "<strong>nicht ausgewählt</strong>: Zu vage" in row and "?bewerbung=" not in row


def test_criterion_weight_in_the_admin_shows(meeting, call, application, juror, site_admin):
    with meeting.commit():
        _score(call, application, juror, [5, 1, 1, 1, 1])
    assert "1,80" in meeting.row(application)  # (5 + 4·1) / 5
    admin = Client()
    admin.force_login(site_admin)
    with meeting.commit():
        admin_save(
            admin, reverse("admin:calls_call_change", args=[call.pk]), **{"criteria-0-weight": "6"}
        )
    assert "3,40" in meeting.row(application)  # (6·5 + 4·1) / 10


def test_one_cache_for_all_viewers_conflicts_filtered_after(
    meeting, call, application, django_user_model, password
):
    other = django_user_model.objects.create_user("vorsitz2@example.org", password=password)
    member = JuryMember.objects.create(
        call=call, email=other.username, user=other, is_chair=True, accepted_at=call.opens_at
    )
    ConflictOfInterest.objects.create(juror=member, application=application)
    assert TITLE in meeting.row(application)  # cached by the first chair
    conflicted = Meeting(call, other, meeting.commit)
    page = conflicted.page()
    assert TITLE not in page and f"bewerbung-{application.pk}" not in page
    assert TITLE in meeting.row(application)


def test_sensitivity_titles_are_filtered_per_viewer():
    row = MeetingRow(1, "A", "X", "1", "4,00", "", "", "<tr></tr>")
    table = MeetingTable(
        rows=(row, MeetingRow(2, "B", "Y", "2", "3,00", "", "", "<tr></tr>")),
        sensitivity=(("Jurorin", ((1, "A"), (2, "B"))), ("Juror", ((1, "A"),))),
        top=3,
    )
    rows, sensitivity = table.visible_to({1})
    assert [r.pk for r in rows] == [2]
    assert sensitivity == [("Jurorin", ["B"])]
    assert table.visible_to(())[1] == [("Jurorin", ["A", "B"]), ("Juror", ["A"])]


def test_table_key_follows_the_language(meeting, call, application, juror):
    from django.utils import translation

    with meeting.commit():
        _score(call, application, juror, [5, 5, 5, 5, 4])
    with translation.override("de"):
        german = meeting_table(call)
    with translation.override("en"):
        english = meeting_table(call)
    assert german.rows[0].mean == "4,80" and english.rows[0].mean == "4.80"
