"""Writes of the knowledge portal. Every change is audited in the same transaction.

Editing itself happens in the Django admin (:mod:`ortswandel.catalogue.admin`, audited by
``AuditedModelAdmin``); the state changes below are shared by the admin actions and any future
API or command.

Every write ends with :func:`content_changed`, which queues the side effects for the commit:
the catalogue's content version (cached facet index and page parts) and the search index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ortswandel.core import scheduling, versions
from ortswandel.core.audit import audit_log, model_diff, snapshot
from ortswandel.core.changes import notify_content_changed
from ortswandel.core.errors import PermissionDenied
from ortswandel.core.models import PublicationStatus, Publishable
from ortswandel.core.typing import ActingUser

from .models import Citation, Organisation, Project, ProjectPartner

M = TypeVar("M", bound=models.Model)


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


def content_publish_due(*, now: dt.datetime | None = None) -> list[Publishable]:
    """Scheduled publishing of the catalogue (:func:`ortswandel.core.scheduling.publish_due`):
    run by the periodic job ``catalogue.publish_scheduled`` (:mod:`.tasks`)."""
    from .models import NewsItem, Programme, Project, Publication, Result, Theme

    return scheduling.publish_due(
        models=(Programme, Theme, Project, Result, Publication, NewsItem),
        changed=lambda objects: content_changed(objects=objects),
        now=now,
    )


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


# --- Writes of the content import (collected public facts, ``import_content``) ---------------
#
# Each function writes only when something differs, so a second import of the same facts
# changes nothing (no row, no audit entry); each change is audited with its diff. They run
# inside the importer's transaction and return whether they changed anything; the importer
# calls :func:`content_changed` once for everything it touched.


def content_object_upsert(
    *,
    model: type[M],
    key: dict[str, Any],
    values: dict[str, Any],
    actor: ActingUser | None = None,
    create_values: dict[str, Any] | None = None,
) -> tuple[M, bool]:
    """Create the row of ``model`` matched by ``key`` or bring ``values`` up to date.

    ``create_values`` are used only when the row is new (e.g. a status). Returns the object and
    whether it was created or changed (audited as ``catalogue.<model>.imported``).
    """
    obj = model._default_manager.filter(**key).first()
    created = obj is None
    if obj is None:
        obj = model(**key, **(create_values or {}))
        before: dict[str, Any] = {}
    else:
        before = snapshot(obj)
    for name, value in values.items():
        setattr(obj, name, value)
    if not created:
        obj.full_clean(validate_unique=False, validate_constraints=False)
        diff = model_diff(before, snapshot(obj))
        if not diff:
            return obj, False
    else:
        obj.full_clean(validate_unique=False, validate_constraints=False)
        diff = model_diff({}, snapshot(obj))
    obj.save()
    audit_log(
        action=f"catalogue.{model._meta.model_name}.imported",
        actor=actor,
        obj=obj,
        payload={"created": created, "changes": diff},
    )
    return obj, True


def content_relation_set(
    *,
    obj: models.Model,
    relation: str,
    targets: Iterable[models.Model],
    actor: ActingUser | None = None,
    add_only: bool = False,
) -> bool:
    """Set (or with ``add_only`` extend) the many-to-many ``relation`` of ``obj``."""
    manager = getattr(obj, relation)
    wanted = {t.pk for t in targets}
    existing = set(manager.values_list("pk", flat=True))
    added = wanted - existing
    removed = set() if add_only else existing - wanted
    if not added and not removed:
        return False
    if added:
        manager.add(*added)
    if removed:
        manager.remove(*removed)
    audit_log(
        action=f"catalogue.{obj._meta.model_name}.{relation}_changed",
        actor=actor,
        obj=obj,
        payload={"added": sorted(added), "removed": sorted(removed)},
    )
    return True


def project_partners_set(
    *,
    project: Project,
    partners: Iterable[tuple[Organisation, str]],
    actor: ActingUser | None = None,
) -> bool:
    """Make ``(organisation, role)`` pairs the project's partnerships (others are removed)."""
    wanted = {(org.pk, role) for org, role in partners}
    existing = set(project.partnerships.values_list("organisation_id", "role"))
    if wanted == existing:
        return False
    for org_id, role in sorted(wanted - existing):
        ProjectPartner.objects.create(project=project, organisation_id=org_id, role=role)
    for org_id, role in existing - wanted:
        project.partnerships.filter(organisation_id=org_id, role=role).delete()
    audit_log(
        action="catalogue.project.partners_changed",
        actor=actor,
        obj=project,
        payload={
            "added": sorted(map(list, wanted - existing)),
            "removed": sorted(map(list, existing - wanted)),
        },
    )
    return True


def citations_set(
    *,
    obj: models.Model,
    field: str,
    entries: Iterable[tuple[str, str]],
    actor: ActingUser | None = None,
) -> bool:
    """Make ``(url, statement)`` pairs, in this order, the citations of ``obj``'s ``field``."""
    wanted: list[tuple[str, str]] = []
    for url, statement in entries:
        if url and (url, statement) not in wanted:
            wanted.append((url, statement))
    content_type = ContentType.objects.get_for_model(type(obj))
    current = Citation.objects.filter(content_type=content_type, object_id=obj.pk, field=field)
    existing = list(current.order_by("position", "id").values_list("url", "statement"))
    if existing == wanted:
        return False
    current.delete()
    Citation.objects.bulk_create(
        Citation(
            content_type=content_type,
            object_id=obj.pk,
            field=field,
            url=url,
            statement=statement,
            position=position,
        )
        for position, (url, statement) in enumerate(wanted)
    )
    audit_log(
        action="catalogue.citation.changed",
        actor=actor,
        obj=obj,
        payload={"field": field, "before": existing, "after": wanted},
    )
    return True
