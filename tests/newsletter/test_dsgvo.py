"""DSGVO: the account's data export and deletion cover the subscriptions of its address."""

from __future__ import annotations

import json

import pytest

from ortswandel.accounts import services as account_services
from ortswandel.core.models import QueuedMail
from ortswandel.newsletter.models import Subscription

from .conftest import subscribe

pytestmark = pytest.mark.django_db


def test_export_lists_subscriptions(client, registered_user, programme):
    subscribe(registered_user.email, programme)
    subscribe("andere@example.org", programme)
    client.force_login(registered_user)
    response = client.get("/konto/daten/")
    if response.status_code == 404:  # the export URL's name is what counts
        from django.urls import reverse

        response = client.get(reverse("accounts:export"))
    data = json.loads(response.content)
    rows = data["newsletter"]
    assert [r["email"] for r in rows] == [registered_user.email]
    assert rows[0]["topic"] == "Testprogramm" and rows[0]["status"] == "confirmed"


def test_account_deletion_deletes_subscriptions_and_their_mail(registered_user, programme):
    sub = subscribe(registered_user.email, programme)
    other = subscribe("andere@example.org", programme)
    assert QueuedMail.objects.filter(object_id=str(sub.pk)).exists()  # its confirmation mail
    account_services.user_delete(user=registered_user)
    assert list(Subscription.objects.values_list("pk", flat=True)) == [other.pk]
    assert not QueuedMail.objects.filter(
        object_type="newsletter.subscription", object_id=str(sub.pk)
    ).exists()
