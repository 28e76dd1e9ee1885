"""Scheduled publishing of :class:`~ortswandel.core.models.Publishable` content (shared by the
catalogue and the events app, each with its own periodic job in its ``tasks.py``).

An item whose ``publish_at`` has come is published (if it was a draft) and its date is cleared,
audited as ``<app>.<model>.published`` with ``scheduled: true`` and no actor (the scheduler).
An item already ``published`` with a date that has come only has the date cleared: it became
public at that moment anyway (``public()`` respects ``publish_at``); the caller's side effects
(content versions, search index) renew what was cached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from .audit import audit_log
from .models import PublicationStatus


def publish_due(
    *,
    models: Iterable[Any],
    changed: Callable[[list[Any]], None],
    now: dt.datetime | None = None,
) -> list[Any]:
    """Publish what is due among ``models``; ``changed(objects)`` is called inside the
    transaction with every changed object (to queue side effects on commit)."""
    now = now or timezone.now()
    done: list[Any] = []
    with transaction.atomic():
        for model in models:
            due = model.objects.select_for_update().filter(publish_at__lte=now).order_by("pk")
            for obj in due:
                before = obj.status
                model.objects.filter(pk=obj.pk).update(
                    status=PublicationStatus.PUBLISHED, publish_at=None, updated_at=now
                )
                audit_log(
                    action=f"{obj._meta.app_label}.{obj._meta.model_name}.published",
                    actor=None,
                    obj=obj,
                    payload={
                        "scheduled": True,
                        "publish_at": obj.publish_at.isoformat(),
                        "changes": {"status": [before, PublicationStatus.PUBLISHED]},
                    },
                )
                obj.status = PublicationStatus.PUBLISHED
                obj.publish_at = None
                done.append(obj)
        if done:
            changed(done)
    return done
