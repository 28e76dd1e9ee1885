"""Demo subscribers: fictitious (example.org), confirmed, marked as demo, loaded idempotently."""

from __future__ import annotations

import pytest

from ortswandel.catalogue.models import Programme, ProgrammeKind
from ortswandel.core.models import PublicationStatus
from ortswandel.newsletter import demo
from ortswandel.newsletter.models import ProgrammeNewsletter, Subscription

pytestmark = pytest.mark.django_db


def test_demo_subscribers_are_marked_and_idempotent(staff_municipality):
    Programme.objects.create(
        name="Kommunen innovativ",
        slug="kommunen-innovativ",
        kind=ProgrammeKind.FEDERAL_FUNDING,
        status=PublicationStatus.PUBLISHED,
    )
    demo.load()
    first = Subscription.objects.count()
    demo.load()
    assert Subscription.objects.count() == first == 5
    assert all(s.is_demo and s.email.endswith("@example.org") for s in Subscription.objects.all())
    assert set(Subscription.objects.values_list("status", flat=True)) == {"confirmed"}
    assert ProgrammeNewsletter.objects.get().digest == "monthly"


def test_demo_without_programme_skips_its_topics(capsys):
    import io

    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue()
    assert set(Subscription.objects.values_list("topic_kind", flat=True)) == {"land"}
