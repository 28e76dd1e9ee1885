"""Permissions of the calls app as a matrix: ten roles × every page, download and API endpoint.
A refused cell never shows the applicant's e-mail address or the application's title."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ortswandel.calls.models import Attachment
from tests.permissions_matrix import (
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Matrix,
    check_response,
    login_as,
)

ROLES = (
    "anonymous",
    "applicant",
    "co_applicant",
    "other_applicant",
    "juror",
    "conflicted_juror",
    "jury_chair",
    "programme_editor",
    "other_editor",
    "site_admin",
)
N = NOT_FOUND
SECRETS = ["rathaus@stahnsdorf.example", "Quartier der Generationen"]

PAGES = Matrix(
    roles=ROLES,
    rows={
        # public
        "/ausschreibungen/": (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
        "/ausschreibungen/{call}/": (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
        "/api/calls": (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
        "/api/calls/{call}": (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
        # applicant
        "/ausschreibungen/meine/": (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK),
        "/ausschreibungen/{call}/bewerben/": (LOGIN, OK, OK, OK, OK, OK, OK, OK, OK, OK),
        "/ausschreibungen/bewerbung/{app}/": (LOGIN, OK, OK, N, OK, N, OK, OK, N, OK),
        "/ausschreibungen/bewerbung/{app}/bearbeiten/": (LOGIN, REDIRECT, N, N, N, N, N, N, N, N),
        "/ausschreibungen/bewerbung/{app}/zurueckziehen/": (LOGIN, OK, N, N, N, N, N, N, N, N),
        "/ausschreibungen/bewerbung/{app}/bewerbung.pdf": (LOGIN, OK, OK, N, OK, N, OK, OK, N, OK),
        "/ausschreibungen/bewerbung/999999/bewerbung.pdf": (LOGIN, N, N, N, N, N, N, N, N, N),
        "{download}": (N, OK, OK, N, OK, N, OK, OK, N, OK),
        # jury
        "/ausschreibungen/{call}/jury/": (LOGIN, N, N, N, OK, OK, OK, N, N, N),
        "/ausschreibungen/bewerbung/{app}/bewertung/": (LOGIN, N, N, N, OK, N, OK, N, N, N),
        "/ausschreibungen/{call}/sitzung/": (LOGIN, N, N, N, N, N, OK, OK, N, OK),
        "/ausschreibungen/{call}/verwaltung/": (LOGIN, N, N, N, N, N, OK, OK, N, OK),
        # funding
        "/ausschreibungen/{call}/foerderung/": (LOGIN, N, N, N, N, N, N, OK, N, OK),
        "/ausschreibungen/{call}/foerderung/zuwendungen.xlsx": (LOGIN, N, N, N, N, N, N, OK, N, OK),
        "/ausschreibungen/{call}/foerderung/foerderzusagen.zip": (
            LOGIN,
            N,
            N,
            N,
            N,
            N,
            N,
            OK,
            N,
            OK,
        ),
        # a grant letter exists only for a selected application (this one is submitted)
        "/ausschreibungen/{call}/foerderung/foerderzusage-{app}.pdf": (
            LOGIN,
            N,
            N,
            N,
            N,
            N,
            N,
            N,
            N,
            N,
        ),
    },
)

# Once the application is selected: its grant letter (PDF) for the call's managers only.
SELECTED_PAGES = Matrix(
    roles=ROLES,
    rows={
        "/ausschreibungen/{call}/foerderung/foerderzusage-{app}.pdf": (
            LOGIN,
            N,
            N,
            N,
            N,
            N,
            N,
            OK,
            N,
            OK,
        ),
        "/ausschreibungen/{call}/foerderung/foerderzusage-999999.pdf": (LOGIN,) + (N,) * 9,
        "/ausschreibungen/bewerbung/{app}/bewerbung.pdf": (LOGIN, OK, OK, N, OK, N, OK, OK, N, OK),
    },
)


@pytest.mark.django_db
@SELECTED_PAGES.parametrize("path")
def test_pages_of_a_selected_application(client, request, call, application, path, role, expected):  # noqa: PLR0917
    application.status = "selected"
    application.save(update_fields=["status"])
    login_as(client, request, role)
    response = client.get(path.format(call=call.slug, app=application.pk))
    check_response(response, expected, role=role, what=path, secrets=SECRETS)
    if expected == OK:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")


POSTS = Matrix(
    roles=ROLES,
    rows={
        "/ausschreibungen/bewerbung/{app}/entscheidung/": (
            LOGIN,
            N,
            N,
            N,
            N,
            N,
            REDIRECT,
            REDIRECT,
            N,
            REDIRECT,
        ),
        "/ausschreibungen/bewerbung/{app}/notiz/": (
            LOGIN,
            N,
            N,
            N,
            N,
            N,
            REDIRECT,
            REDIRECT,
            N,
            REDIRECT,
        ),
        "/ausschreibungen/bewerbung/{app}/befangen/": (
            LOGIN,
            N,
            N,
            N,
            REDIRECT,
            N,
            REDIRECT,
            N,
            N,
            N,
        ),
        "/ausschreibungen/bewerbung/{app}/zurueckziehen/": (
            LOGIN,
            REDIRECT,
            N,
            N,
            N,
            N,
            N,
            N,
            N,
            N,
        ),
    },
)


@pytest.fixture
def attachment(application, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    att = Attachment(application=application, title="Lageplan", size=13)
    att.file.save("lageplan.pdf", SimpleUploadedFile("lageplan.pdf", b"%PDF-1.4 test"), save=False)
    att.save()
    return att


@pytest.mark.django_db
@PAGES.parametrize("path")
def test_pages(client, request, call, application, attachment, path, role, expected):  # noqa: PLR0917
    login_as(client, request, role)
    url = path.format(call=call.slug, app=application.pk, download=attachment.file.url)
    response = client.get(url)
    check_response(response, expected, role=role, what=path, secrets=SECRETS)
    if path.startswith("/api/"):
        assert b"@" not in response.content  # no personal data in the public API


@pytest.mark.django_db
@POSTS.parametrize("path")
def test_posts(client, request, call, application, path, role, expected):  # noqa: PLR0917
    login_as(client, request, role)
    url = path.format(call=call.slug, app=application.pk)
    response = client.post(url, {"outcome": "selected", "reason": "gut", "text": "Notiz"})
    check_response(response, expected, role=role, what=path, secrets=SECRETS)


@pytest.mark.django_db
def test_admin_call_setup_is_programme_scoped(client, call, other_call_editor, site_admin):
    client.force_login(site_admin)
    assert client.get("/verwaltung/calls/call/").status_code == 200
    assert client.get(f"/verwaltung/calls/call/{call.pk}/change/").status_code == 200
    client.force_login(other_call_editor)
    assert client.get("/verwaltung/calls/call/").status_code == 200
    assert call.title not in client.get("/verwaltung/calls/call/").content.decode()
    assert client.get(f"/verwaltung/calls/call/{call.pk}/change/").status_code in (302, 403)


@pytest.fixture
def other_call_editor(other_editor):
    from django.contrib.auth.models import Permission

    other_editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="calls"))
    return other_editor
