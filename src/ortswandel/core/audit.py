"""Audit log service: ``audit_log(...)`` is called by every service that changes state."""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from ortswandel.core.typing import ActingUser, account_of

from .models import AuditEntry


def _jsonable(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def audit_log(
    *,
    action: str,
    actor: ActingUser | None = None,
    obj: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry; ``action`` is dotted, e.g. ``catalogue.project.changed``."""
    user = account_of(actor)
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        payload=_jsonable(payload or {}),
    )


def model_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Concrete field values of ``obj`` (foreign keys as ids), JSON-ready; derived columns
    (``audited = False``, e.g. a folded search text) are left out."""
    data = {}
    for field in obj._meta.concrete_fields:
        if getattr(field, "audited", True):
            data[field.attname] = getattr(obj, field.attname)
    return _jsonable(data)
