"""Editors' admin: the permission matrix (role × view), programme scoping, publishing, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from ortswandel.catalogue.admin import ProjectAdmin
from ortswandel.catalogue.models import NewsItem, Programme, Project, Result
from ortswandel.core.models import AuditEntry
from tests.admin_forms import admin_form_data
from tests.permissions_matrix import (
    ADMIN_LOGIN,
    ADMIN_MISSING,
    DENIED,
    OK,
    PROGRAMME_ROLES,
    Matrix,
    answer,
)

pytestmark = pytest.mark.django_db

ROLES = PROGRAMME_ROLES  # editor A = programme_editor, editor B = other_editor


def _admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:catalogue_{model}_{view}", args=args)


# --------------------------------------------------------------------------- the matrix

#: Admin pages of projects, results and news of programme A (editor A's; editor B cannot even
#: see that the rows exist), and the programme and audit log pages.
ADMIN_PAGES = Matrix(
    ROLES,
    {
        # page: anonymous, registered, editor A, editor B, site admin
        "{model}/changelist": (ADMIN_LOGIN, ADMIN_LOGIN, OK, OK, OK),
        "{model}/add": (ADMIN_LOGIN, ADMIN_LOGIN, OK, OK, OK),
        "{model}/change A": (ADMIN_LOGIN, ADMIN_LOGIN, OK, ADMIN_MISSING, OK),
        "{model}/delete A": (ADMIN_LOGIN, ADMIN_LOGIN, OK, ADMIN_MISSING, OK),
        "programme/add": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, DENIED, OK),
        "programme/change A": (ADMIN_LOGIN, ADMIN_LOGIN, OK, ADMIN_MISSING, OK),
        "programme/delete A": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, DENIED, OK),
        "auditentry/changelist": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, DENIED, OK),
    },
)


def _page_url(page: str, model: str, catalogue) -> str:
    target, view = page.split("/")
    target = target.format(model=model)
    objects = {
        "project": catalogue.alpha,
        "result": catalogue.result,
        "newsitem": catalogue.news,
        "programme": catalogue.programme,
    }
    if target == "auditentry":
        return reverse("admin:core_auditentry_changelist")
    if view.endswith(" A"):
        return _admin_url(target, view[:-2], objects[target].pk)
    return _admin_url(target, view)


@ADMIN_PAGES.parametrize("page")
def test_admin_matrix(as_role, catalogue, page, role, expected):
    client = as_role(role)
    for model in ("project", "result", "newsitem") if "{model}" in page else ("-",):
        response = client.get(_page_url(page, model, catalogue))
        assert answer(response) == expected, (model, page, role)


@pytest.mark.parametrize(
    ("role", "published"),
    list(zip(ROLES, [False, False, True, False, True], strict=True)),
)
def test_admin_matrix_publish_action(as_role, catalogue, role, published):
    client = as_role(role)
    response = client.post(
        _admin_url("project", "changelist"),
        {"action": "publish_selected", "_selected_action": [catalogue.draft_project.pk]},
    )
    assert response.status_code in {200, 302}
    catalogue.draft_project.refresh_from_db()
    assert catalogue.draft_project.is_published is published
    entries = AuditEntry.objects.filter(action="catalogue.project.published")
    assert entries.exists() is published
    if published:
        entry = entries.get()
        assert entry.object_id == str(catalogue.draft_project.pk)
        assert entry.payload == {"changes": {"status": ["draft", "published"]}}


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_same_for_every_role(as_role, catalogue, role):
    client = as_role(role)
    assert client.get(reverse("catalogue:project_detail", args=["alpha"])).status_code == 200
    assert client.get(reverse("catalogue:project_list")).status_code == 200
    # public pages never show drafts, not even to editors and admins
    assert client.get(reverse("catalogue:project_detail", args=["entwurf"])).status_code == 404
    assert client.get(reverse("catalogue:news_detail", args=["noch-geheim"])).status_code == 404


# --------------------------------------------------------------------------- scoping


def test_editor_changelist_shows_only_own_programme(as_role, catalogue):
    client = as_role("other_editor")
    rows = list(client.get(_admin_url("project", "changelist")).context["cl"].result_list)
    assert [p.acronym for p in rows] == ["GAMMA"]
    client = as_role("programme_editor")
    rows = list(client.get(_admin_url("project", "changelist")).context["cl"].result_list)
    assert {p.acronym for p in rows} == {"ALPHA", "BETA", "DELTA", "ENTWURF"}


def test_editor_form_offers_only_own_programmes_and_themes(as_role, catalogue):
    form = as_role("programme_editor").get(_admin_url("project", "add")).context["adminform"].form
    assert list(form.fields["programme"].queryset) == [catalogue.programme]
    assert catalogue.theme_other not in form.fields["themes"].queryset
    assert catalogue.theme_a in form.fields["themes"].queryset


def test_editor_cannot_move_project_to_foreign_programme(as_role, catalogue):
    client = as_role("programme_editor")
    url = _admin_url("project", "change", catalogue.alpha.pk)
    data = admin_form_data(client.get(url))
    data["programme"] = str(catalogue.other_programme.pk)
    data["themes"] = []
    response = client.post(url, data)
    assert response.status_code == 200  # form re-rendered with an error
    assert "programme" in response.context["adminform"].form.errors
    catalogue.alpha.refresh_from_db()
    assert catalogue.alpha.programme_id == catalogue.programme.pk


def test_editor_cannot_create_content_in_foreign_programme(as_role, catalogue):
    client = as_role("programme_editor")
    response = client.post(
        _admin_url("newsitem", "add"),
        {
            "programme": catalogue.other_programme.pk,
            "title": "Fremd",
            "slug": "fremd",
            "published_on": "2024-01-01",
            "status": "published",
        },
    )
    assert response.status_code == 200
    assert not NewsItem.objects.filter(slug="fremd").exists()


def test_save_is_rechecked_on_the_server(catalogue, other_editor):
    """Even if a form were bypassed, save_model refuses a programme the user does not edit."""
    from django.contrib import admin

    request = RequestFactory().post("/")
    request.user = other_editor
    model_admin = ProjectAdmin(Project, admin.site)
    catalogue.alpha.title = "gekapert"
    with pytest.raises(PermissionDenied):
        model_admin.save_model(request, catalogue.alpha, form=None, change=True)
    catalogue.alpha.programme = catalogue.other_programme  # move into B's programme
    with pytest.raises(PermissionDenied):
        model_admin.save_model(request, catalogue.alpha, form=None, change=True)
    assert Project.objects.get(pk=catalogue.alpha.pk).title == "Titel ALPHA"


def test_editor_cannot_change_programme_editors(as_role, catalogue, other_editor):
    client = as_role("programme_editor")
    url = _admin_url("programme", "change", catalogue.programme.pk)
    response = client.get(url)
    form = response.context["adminform"].form
    assert "editors" not in form.fields
    data = admin_form_data(response)
    data["editors"] = [str(other_editor.pk)]
    data["summary"] = "Neu"
    response = client.post(url, data)
    assert response.status_code == 302
    programme = Programme.objects.get(pk=catalogue.programme.pk)
    assert programme.summary == "Neu"
    assert list(programme.editors.values_list("username", flat=True)) == ["redaktion@example.org"]


def test_site_admin_cannot_mix_themes_of_other_programmes(as_role, catalogue):
    client = as_role("site_admin")
    url = _admin_url("project", "change", catalogue.alpha.pk)
    data = admin_form_data(client.get(url))
    data["themes"] = [str(catalogue.theme_other.pk)]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "themes" in response.context["adminform"].form.errors


def test_change_is_audited_with_changed_fields(as_role, catalogue, programme_editor):
    client = as_role("programme_editor")
    url = _admin_url("project", "change", catalogue.alpha.pk)
    data = admin_form_data(client.get(url))
    data["title"] = "Neuer Titel"
    data["themes"] = [str(catalogue.theme_a.pk)]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="catalogue.project.changed")
    assert entry.actor == programme_editor
    assert entry.object_id == str(catalogue.alpha.pk)
    assert entry.payload["changes"]["title"] == ["Titel ALPHA", "Neuer Titel"]
    assert set(entry.payload["changes"]) == {"title", "updated_at"}
    relations = AuditEntry.objects.get(action="catalogue.project.relations_changed")
    assert relations.payload["relations"]["themes"] == [str(catalogue.theme_a.pk)]


def test_partner_inline_changes_are_audited(as_role, catalogue):
    client = as_role("programme_editor")
    url = _admin_url("project", "change", catalogue.beta.pk)
    data = admin_form_data(client.get(url))
    data["partnerships-0-organisation"] = str(catalogue.coordinator.pk)
    data["partnerships-0-role"] = "coordinator"
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="catalogue.project.partners_changed")
    assert entry.payload["partners"]["added"] == [
        "Institut für Raumforschung – Verbundkoordination"
    ]


def test_other_editor_cannot_publish_a_via_mixed_selection(as_role, catalogue):
    """Rows outside the editor's programmes are not even part of the action's queryset."""
    client = as_role("other_editor")
    Result.objects.filter(pk=catalogue.result_other.pk).update(status="draft")
    client.post(
        _admin_url("result", "changelist"),
        {
            "action": "publish_selected",
            "_selected_action": [catalogue.draft_result.pk, catalogue.result_other.pk],
        },
    )
    assert Result.objects.get(pk=catalogue.draft_result.pk).status == "draft"
    assert Result.objects.get(pk=catalogue.result_other.pk).status == "published"


def test_unpublish_action_hides_from_public(as_role, catalogue, client):
    as_role("programme_editor").post(
        _admin_url("project", "changelist"),
        {"action": "unpublish_selected", "_selected_action": [catalogue.alpha.pk]},
    )
    assert AuditEntry.objects.filter(action="catalogue.project.unpublished").count() == 1
    client.logout()
    assert client.get(reverse("catalogue:project_detail", args=["alpha"])).status_code == 404


def test_organisations_shared_editors_add_but_not_delete(as_role, catalogue):
    client = as_role("other_editor")
    assert (
        client.get(_admin_url("organisation", "change", catalogue.coordinator.pk)).status_code
        == 200
    )
    response = client.post(
        _admin_url("organisation", "add"),
        {"name": "Neuer Verein", "slug": "neuer-verein", "kind": "association", "_save": "1"},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="catalogue.organisation.created").count() == 1
    assert (
        client.get(_admin_url("organisation", "delete", catalogue.coordinator.pk)).status_code
        == 403
    )
    assert (
        as_role("site_admin")
        .get(_admin_url("organisation", "delete", catalogue.coordinator.pk))
        .status_code
        == 200
    )


def test_upload_is_validated(as_role, catalogue):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_role("programme_editor")
    url = _admin_url("result", "change", catalogue.result.pk)
    data = admin_form_data(client.get(url))
    data["file"] = SimpleUploadedFile("bericht.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors


def test_editor_finds_model_municipalities_by_name(as_role, catalogue):
    client = as_role("programme_editor")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "catalogue",
            "model_name": "project",
            "field_name": "municipalities",
            "term": "Kleinort",
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(catalogue.small.pk)]
    anonymous = as_role("anonymous").get(
        reverse("admin:autocomplete"),
        {"app_label": "catalogue", "model_name": "project", "field_name": "municipalities"},
    )
    assert anonymous.status_code == 302
