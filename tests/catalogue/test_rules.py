"""The catalogue's permissions (``catalogue/rules.py``) as a matrix: role × permission on an
object; and "view on site" in the admin, which must not reveal what a user may not see."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.permissions_matrix import (
    ADMIN_LOGIN,
    NOT_FOUND,
    PROGRAMME_ROLES,
    REDIRECT,
    Matrix,
    answer,
    check_perm,
    user_for,
)

pytestmark = pytest.mark.django_db

ROLES = (*PROGRAMME_ROLES, "municipal_staff")
Y, N = True, False

#: (permission, object of the ``catalogue`` fixture): anonymous, registered, editor A, editor B,
#: site admin, municipal staff. Programme A is ``programme``; B is ``other_programme``.
PERMS = Matrix(
    ROLES,
    {
        ("catalogue.view_result", "result"): (Y, Y, Y, Y, Y, Y),
        ("catalogue.view_result", "draft_result"): (N, N, Y, N, Y, N),
        ("catalogue.view_project", "hidden_project"): (N, N, N, N, Y, N),
        ("catalogue.view_newsitem", "draft_news"): (N, N, Y, N, Y, N),
        ("catalogue.view_programme", "draft_programme"): (N, N, N, N, Y, N),
        ("catalogue.view_organisation", "coordinator"): (Y, Y, Y, Y, Y, Y),
        ("catalogue.change_result", "draft_result"): (N, N, Y, N, Y, N),
        ("catalogue.change_result", "result_other"): (N, N, N, Y, Y, N),
        ("catalogue.delete_project", "alpha"): (N, N, Y, N, Y, N),
        ("catalogue.add_newsitem", "news"): (N, N, Y, N, Y, N),
        ("catalogue.change_programme", "programme"): (N, N, Y, N, Y, N),
        ("catalogue.delete_programme", "programme"): (N, N, N, N, Y, N),
        ("catalogue.delete_organisation", "coordinator"): (N, N, N, N, Y, N),
    },
)


@PERMS.parametrize("case")
def test_permission_matrix(request, catalogue, case, role, expected):
    perm, name = case
    check_perm(user_for(request, role), perm, getattr(catalogue, name), expected, role=role)


def test_editing_needs_the_model_permission_too(catalogue, programme_editor):
    """The programme role scopes; Django's model permission says what (least privilege)."""
    from django.contrib.auth.models import Permission

    programme_editor.user_permissions.remove(
        Permission.objects.get(codename="change_result", content_type__app_label="catalogue")
    )
    programme_editor = type(programme_editor).objects.get(pk=programme_editor.pk)
    assert not programme_editor.has_perm("catalogue.change_result", catalogue.result)
    assert programme_editor.has_perm("catalogue.change_project", catalogue.alpha)
    # seeing the programme's drafts needs the role only
    assert programme_editor.has_perm("catalogue.view_result", catalogue.draft_result)


def test_model_level_checks_add_nothing_to_django_permissions(catalogue, registered_user):
    """Without an object the rules grant nothing beyond Django's model permissions."""
    for perm in ("catalogue.view_result", "catalogue.view_organisation", "catalogue.add_result"):
        assert not registered_user.has_perm(perm)


def _view_on_site(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


VIEW_ON_SITE = Matrix(
    PROGRAMME_ROLES,
    {
        # object: anonymous, registered, editor A, editor B, site admin
        "draft_result": (ADMIN_LOGIN, ADMIN_LOGIN, REDIRECT, NOT_FOUND, REDIRECT),
        "draft_news": (ADMIN_LOGIN, ADMIN_LOGIN, REDIRECT, NOT_FOUND, REDIRECT),
        "hidden_project": (ADMIN_LOGIN, ADMIN_LOGIN, NOT_FOUND, NOT_FOUND, REDIRECT),
        "result": (ADMIN_LOGIN, ADMIN_LOGIN, REDIRECT, REDIRECT, REDIRECT),
    },
)


@VIEW_ON_SITE.parametrize("name")
def test_view_on_site_redirect_reveals_only_what_the_user_may_see(
    as_role, catalogue, name, role, expected
):
    """The admin's "view on site" redirect used to send any staff user to any object's URL,
    giving away draft slugs of other programmes."""
    obj = getattr(catalogue, name)
    response = as_role(role).get(_view_on_site(obj))
    assert answer(response) == expected, (role, name)
    if expected == NOT_FOUND:
        assert obj.slug.encode() not in response.content
    if expected == REDIRECT:
        assert response["Location"] == obj.get_absolute_url()


def test_view_on_site_with_nonsense_ids_is_a_404(as_role, catalogue):
    client = as_role("site_admin")
    content_type = ContentType.objects.get_for_model(catalogue.result)
    for path in (f"r/{content_type.pk}/abc/", "r/999999/1/", f"r/{content_type.pk}/999999/"):
        assert client.get(f"/verwaltung/{path}").status_code == 404


def test_view_on_site_link_only_for_public_objects(as_role, catalogue):
    """The change form offers "view on site" only where the public page shows the object."""
    client = as_role("programme_editor")
    draft = client.get(reverse("admin:catalogue_result_change", args=[catalogue.draft_result.pk]))
    public = client.get(reverse("admin:catalogue_result_change", args=[catalogue.result.pk]))
    assert draft.status_code == public.status_code == 200
    assert not draft.context["has_absolute_url"]
    assert public.context["has_absolute_url"]
