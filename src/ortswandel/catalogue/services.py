"""Writes of the knowledge portal. Every change is audited in the same transaction.

Editing itself happens in the Django admin (:mod:`ortswandel.catalogue.admin`, audited by
``AuditedModelAdmin``); the state changes below are shared by the admin actions and any future
API or command.

Every write ends with :func:`content_changed`, which queues the side effects for the commit:
the catalogue's content version (cached facet index and page parts) and the search index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ortswandel.core import versions
from ortswandel.core.audit import audit_log
from ortswandel.core.changes import notify_content_changed
from ortswandel.core.errors import PermissionDenied
from ortswandel.core.models import PublicationStatus, Publishable
from ortswandel.core.typing import ActingUser


def content_check_editable(*, obj: Any, actor: ActingUser | None) -> None:
    perm = f"{obj._meta.app_label}.change_{obj._meta.model_name}"
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(
            _("Sie dürfen Inhalte des Programms von „%(obj)s“ nicht bearbeiten.") % {"obj": obj}
        )


def content_set_status(
    *, objects: Iterable[Publishable], status: str, actor: ActingUser | None
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
        content_changed(objects=changed)
    return changed


def content_publish(
    *, objects: Iterable[Publishable], actor: ActingUser | None
) -> list[Publishable]:
    return content_set_status(objects=objects, status=PublicationStatus.PUBLISHED, actor=actor)


def content_unpublish(
    *, objects: Iterable[Publishable], actor: ActingUser | None
) -> list[Publishable]:
    return content_set_status(objects=objects, status=PublicationStatus.DRAFT, actor=actor)


def content_changed(*, objects: Iterable[models.Model], deleting: bool = False) -> None:
    """Queue the side effects of a change to catalogue content for the commit: a new catalogue
    content version, and the registered listeners (:mod:`ortswandel.core.changes`: the search
    index update of the search app, which sits above the catalogue).

    Called by every writer of catalogue content — the services above, the admin (after a save,
    before a delete: ``deleting=True``) and bulk loaders — inside their transaction.
    """
    objects = list(objects)
    if not objects:
        return
    versions.bump_on_commit(versions.CATALOGUE)
    notify_content_changed(objects=objects, deleting=deleting)


def project_create(
    *,
    programme: Any,
    acronym: str,
    title: str,
    slug: str,
    actor: ActingUser | None,
    summary: str = "",
    start_date: Any = None,
    end_date: Any = None,
    funding_amount: Any = None,
    funding_reference: str = "",
    municipalities: Iterable[Any] = (),
    themes: Iterable[Any] = (),
    published: bool = False,
) -> Any:
    """Create a project in ``programme`` (e.g. a model project selected in a call), audited as
    ``catalogue.project.created``; a unique slug is derived from ``slug`` if it is taken."""
    from .models import Project, ProjectStatus

    with transaction.atomic():
        base, candidate, n = slug[:110], slug[:110], 2
        while Project.objects.filter(slug=candidate).exists():
            candidate, n = f"{base}-{n}", n + 1
        project = Project.objects.create(
            programme=programme,
            acronym=acronym[:60],
            title=title[:400],
            slug=candidate,
            summary=summary,
            start_date=start_date,
            end_date=end_date,
            funding_amount=funding_amount,
            funding_reference=funding_reference[:100],
            project_status=ProjectStatus.PLANNED,
            status=PublicationStatus.PUBLISHED if published else PublicationStatus.DRAFT,
        )
        project.municipalities.set(list(municipalities))
        project.themes.set([t for t in themes if t.programme_id == programme.pk])
        audit_log(
            action="catalogue.project.created",
            actor=actor,
            obj=project,
            payload={"programme": programme.pk, "published": published},
        )
        content_changed(objects=[project])
    return project
