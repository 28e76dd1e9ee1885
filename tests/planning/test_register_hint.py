"""The municipality's own register places appear beside the capacity fields — to those who may
see them (published: everybody; private: the municipality's staff)."""

from __future__ import annotations

import datetime as dt

import pytest

from ortswandel.datapool.models import (
    Indicator,
    Level,
    MunicipalityStaffGrant,
    SpatialUnit,
    Value,
)
from ortswandel.datapool.services.register import PLACES
from ortswandel.planning.selectors import register_capacities

pytestmark = pytest.mark.django_db
AGS = "12069616"  # Stahnsdorf: the ``staff_municipality`` of tests/conftest.py


@pytest.fixture
def places():
    unit = SpatialUnit.objects.create(level=Level.MUNICIPALITY, code=AGS, name="Stahnsdorf")
    indicator = Indicator.objects.create(code=PLACES, name="Plätze", unit="Plätze")

    def add(kind, value, *, private, date=dt.date(2025, 3, 1)):
        Value.objects.create(
            indicator=indicator,
            unit=unit,
            date=date,
            breakdown=f"art={kind}",
            value=value,
            is_private=private,
        )

    add("kita", 120, private=True)
    add("kita", 100, private=True, date=dt.date(2024, 3, 1))
    add("pflege", 60, private=False)
    return add


def test_public_places_for_everybody_private_for_staff(places, registered_user, municipal_staff):
    # the data pool's own grant of the municipality's register data
    MunicipalityStaffGrant.objects.create(user=municipal_staff, ags=AGS)
    public = register_capacities(ags=AGS, user=registered_user)
    assert [(r["label"], r["places"]) for r in public] == [("Pflege", 60)]
    staff = register_capacities(ags=AGS, user=municipal_staff)
    assert [(r["label"], r["places"], r["private"]) for r in staff] == [
        ("Kita", 120, True),  # the latest date
        ("Pflege", 60, False),
    ]
