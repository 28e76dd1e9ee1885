"""Writes of the knowledge portal. Every change is audited in the same transaction.

Editing itself happens in the Django admin (:mod:`ortswandel.catalogue.admin`, audited by
``AuditedModelAdmin``); the state changes below are shared by the admin actions and any future
API or command.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ortswandel.core.audit import audit_log
from ortswandel.core.errors import PermissionDenied
from ortswandel.core.models import PublicationStatus, Publishable

from .facets import bump_content_version


def content_check_editable(*, obj: Any, actor: Any) -> None:
    perm = f"{obj._meta.app_label}.change_{obj._meta.model_name}"
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(
            _("Sie dürfen Inhalte des Programms von „%(obj)s“ nicht bearbeiten.") % {"obj": obj}
        )


def content_set_status(
    *, objects: Iterable[Publishable], status: str, actor: Any
) -> list[Publishable]:
    """Set ``status`` (draft/published) on every object the actor may edit.

    All-or-nothing: if one object belongs to a programme the actor does not edit, nothing is
    changed and :class:`PermissionDenied` is raised. Returns the objects actually changed;
    each change gets one audit entry ``catalogue.<model>.published``/``unpublished``.
    """
    if status not in PublicationStatus.values:
        raise ValueError(f"unknown status {status!r}")
    verb = "published" if status == PublicationStatus.PUBLISHED else "unpublished"
    changed: list[Publishable] = []
    with transaction.atomic():
        items = list(objects)
        for obj in items:
            content_check_editable(obj=obj, actor=actor)
        for obj in items:
            if obj.status == status:
                continue
            before = obj.status
            type(obj).objects.filter(pk=obj.pk).update(status=status, updated_at=timezone.now())
            obj.status = status
            audit_log(
                action=f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}",
                actor=actor,
                obj=obj,
                payload={"changes": {"status": [before, status]}},
            )
            changed.append(obj)
        if changed:
            transaction.on_commit(bump_content_version)
    return changed


def content_publish(*, objects: Iterable[Publishable], actor: Any) -> list[Publishable]:
    return content_set_status(objects=objects, status=PublicationStatus.PUBLISHED, actor=actor)


def content_unpublish(*, objects: Iterable[Publishable], actor: Any) -> list[Publishable]:
    return content_set_status(objects=objects, status=PublicationStatus.DRAFT, actor=actor)
