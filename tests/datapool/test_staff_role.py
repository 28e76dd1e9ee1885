"""The data pool asks the platform-wide role *staff of municipality Z* (accounts), and the
migration that retired its interim grant table carried every grant over."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ortswandel.accounts.models import MunicipalityStaffGrant
from ortswandel.accounts.roles import forget_roles, municipality_staff_revoke
from ortswandel.datapool.rules import can, granted_ags

BEFORE = [("datapool", "0001_initial")]
AFTER = [("datapool", "0002_staff_grants_move_to_accounts")]


def test_register_rights_follow_the_accounts_role(municipal_staff, site_admin):
    assert can("upload_register_data", municipal_staff, "03159016")
    assert not can("upload_register_data", municipal_staff, "03155011")
    assert granted_ags(municipal_staff) == {"03159016"}

    grant = MunicipalityStaffGrant.objects.get(user=municipal_staff)
    assert municipality_staff_revoke(
        user=municipal_staff, municipality=grant.municipality, acting_user=site_admin
    )
    forget_roles(municipal_staff)
    assert not can("upload_register_data", municipal_staff, "03159016")
    assert granted_ags(municipal_staff) == set()


def test_an_expired_grant_gives_no_register_rights(municipal_staff):
    MunicipalityStaffGrant.objects.filter(user=municipal_staff).update(
        valid_until=dt.date(2020, 1, 1)
    )
    forget_roles(municipal_staff)
    assert not can("view_private_register_data", municipal_staff, "03159016")


@pytest.mark.django_db(transaction=True)
def test_interim_grants_are_carried_over(django_user_model, site_admin):
    from tests.datapool.conftest import grant_staff

    user = django_user_model.objects.create_user(username="u@example.org", email="u@example.org")
    grant_staff(site_admin, "03159016", "Göttingen, Stadt")  # creates the register row
    MunicipalityStaffGrant.objects.all().delete()

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("datapool", "MunicipalityStaffGrant")
    old.objects.create(user_id=user.pk, ags="03159016", granted_by_id=site_admin.pk)
    old.objects.create(user_id=user.pk, ags="09999999")  # not in the register: dropped

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    carried = MunicipalityStaffGrant.objects.get(user=user)
    assert carried.municipality.ags == "03159016"
    assert carried.granted_by_id == site_admin.pk
    assert MunicipalityStaffGrant.objects.filter(user=user).count() == 1


@pytest.fixture(autouse=True)
def _back_to_latest(request):
    """A migration test leaves the schema where it stopped; later tests need every migration."""
    yield
    if "transactional_db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
