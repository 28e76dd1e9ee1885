"""The pages through the test client: apply (with and without autosave), score, meet, fund."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from ortswandel.calls.models import Application, ApplicationStatus, CallPhase, JuryMember, Review
from ortswandel.calls.services import call_set_phase, review_save
from ortswandel.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _form(**extra):
    data = {
        "title": "Neue Mitte",
        "f_kurzbeschreibung": "Marktplatz beleben.",
        "f_beteiligte": "80",
        "f_schwerpunkt": "Innenstadt",
        "budget_2024_total": "50.000,00",
        "budget_2024_own": "10000",
        "budget_2025_total": "50000",
        "budget_2025_own": "10000",
        "partners": "Verein A",
    }
    data.update(extra)
    return data


def test_applicant_flow_draft_save_submit(client, call, applicant, staff_municipality):
    client.force_login(applicant)
    response = client.post(
        reverse("calls:application_start", args=[call.slug]),
        {"municipality": staff_municipality.pk, "title": "Neue Mitte"},
    )
    application = Application.objects.get()
    assert response["Location"] == reverse("calls:application_edit", args=[application.pk])
    edit = reverse("calls:application_edit", args=[application.pk])
    # a plain save (no JavaScript) keeps an incomplete draft
    response = client.post(edit, {"title": "Neue Mitte", "action": "save"})
    assert response.status_code == 302
    # invalid input: 422, the German message tied to its field
    response = client.post(edit, _form(f_beteiligte="viele", action="save"))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="beteiligte-error"' in html and 'aria-describedby="beteiligte-error"' in html
    # autosave answers JSON
    response = client.post(edit, _form(action="save"), HTTP_X_AUTOSAVE="1")
    assert response.json() == {"saved": True}
    application.refresh_from_db()
    assert application.budget["2024"]["total"] == "50000.00"
    response = client.post(edit, _form(action="submit"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Marktplatz beleben." in page
    # no more editing after submission
    assert client.get(edit).status_code == 302


def test_submit_shows_each_failed_rule(client, call, applicant, staff_municipality):
    call.population_max = 10000
    call.save()
    client.force_login(applicant)
    client.post(
        reverse("calls:application_start", args=[call.slug]),
        {"municipality": staff_municipality.pk, "title": "Neue Mitte"},
    )
    application = Application.objects.get()
    response = client.post(
        reverse("calls:application_edit", args=[application.pk]), _form(action="submit")
    )
    assert response.status_code == 422
    assert "zugelassen sind höchstens 10.000" in response.content.decode()


def test_blind_review_hides_applicant_and_others_scores_until_own(
    client, call, application, juror, jury_chair
):
    call_set_phase(call=call, phase=CallPhase.REVIEW, acting_user=None)
    ids = list(call.criteria.values_list("pk", flat=True))
    review_save(
        application=application,
        acting_user=jury_chair,
        values=dict.fromkeys(ids, 5),
        comments={ids[0]: "Sehr überzeugend"},
        submit=True,
    )
    client.force_login(juror)
    detail = client.get(application.get_absolute_url()).content.decode()
    assert "Stahnsdorf" not in detail and "rathaus@stahnsdorf" not in detail
    url = reverse("calls:review", args=[application.pk])
    assert "Sehr überzeugend" not in client.get(url).content.decode()
    data = {f"score_{i}": "3" for i in ids} | {"action": "submit"}
    assert client.post(url, data).status_code == 302
    assert "Sehr überzeugend" in client.get(url).content.decode()
    review = Review.objects.get(juror__user=juror)
    assert review.submitted_at is not None


def test_conflict_declared_hides_application_everywhere(client, call, application, juror):
    client.force_login(juror)
    dashboard = reverse("calls:jury_dashboard", args=[call.slug])
    assert "Quartier der Generationen" in client.get(dashboard).content.decode()
    client.post(reverse("calls:conflict_declare", args=[application.pk]), {"reason": "Nachbar"})
    assert "Quartier der Generationen" not in client.get(dashboard).content.decode()
    assert client.get(application.get_absolute_url()).status_code == 404
    assert AuditEntry.objects.filter(action="calls.conflict.declared").exists()


def test_chair_meeting_decide_and_fund(  # noqa: PLR0917
    client, call, application, jury_chair, juror, programme_editor
):
    call_set_phase(call=call, phase=CallPhase.REVIEW, acting_user=None)
    ids = list(call.criteria.values_list("pk", flat=True))
    review_save(
        application=application, acting_user=juror, values=dict.fromkeys(ids, 4), submit=True
    )
    client.force_login(jury_chair)
    meeting = client.get(reverse("calls:meeting", args=[call.slug])).content.decode()
    assert "4,00" in meeting
    response = client.post(
        reverse("calls:decide", args=[application.pk]),
        {"outcome": "selected", "reason": "Stimmiges Konzept"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SELECTED
    client.force_login(programme_editor)
    funding = reverse("calls:funding", args=[call.slug])
    client.post(
        funding,
        {"action": "grant", "application": application.pk, "year": "2024", "amount": "40000"},
    )
    response = client.post(
        funding,
        {"action": "grant", "application": application.pk, "year": "2025", "amount": "70000"},
        follow=True,
    )
    assert "Höchstförderung" in response.content.decode()
    export = client.get(reverse("calls:funding_export", args=[call.slug]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "Quartier der Generationen" and rows[1][6] == 40000
    client.post(funding, {"action": "catalogue", "application": application.pk})
    application.refresh_from_db()
    assert application.project is not None


def test_invitation_link_flow(client, call, registered_user, site_admin):
    from ortswandel.calls.services import juror_invite
    from ortswandel.calls.services.jury import invite_token

    member = juror_invite(call=call, email="neu@example.org", acting_user=site_admin)
    url = reverse("calls:jury_accept", args=[invite_token(member)])
    assert client.get(url).status_code == 200
    assert client.get(url[:-5] + "xxxx/").status_code == 404
    client.force_login(registered_user)
    assert client.post(url).status_code == 302
    assert JuryMember.objects.get(pk=member.pk).user == registered_user


def test_api_lists_open_calls_with_criteria(client, call):
    data = client.get("/api/calls").json()
    assert data[0]["slug"] == call.slug
    assert data[0]["criteria"][0]["name"] == "Innovationsgehalt"
    assert client.get("/api/calls/gibt-es-nicht").status_code == 404


def test_model_project_page_collects_call_grants_and_events(client, call, application, site_admin):
    from datetime import timedelta

    from django.utils import timezone

    from ortswandel.calls.services import application_to_catalogue, decision_take, grant_set
    from ortswandel.catalogue.models import Project
    from ortswandel.events.models import Event, EventFormat

    decision_take(application=application, outcome="selected", reason="gut", acting_user=site_admin)
    grant_set(application=application, year=2024, amount="40000", acting_user=site_admin)
    project = application_to_catalogue(
        application=application, acting_user=site_admin, published=True
    )
    start = timezone.now() + timedelta(days=5)
    event = Event.objects.create(
        programme=call.programme,
        title="Transferwerkstatt",
        slug="transferwerkstatt",
        format=EventFormat.ONLINE,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status="published",
    )
    event.projects.add(project)
    page = client.get(Project.objects.get(pk=project.pk).get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Förderung aus der Ausschreibung" in html and "40.000,00 €" in html
    assert "Transferwerkstatt" in html


def test_applicant_sees_grants_and_reports_due(client, call, application, applicant, site_admin):
    import datetime as dt

    from ortswandel.calls.services import decision_take, grant_set, milestone_add

    decision_take(application=application, outcome="selected", reason="gut", acting_user=site_admin)
    grant_set(application=application, year=2025, amount="30000", acting_user=site_admin)
    milestone_add(
        application=application,
        kind="report",
        due_on=dt.date(2025, 6, 30),
        label="Zwischenbericht",
        acting_user=site_admin,
    )
    client.force_login(applicant)
    html = client.get(application.get_absolute_url()).content.decode()
    assert "Zuwendung 2025: 30.000,00 €" in html
    assert "Zwischenbericht" in html and "Bericht fällig" in html
