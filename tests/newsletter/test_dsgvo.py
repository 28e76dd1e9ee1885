"""DSGVO: the account's data export and deletion cover the subscriptions of its address."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from ortswandel.accounts import services as account_services
from ortswandel.core.models import QueuedMail
from ortswandel.newsletter.models import Delivery, Issue, Subscription, address_hash

from .conftest import subscribe

pytestmark = pytest.mark.django_db


def test_export_lists_subscriptions(client, registered_user, programme):
    subscribe(registered_user.email, programme)
    subscribe("andere@example.org", programme)
    client.force_login(registered_user)
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    data = json.loads(response.content)
    rows = data["newsletter"]
    assert [r["email"] for r in rows] == [registered_user.email]
    assert rows[0]["topic"] == "Testprogramm" and rows[0]["status"] == "confirmed"


def test_account_deletion_deletes_subscriptions_and_their_mail(registered_user, programme):
    sub = subscribe(registered_user.email, programme)
    issue = Issue.objects.create(programme=programme, subject="Ausgabe")
    Delivery.objects.create(issue=issue, address_hash=sub.address_hash)
    other = subscribe("andere@example.org", programme)
    assert QueuedMail.objects.filter(object_id=str(sub.pk)).exists()  # its confirmation mail
    account_services.user_delete(user=registered_user)
    assert list(Subscription.objects.values_list("pk", flat=True)) == [other.pk]
    assert not QueuedMail.objects.filter(
        object_type="newsletter.subscription", object_id=str(sub.pk)
    ).exists()
    # The issue keeps its count, but not the address hash.
    assert issue.deliveries.count() == 1
    assert not Delivery.objects.filter(address_hash=address_hash(registered_user.email)).exists()
