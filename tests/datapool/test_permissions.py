"""Permission matrix: anonymous, another municipality's staff, this municipality's staff,
programme editor and site admin × register page, upload, template, publish, private values in
the API; and the operators' upload page for official tables."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ortswandel.datapool import selectors
from ortswandel.datapool.models import RegisterKind, RegisterUpload, Value
from ortswandel.datapool.rules import can
from ortswandel.datapool.services.register import register_upload_create

from .conftest import CLASSIC_ROWS, classic_table, population_csv

pytestmark = pytest.mark.django_db

AGS = "03159016"
ROLES = ["anonymous", "other_staff", "municipal_staff", "programme_editor", "site_admin"]
#: role → may manage this municipality's register data
ALLOWED = {
    "anonymous": False,
    "other_staff": False,
    "municipal_staff": True,
    "programme_editor": False,
    "site_admin": True,
}


@pytest.fixture
def as_role(request, client, pool):
    def login(role: str):
        user = None
        if role != "anonymous":
            user = request.getfixturevalue(role)
            client.force_login(user)
        return client, user

    return login


def _expect(response, role: str, success: int) -> None:
    if role == "anonymous":
        assert response.status_code == 302
        assert "/konto/" in response["Location"]
    elif ALLOWED[role]:
        assert response.status_code == success
    else:
        assert response.status_code == 403
        assert "Berechtigung" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_register_page(as_role, role):
    client, _user = as_role(role)
    response = client.get(reverse("datapool:register", kwargs={"ags": AGS}))
    _expect(response, role, 200)
    if ALLOWED[role]:
        assert "Eigene Registerdaten" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_register_upload(as_role, role):
    client, _user = as_role(role)
    upload = SimpleUploadedFile("melderegister.csv", population_csv(), content_type="text/csv")
    response = client.post(
        reverse("datapool:register", kwargs={"ags": AGS}),
        {"kind": RegisterKind.POPULATION, "file": upload},
    )
    _expect(response, role, 302)
    assert RegisterUpload.objects.exists() == ALLOWED[role]


@pytest.mark.parametrize("role", ROLES)
def test_register_template(as_role, role):
    client, _user = as_role(role)
    url = reverse(
        "datapool:register_template", kwargs={"ags": AGS, "kind": "bevoelkerung", "fmt": "csv"}
    )
    response = client.get(url)
    _expect(response, role, 200)
    if ALLOWED[role]:
        assert response["Content-Disposition"].endswith('03159016.csv"')


@pytest.mark.parametrize("role", ROLES)
def test_publish_action(as_role, role, municipal_staff):
    upload = register_upload_create(
        user=municipal_staff,
        ags=AGS,
        kind=RegisterKind.POPULATION,
        file_name="m.csv",
        data=population_csv(),
    )
    client, _user = as_role(role)
    url = reverse(
        "datapool:register_action",
        kwargs={"ags": AGS, "pk": upload.pk, "action": "veroeffentlichen"},
    )
    _expect(client.post(url), role, 302)
    upload.refresh_from_db()
    assert upload.is_published == ALLOWED[role]


@pytest.mark.parametrize("role", ROLES)
def test_private_register_values_in_the_api(as_role, role, municipal_staff):
    register_upload_create(
        user=municipal_staff,
        ags=AGS,
        kind=RegisterKind.POPULATION,
        file_name="m.csv",
        data=population_csv(),
    )
    client, user = as_role(role)
    response = client.get("/api/datapool/values?indicator=register-bevoelkerung&breakdown=")
    assert response.status_code == 200
    results = response.json()["results"]
    assert bool(results) == ALLOWED[role]
    if results:
        assert results[0]["is_private"] is True
    figures = client.get(f"/api/datapool/municipalities/{AGS}/key-figures").json()["figures"]
    assert ("register-bevoelkerung" in [f["indicator"] for f in figures]) == ALLOWED[role]
    base = selectors.register_population(AGS, user=user)
    assert (base is not None and base.source == "register") == ALLOWED[role]
    assert can("view_private_register_data", user, AGS) == ALLOWED[role]


def test_no_action_on_another_municipalitys_upload(client, municipal_staff, other_staff):
    upload = register_upload_create(
        user=municipal_staff,
        ags=AGS,
        kind=RegisterKind.POPULATION,
        file_name="m.csv",
        data=population_csv(),
    )
    client.force_login(other_staff)
    url = reverse(
        "datapool:register_action",
        kwargs={"ags": "03155011", "pk": upload.pk, "action": "loeschen"},
    )
    assert client.post(url).status_code == 404  # not an upload of Northeim
    assert RegisterUpload.objects.filter(pk=upload.pk).exists()


def test_broken_upload_page_shows_line_messages(client, municipal_staff):
    client.force_login(municipal_staff)
    url = reverse("datapool:register", kwargs={"ags": AGS})
    bad = population_csv(age5="5;10;9;20")
    response = client.post(
        url, {"kind": RegisterKind.POPULATION, "file": SimpleUploadedFile("m.csv", bad)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Zeile 11" in html and "ist nicht weiblich + männlich" in html
    assert not Value.objects.filter(indicator__code="register-bevoelkerung").exists()
    assert client.post(url, {"kind": "bevoelkerung"}).status_code == 400  # no file
    assert (
        client.post(url, {"kind": "x", "file": SimpleUploadedFile("m.csv", bad)}).status_code == 400
    )
    unknown = reverse("datapool:register", kwargs={"ags": "99999999"})
    assert client.get(unknown).status_code == 404


# ----------------------------------------------------------------------------- admin upload

ADMIN_UPLOAD = "/verwaltung/datapool/importrun/hochladen/"


def _form(data: bytes) -> dict:
    return {
        "file": SimpleUploadedFile("tabelle.csv", data),
        "layout": "auto",
        "code": "test-bev",
        "name": "Testbevölkerung",
        "attribution": "© Test, dl-de/by-2-0",
        "licence": "dl-de/by-2-0",
        "aggregation": "sum",
        "levels": ["kreis", "land", "bund"],
        "decimal": ",",
        "encoding": "auto",
        "complete": "on",
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("registered_user", 302),
        ("programme_editor", 403),
        ("operator", 200),
        ("site_admin", 200),
    ],
)
def test_admin_upload_page_needs_the_import_permission(client, pool, request, role, status):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(ADMIN_UPLOAD).status_code == status


def test_admin_upload_imports_or_lists_problems(client, pool, operator):
    client.force_login(operator)
    response = client.post(ADMIN_UPLOAD, _form(classic_table(CLASSIC_ROWS)))
    assert response.status_code == 200
    assert Value.objects.filter(indicator__code="test-bev", unit__code="03").exists()
    broken = classic_table([*CLASSIC_ROWS, "31.12.2016;03999;Nirgendwo;1;2;3;4"])
    response = client.post(ADMIN_UPLOAD, _form(broken))
    assert response.status_code == 400
    assert "Zeile 16: Gebietsschlüssel 03999 (Nirgendwo) ist unbekannt" in response.content.decode()
    response = client.post(ADMIN_UPLOAD, {"code": "UNGÜLTIG"})
    assert response.status_code == 400
    changelist = client.get("/verwaltung/datapool/importrun/")
    assert changelist.status_code == 200
    assert "hochladen" in changelist.content.decode()


def test_register_page_in_english(client, municipal_staff):
    client.force_login(municipal_staff)
    response = client.get("/en/datenpool/gemeinde/03159016/registerdaten/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Own register data" in html and "Upload and check" in html
    assert "Eigene Registerdaten" not in html


def test_wrong_file_type_on_the_page_is_a_form_error(client, municipal_staff):
    client.force_login(municipal_staff)
    url = reverse("datapool:register", kwargs={"ags": AGS})
    fake = SimpleUploadedFile("daten.xlsx", b"kein Excel")
    response = client.post(url, {"kind": "bevoelkerung", "file": fake})
    assert response.status_code == 400
    assert "passt nicht zur Endung" in response.content.decode()
