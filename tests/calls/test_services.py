"""Services of the calls app: submission rules, deadline, reviews frozen after a decision,
budget, reserve list, the way into the catalogue, audit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ortswandel.calls import services
from ortswandel.calls.models import (
    Application,
    ApplicationStatus,
    Assignment,
    CallPhase,
    Grant,
    JuryMember,
)
from ortswandel.core.errors import Conflict, PermissionDenied, Unprocessable
from ortswandel.core.models import AuditEntry, QueuedMail

from .conftest import ANSWERS, BUDGET

pytestmark = pytest.mark.django_db


def _draft(call, applicant, municipality):
    return services.application_create(
        call=call, municipality=municipality, title="Neue Mitte", acting_user=applicant
    )


def test_submit_requires_complete_form_and_sends_copy(call, applicant, staff_municipality):
    draft = _draft(call, applicant, staff_municipality)
    with pytest.raises(Unprocessable) as exc:
        services.application_submit(application=draft, acting_user=applicant)
    assert "kurzbeschreibung" in exc.value.fields
    assert "budget_2024_total" in exc.value.fields
    services.application_save(
        application=draft, acting_user=applicant, title="Neue Mitte", answers=ANSWERS, budget=BUDGET
    )
    done = services.application_submit(application=draft, acting_user=applicant)
    assert done.status == ApplicationStatus.SUBMITTED
    mail = QueuedMail.objects.get(kind="calls.submitted")
    assert "Ein Quartier für alle Generationen." in mail.html_body
    pdf_link = f"http://testserver/ausschreibungen/bewerbung/{done.pk}/bewerbung.pdf"
    assert pdf_link in mail.body
    assert pdf_link in mail.html_body
    assert "bewerbung.pdf" not in done.submitted_copy  # the archived copy stays as submitted
    assert AuditEntry.objects.filter(action="calls.application.submitted").count() == 1


def test_save_rejects_invalid_values_with_field_messages(call, applicant, staff_municipality):
    draft = _draft(call, applicant, staff_municipality)
    with pytest.raises(Unprocessable) as exc:
        services.application_save(
            application=draft,
            acting_user=applicant,
            title="x",
            answers={"kurzbeschreibung": "x" * 501, "beteiligte": "viele", "schwerpunkt": "Mond"},
            budget={"2024": {"total": "100000", "own": "1000"}},
        )
    fields = exc.value.fields
    assert "500" in fields["kurzbeschreibung"]
    assert fields["beteiligte"] == "Bitte geben Sie eine Zahl ein."
    assert "schwerpunkt" in fields
    assert "20" in fields["budget_2024_own"]


def test_eligibility_messages_per_rule(call, applicant, staff_municipality):
    call.population_min = 50000
    call.lands = ["09"]
    call.save()
    draft = _draft(call, applicant, staff_municipality)
    services.application_save(
        application=draft, acting_user=applicant, title="Neue Mitte", answers=ANSWERS, budget=BUDGET
    )
    with pytest.raises(Unprocessable) as exc:
        services.application_submit(application=draft, acting_user=applicant)
    messages = [v for k, v in exc.value.fields.items() if k.startswith("eligibility")]
    assert len(messages) == 2
    assert any("mindestens 50.000" in m for m in messages)
    assert any("Länder" in m for m in messages)


def test_one_application_per_municipality(call, applicant, staff_municipality, application):
    with pytest.raises(Conflict):
        _draft(call, applicant, staff_municipality)


def test_deadline_enforced_on_server(call, applicant, staff_municipality):
    draft = _draft(call, applicant, staff_municipality)
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save()
    draft.refresh_from_db()
    with pytest.raises(Conflict) as exc:
        services.application_save(
            application=draft, acting_user=applicant, title="t", answers=ANSWERS, budget=BUDGET
        )
    assert exc.value.code == "call_closed"


def test_only_staff_of_the_municipality_may_apply(call, registered_user, staff_municipality):
    with pytest.raises(PermissionDenied):
        _draft(call, registered_user, staff_municipality)


def test_attachment_type_and_size(call, applicant, staff_municipality):
    draft = _draft(call, applicant, staff_municipality)
    with pytest.raises(Unprocessable):
        services.attachment_add(
            application=draft,
            acting_user=applicant,
            title="x",
            upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nxx"),
        )
    with pytest.raises(Unprocessable):  # claims to be a PDF, is not
        services.attachment_add(
            application=draft,
            acting_user=applicant,
            title="x",
            upload=SimpleUploadedFile("a.pdf", b"MZ\x90\x00", content_type="application/pdf"),
        )
    with pytest.raises(Unprocessable):
        services.attachment_add(
            application=draft,
            acting_user=applicant,
            title="x",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 2_000_000),
        )
    ok = services.attachment_add(
        application=draft,
        acting_user=applicant,
        title="Plan",
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test"),
    )
    assert ok.size == 13


def test_scores_frozen_after_decision(call, application, juror, jury_chair):
    services.call_set_phase(call=call, phase=CallPhase.REVIEW, acting_user=None)
    application.refresh_from_db()
    ids = list(call.criteria.values_list("pk", flat=True))
    services.review_save(
        application=application, acting_user=juror, values=dict.fromkeys(ids, 4), submit=True
    )
    services.decision_take(
        application=application, outcome="selected", reason="Überzeugend", acting_user=jury_chair
    )
    with pytest.raises(Conflict) as exc:
        services.review_save(
            application=application, acting_user=juror, values=dict.fromkeys(ids, 1)
        )
    assert exc.value.code == "scores_frozen"
    assert AuditEntry.objects.filter(action="calls.review.scored").count() == 1


def test_conflicted_juror_cannot_review(call, application, conflicted_juror):
    services.call_set_phase(call=call, phase=CallPhase.REVIEW, acting_user=None)
    with pytest.raises(PermissionDenied):
        services.review_save(application=application, acting_user=conflicted_juror, values={})


def test_declaring_conflict_removes_assignment(call, application, juror):
    member = JuryMember.objects.get(user=juror)
    Assignment.objects.create(juror=member, application=application)
    services.conflict_declare(application=application, acting_user=juror, reason="Nachbar")
    assert not Assignment.objects.filter(juror=member).exists()
    assert not juror.has_perm("calls.view_application", application)


def test_decision_needs_reason_and_announcement_mails_it(call, application, jury_chair):
    with pytest.raises(Unprocessable):
        services.decision_take(
            application=application, outcome="rejected", reason=" ", acting_user=jury_chair
        )
    services.decision_take(
        application=application,
        outcome="rejected",
        reason="Räumlicher Schwerpunkt unklar.",
        acting_user=jury_chair,
    )
    assert services.decisions_announce(call=call, acting_user=jury_chair) == 1
    mail = QueuedMail.objects.get(kind="calls.decision")
    assert "Räumlicher Schwerpunkt unklar." in mail.body


def test_grants_within_budget(call, application, other_applicant, site_admin):
    other = Application.objects.get(title="Grüne Mitte")
    for app in (application, other):
        services.decision_take(
            application=app, outcome="selected", reason="gut", acting_user=site_admin
        )
    services.grant_set(application=application, year=2024, amount="90000", acting_user=site_admin)
    with pytest.raises(Conflict) as exc:
        services.grant_set(application=other, year=2024, amount="70000", acting_user=site_admin)
    assert exc.value.code == "budget_exceeded"
    with pytest.raises(Conflict) as exc:
        services.grant_set(
            application=application, year=2025, amount="20000", acting_user=site_admin
        )
    assert exc.value.code == "max_grant_exceeded"
    assert Grant.objects.count() == 1


def test_reserve_moves_up_when_selected_withdraws(
    call, application, other_applicant, applicant, site_admin
):
    other = Application.objects.get(title="Grüne Mitte")
    services.decision_take(
        application=application, outcome="selected", reason="gut", acting_user=site_admin
    )
    services.decision_take(
        application=other, outcome="reserve", reason="knapp", acting_user=site_admin
    )
    services.grant_set(application=application, year=2024, amount="1000", acting_user=site_admin)
    services.application_withdraw(application=application, acting_user=applicant)
    other.refresh_from_db()
    assert other.status == ApplicationStatus.SELECTED
    assert not Grant.objects.exists()
    assert AuditEntry.objects.filter(action="calls.application.promoted").exists()


def test_selected_application_becomes_model_project(call, application, site_admin):
    services.decision_take(
        application=application, outcome="selected", reason="gut", acting_user=site_admin
    )
    services.grant_set(application=application, year=2024, amount="40000", acting_user=site_admin)
    project = services.application_to_catalogue(application=application, acting_user=site_admin)
    assert project.programme == call.programme
    assert project.funding_amount == Decimal(40000)
    assert {m.name for m in project.municipalities.all()} == {"Stahnsdorf", "Teltow, Stadt"}
    assert project.start_date.year == 2024
    application.refresh_from_db()
    assert application.project == project


def test_invitation_accepted_with_account(call, registered_user, site_admin):
    from ortswandel.calls.services.jury import invite_token

    member = services.juror_invite(call=call, email="Neu@Example.org", acting_user=site_admin)
    assert QueuedMail.objects.filter(kind="calls.jury_invite").exists()
    services.juror_accept(token=invite_token(member), acting_user=registered_user)
    member.refresh_from_db()
    assert member.user == registered_user
    assert registered_user.has_perm("calls.jury_call", call)


def test_auto_assignment(call, application, other_applicant, juror, jury_chair, conflicted_juror):  # noqa: PLR0917
    summary = services.assignment_auto(call=call, acting_user=jury_chair)
    assert summary["short"] == 0
    conflicted = JuryMember.objects.get(user=conflicted_juror)
    assert not Assignment.objects.filter(juror=conflicted, application=application).exists()
    assert Assignment.objects.filter(application=application).count() == 2
