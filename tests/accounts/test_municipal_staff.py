"""Role *staff of municipality Z*: per-AGS grants, their permission and their admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ortswandel.accounts.models import MunicipalityStaffGrant
from ortswandel.accounts.roles import (
    municipality_staff_grant,
    municipality_staff_revoke,
    restrict_to_municipalities,
)
from ortswandel.core.models import AuditEntry
from ortswandel.municipalities.models import Municipality
from tests.permissions_matrix import (
    ADMIN_LOGIN,
    DENIED,
    OK,
    Matrix,
    answer,
    check_perm,
    user_for,
)

pytestmark = pytest.mark.django_db

ACT = "accounts.act_for_municipality"
Y, N = True, False

PERMS = Matrix(
    (
        "anonymous",
        "registered_user",
        "programme_editor",
        "municipal_staff",
        "other_municipal_staff",
        "site_admin",
    ),
    {
        (ACT, "staff_municipality"): (N, N, N, Y, N, Y),
        (ACT, "other_staff_municipality"): (N, N, N, N, Y, Y),
        (ACT, None): (N, N, N, Y, Y, Y),  # model level: staff of some municipality
        ("municipalities.view_municipality", "staff_municipality"): (Y, Y, Y, Y, Y, Y),
        ("municipalities.change_municipality", "staff_municipality"): (N, N, N, N, N, Y),
    },
)


@PERMS.parametrize("case")
def test_permission_matrix(request, case, role, expected):
    perm, name = case
    obj = request.getfixturevalue(name) if name else None
    check_perm(user_for(request, role), perm, obj, expected, role=role)


def test_grant_is_audited_and_can_end(municipal_staff, staff_municipality, site_admin):
    entry = AuditEntry.objects.get(action="accounts.municipality_staff.granted")
    assert entry.payload["ags"] == staff_municipality.ags
    assert municipal_staff.has_perm(ACT, staff_municipality)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    municipality_staff_grant(
        user=municipal_staff,
        municipality=staff_municipality,
        acting_user=site_admin,
        valid_until=yesterday,
    )
    assert MunicipalityStaffGrant.objects.filter(user=municipal_staff).count() == 1
    assert not municipal_staff.has_perm(ACT, staff_municipality)  # expired


def test_revoke(municipal_staff, staff_municipality, site_admin):
    assert municipality_staff_revoke(
        user=municipal_staff, municipality=staff_municipality, acting_user=site_admin
    )
    assert not municipal_staff.has_perm(ACT, staff_municipality)
    entry = AuditEntry.objects.get(action="accounts.municipality_staff.revoked")
    assert entry.actor == site_admin
    assert not municipality_staff_revoke(
        user=municipal_staff, municipality=staff_municipality, acting_user=site_admin
    )


def test_deactivated_account_loses_the_role(municipal_staff, staff_municipality):
    municipal_staff.is_active = False
    municipal_staff.save()
    fresh = type(municipal_staff).objects.get(pk=municipal_staff.pk)
    assert not fresh.has_perm(ACT, staff_municipality)


def test_objects_about_a_municipality_share_its_scope(municipal_staff, staff_municipality):
    """Anything with a ``municipality`` (a data set, a decision, an organisation) is in scope."""
    from ortswandel.catalogue.models import Organisation

    town_hall = Organisation.objects.create(
        name="Rathaus", slug="rathaus", kind="municipality", municipality=staff_municipality
    )
    assert municipal_staff.has_perm(ACT, town_hall)


def test_lists_are_restricted_to_the_granted_municipalities(
    municipal_staff, staff_municipality, other_staff_municipality, site_admin
):
    everything = Municipality.objects.order_by("ags")
    assert list(restrict_to_municipalities(everything, municipal_staff, "pk")) == [
        staff_municipality
    ]
    assert restrict_to_municipalities(everything, site_admin, "pk").count() == 2


GRANT_ADMIN = Matrix(
    ("anonymous", "registered_user", "programme_editor", "municipal_staff", "site_admin"),
    {
        "changelist": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, ADMIN_LOGIN, OK),
        "add": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, ADMIN_LOGIN, OK),
        "change": (ADMIN_LOGIN, ADMIN_LOGIN, DENIED, ADMIN_LOGIN, OK),
    },
)


@GRANT_ADMIN.parametrize("view")
def test_only_site_admins_manage_grants(as_role, request, view, role, expected):
    grant = MunicipalityStaffGrant.objects.get(user=request.getfixturevalue("municipal_staff"))
    args = [grant.pk] if view == "change" else []
    url = reverse(f"admin:accounts_municipalitystaffgrant_{view}", args=args)
    assert answer(as_role(role).get(url)) == expected


def test_site_admin_grants_through_the_admin(as_role, registered_user, staff_municipality):
    client = as_role("site_admin")
    response = client.post(
        reverse("admin:accounts_municipalitystaffgrant_add"),
        {"user": registered_user.pk, "municipality": staff_municipality.pk, "valid_until": ""},
    )
    assert response.status_code == 302
    grant = MunicipalityStaffGrant.objects.get(user=registered_user)
    assert grant.granted_by.is_superuser
    assert AuditEntry.objects.filter(action="accounts.municipalitystaffgrant.created").exists()
    fresh = type(registered_user).objects.get(pk=registered_user.pk)
    assert fresh.has_perm(ACT, staff_municipality)
