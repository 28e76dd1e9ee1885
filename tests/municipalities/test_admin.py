"""Admin: the official register is read-only for everyone but site admins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ortswandel.core.models import AuditEntry
from ortswandel.municipalities.models import Municipality

pytestmark = pytest.mark.django_db


def change_url(m: Municipality) -> str:
    return reverse("admin:municipalities_municipality_change", args=[m.pk])


def test_editor_can_look_but_not_change(client, imported, programme_editor, password):
    client.login(username=programme_editor.username, password=password)
    changelist = reverse("admin:municipalities_municipality_changelist")
    response = client.get(changelist, {"q": "Kleinmachnow"})
    assert response.status_code == 200
    assert "Kleinmachnow" in response.content.decode()
    assert client.get(changelist, {"land_name": "Bayern"}).status_code == 200
    klein = imported["12069304"]
    response = client.get(change_url(klein))
    assert response.status_code == 200
    assert 'name="name"' not in response.content.decode()  # read-only view
    response = client.post(change_url(klein), {"name": "Umbenannt"})
    assert response.status_code == 403
    assert Municipality.objects.get(pk=klein.pk).name == "Kleinmachnow"
    assert client.get(reverse("admin:municipalities_municipality_add")).status_code == 403
    delete = reverse("admin:municipalities_municipality_delete", args=[klein.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_anonymous_and_plain_users_see_nothing(client, imported, registered_user, password):
    changelist = reverse("admin:municipalities_municipality_changelist")
    assert client.get(changelist).status_code == 302
    client.login(username=registered_user.username, password=password)
    assert client.get(changelist).status_code == 302  # not staff: back to the admin login


def test_site_admin_can_change_and_it_is_audited(client, imported, site_admin, password):
    client.login(username=site_admin.username, password=password)
    klein = imported["12069304"]
    response = client.get(change_url(klein))
    assert 'name="name"' in response.content.decode()
    data = {
        field.name: getattr(klein, field.attname)
        for field in Municipality._meta.concrete_fields
        if field.editable and field.name != "id"
    }
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(name="Kleinmachnow (korrigiert)", postal_code_is_unique="on")
    response = client.post(change_url(klein), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    klein.refresh_from_db()
    assert klein.name == "Kleinmachnow (korrigiert)"
    assert klein.name_normalized == "kleinmachnow (korrigiert)"
    entry = AuditEntry.objects.get(action="municipalities.municipality.changed")
    assert entry.payload["changes"]["name"] == ["Kleinmachnow", "Kleinmachnow (korrigiert)"]
