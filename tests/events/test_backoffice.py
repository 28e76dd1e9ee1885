"""Organiser back office: role matrix, participant list, attendance, exports, messages, stats."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from ortswandel.core.errors import PermissionDenied
from ortswandel.core.models import AuditEntry, QueuedMail
from ortswandel.events import services
from ortswandel.events.models import Registration

from .conftest import person

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "registered_user", "programme_editor", "other_editor", "site_admin"]
EXPECTED = {  # event of programme A
    "anonymous": 302,
    "registered_user": 403,
    "programme_editor": 200,
    "other_editor": 403,
    "site_admin": 200,
}


def login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path",
    [
        "organisation/{slug}/",
        "organisation/{slug}/teilnehmende.csv",
        "organisation/{slug}/teilnehmende.xlsx",
        "organisation/{slug}/nachricht/",
    ],
)
def test_role_matrix_event_pages(client, request, event, role, path):
    services.registration_create(event=event, **person(1))
    login(client, request, role)
    response = client.get("/veranstaltungen/" + path.format(slug=event.slug))
    assert response.status_code == EXPECTED[role]
    if response.status_code != 200:
        assert b"person1@example.org" not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_dashboard_and_stats(client, request, event, role):
    login(client, request, role)
    expected = {"anonymous": 302, "registered_user": 403}.get(role, 200)
    for path in ("/veranstaltungen/organisation/", "/veranstaltungen/organisation/statistik/"):
        assert client.get(path).status_code == expected
    if role == "other_editor":
        assert event.title not in client.get("/veranstaltungen/organisation/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_posts(client, request, event, role):
    reg = services.registration_create(event=event, **person(1))
    services.registration_confirm(registration=reg)
    login(client, request, role)
    response = client.post(
        f"/veranstaltungen/organisation/{event.slug}/",
        {"action": "attendance", "attended": [reg.pk]},
    )
    reg.refresh_from_db()
    if EXPECTED[role] == 200:
        assert response.status_code == 302 and reg.attended is True
    else:
        assert response.status_code == EXPECTED[role] and reg.attended is None


def test_service_level_role_check(event, other_editor, registered_user):
    reg = services.registration_create(event=event, **person(1))
    services.registration_confirm(registration=reg)
    for user in (other_editor, registered_user):
        with pytest.raises(PermissionDenied):
            services.registration_set_attendance(registration=reg, attended=True, acting_user=user)


def test_participants_page_and_exports(client, programme_editor, event):
    a = services.registration_create(
        event=event, **person(1, organisation="=HYPERLINK(1)", land_code="12")
    )
    services.registration_confirm(registration=a)
    services.registration_create(event=event, **person(2))
    services.registration_create(event=event, **person(3))  # waitlist
    client.force_login(programme_editor)
    html = client.get(f"/veranstaltungen/organisation/{event.slug}/").content.decode()
    assert "person3@example.org" in html and "Warteliste" in html
    csv_body = client.get(f"/veranstaltungen/organisation/{event.slug}/teilnehmende.csv").content
    text = csv_body.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Nr.;Status;Name;E-Mail")
    assert len(text.strip().splitlines()) == 4
    assert "'=HYPERLINK(1)" in text  # formula neutralised
    assert "Brandenburg" in text
    from openpyxl import load_workbook

    response = client.get(f"/veranstaltungen/organisation/{event.slug}/teilnehmende.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Nr.", "Status", "Name", "E-Mail")
    assert len(rows) == 4
    assert (
        client.get(f"/veranstaltungen/organisation/{event.slug}/teilnehmende.pdf").status_code
        == 404
    )


def test_attendance_cancel_and_fill_waitlist(client, programme_editor, event):
    a = services.registration_create(event=event, **person(1))
    services.registration_confirm(registration=a)
    b = services.registration_create(event=event, **person(2))
    w = services.registration_create(event=event, **person(3))
    client.force_login(programme_editor)
    url = f"/veranstaltungen/organisation/{event.slug}/"
    client.post(url, {"action": "attendance", "attended": [str(a.pk)]})
    a.refresh_from_db()
    assert a.attended is True
    assert AuditEntry.objects.filter(
        action="events.registration.attendance_marked", actor=programme_editor
    ).exists()
    client.post(url, {"action": "cancel", "registration": str(b.pk)})
    w.refresh_from_db()
    assert w.status == "pending"
    event.capacity = 5
    event.save()
    w2 = services.registration_create(event=event, **person(4))
    assert w2.status == "pending"
    response = client.post(url, {"action": "fill_waitlist"})
    assert response.status_code == 302
    assert client.post(url, {"action": "cancel", "registration": "999999"}).status_code == 302


def test_message_to_participants(
    client, programme_editor, event, mailoutbox, django_capture_on_commit_callbacks
):
    a = services.registration_create(event=event, **person(1))
    services.registration_confirm(registration=a)
    services.registration_create(event=event, **person(2))
    client.force_login(programme_editor)
    url = f"/veranstaltungen/organisation/{event.slug}/nachricht/"
    bad = client.post(url, {"audience": "confirmed", "subject": "", "body": ""})
    assert bad.status_code == 400
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "audience": "confirmed",
                "subject": "Technikcheck",
                "body": "Bitte 10 Minuten vorher.",
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["person1@example.org"]]
    assert "Bitte 10 Minuten vorher." in mailoutbox[0].body


def test_followup_requires_materials(client, programme_editor, make_event):
    past = make_event(starts_at=timezone.now() - timedelta(days=2))
    Registration.objects.create(
        event=past,
        status="confirmed",
        name="A",
        email="a@example.org",
        consent_text="x",
        consented_at=timezone.now(),
    )
    client.force_login(programme_editor)
    url = f"/veranstaltungen/organisation/{past.slug}/"
    client.post(url, {"action": "followup"})
    assert not QueuedMail.objects.filter(kind="followup").exists()
    past.materials.create(kind="slides", title="Folien", url="https://example.org/folien.pdf")
    client.post(url, {"action": "followup"})
    assert QueuedMail.objects.filter(kind="followup").count() == 1


def test_statistics_counts(client, site_admin, make_event):
    event = make_event(capacity=1)
    services.registration_create(
        event=event, **person(1, land_code="12", organisation_kind="municipality")
    )
    services.registration_create(event=event, **person(2, land_code="12"))
    services.registration_create(event=event, **person(3, land_code="09"))
    client.force_login(site_admin)
    response = client.get("/veranstaltungen/organisation/statistik/")
    stats = response.context["stats"]
    assert {row["name"]: row["count"] for row in stats["by_land"]} == {
        "Brandenburg": 2,
        "Bayern": 1,
    }
    assert stats["by_kind"][0]["count"] == 2  # "keine Angabe" first
    row = stats["per_event"][0]
    assert (row.pending, row.waitlisted) == (1, 2)


def test_admin_is_scoped_by_programme(client, programme_editor, other_editor, event):
    client.force_login(programme_editor)
    assert client.get("/verwaltung/events/event/").status_code == 200
    assert client.get(f"/verwaltung/events/event/{event.pk}/change/").status_code == 200
    client.force_login(other_editor)
    listing = client.get("/verwaltung/events/event/").content.decode()
    assert event.title not in listing
    assert client.get(f"/verwaltung/events/event/{event.pk}/change/").status_code in (302, 403, 404)
    assert client.get("/verwaltung/core/queuedmail/").status_code == 403
