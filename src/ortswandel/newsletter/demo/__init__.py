"""Demo newsletter subscribers (``subscribers.yaml``): fictitious, on example.org, marked
``is_demo``. ``load(*, stdout=None)`` is idempotent (matched by address and topic); topics whose
programme or municipality is missing are skipped with a note."""

from __future__ import annotations

from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from ortswandel.catalogue.models import Programme
from ortswandel.core.demo import DemoDataError, check_keys, read_demo_data, say
from ortswandel.municipalities.models import LAND_NAMES, Municipality
from ortswandel.newsletter.models import (
    DigestFrequency,
    ProgrammeNewsletter,
    Subscription,
    SubscriptionStatus,
    TopicKind,
    address_hash,
)
from ortswandel.newsletter.services import Topic

FILE = "subscribers.yaml"


def _topic(spec: Any, *, where: str) -> Topic | None:
    spec = check_keys(spec, ("programme", "land", "ags"), where=where)
    if "programme" in spec:
        programme = Programme.objects.filter(slug=spec["programme"]).first()
        return Topic(TopicKind.PROGRAMME, programme=programme) if programme else None
    if "land" in spec:
        if str(spec["land"]) not in LAND_NAMES:
            raise DemoDataError(f"{where}: unknown Land {spec['land']!r}")
        return Topic(TopicKind.LAND, land_code=str(spec["land"]))
    if "ags" in spec:
        municipality = Municipality.objects.filter(ags=str(spec["ags"])).first()
        return Topic(TopicKind.MUNICIPALITY, municipality=municipality) if municipality else None
    raise DemoDataError(f"{where}: a topic needs programme, land or ags")


@transaction.atomic
def load(*, stdout: TextIO | None = None) -> None:
    data = check_keys(
        read_demo_data(__name__, FILE), ("programme_settings", "subscribers"), where=FILE
    )
    for i, raw in enumerate(data.get("programme_settings") or []):
        row = check_keys(raw, ("programme", "digest"), where=f"{FILE} programme_settings[{i}]")
        programme = Programme.objects.filter(slug=row["programme"]).first()
        if programme is None:
            say(stdout, f"newsletter demo: programme {row['programme']} missing, skipped")
            continue
        if row["digest"] not in DigestFrequency.values:
            raise DemoDataError(f"{FILE}: digest {row['digest']!r} is not a choice")
        ProgrammeNewsletter.objects.update_or_create(
            programme=programme, defaults={"digest": row["digest"]}
        )
    count = 0
    now = timezone.now()
    for i, raw in enumerate(data.get("subscribers") or []):
        where = f"{FILE} subscribers[{i}]"
        row = check_keys(raw, ("email", "topics", "language"), where=where)
        email = str(row["email"]).lower()
        if not email.endswith("@example.org"):
            raise DemoDataError(f"{where}: demo addresses must be on example.org")
        for j, spec in enumerate(row.get("topics") or []):
            topic = _topic(spec, where=f"{where} topics[{j}]")
            if topic is None:
                say(stdout, f"newsletter demo: {where} topic {spec} not available, skipped")
                continue
            Subscription.objects.update_or_create(
                address_hash=address_hash(email),
                topic_key=topic.key,
                defaults={
                    "email": email,
                    "topic_kind": topic.kind,
                    "programme": topic.programme,
                    "theme": topic.theme,
                    "land_code": topic.land_code,
                    "municipality": topic.municipality,
                    "language": row.get("language", "de"),
                    "status": SubscriptionStatus.CONFIRMED,
                    "confirmed_at": now,
                    "unsubscribed_at": None,
                    "is_demo": True,
                },
            )
            count += 1
    say(stdout, f"newsletter demo: {count} demo subscriptions (fictitious, example.org)")
