"""Keep the search index current: catalogue signals call the index services.

Connected in :meth:`ortswandel.search.apps.SearchConfig.ready`. Indexing runs inside the
transaction of the change that triggered it, so a rolled-back change never reaches the index.
Bulk imports wrap themselves in :func:`ortswandel.search.services.search_indexing_paused` and
rebuild afterwards.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from ortswandel.catalogue.models import (
    NewsItem,
    Organisation,
    Programme,
    Project,
    ProjectPartner,
    Publication,
    Result,
    Theme,
)

from . import services
from .models import DocumentKind

INDEXED = (Project, Result, Publication, NewsItem)
_M2M_THROUGH = (
    Project.themes.through,
    Project.municipalities.through,
    Result.themes.through,
    Result.projects.through,
    Publication.themes.through,
    Publication.projects.through,
    NewsItem.themes.through,
    Project.partners.through,
)
_DISPATCH_UID = "ortswandel.search.signals"


def _on_save(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or services.indexing_paused():
        return
    services.search_document_sync(obj=instance)


def _on_pre_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if services.indexing_paused():
        return
    if isinstance(instance, Project):
        # The m2m rows are gone after the delete: remember who depended on the project.
        instance._search_dependants = (  # type: ignore[attr-defined]
            list(instance.results.values_list("pk", flat=True)),
            list(instance.publications.values_list("pk", flat=True)),
        )


def _on_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if services.indexing_paused():
        return
    kind = services.MODEL_KINDS[type(instance)]
    services.search_document_remove(kind=kind, object_id=instance.pk)
    dependants = getattr(instance, "_search_dependants", None)
    if dependants:
        results, publications = dependants
        services.search_documents_sync(kind=DocumentKind.RESULT, object_ids=results)
        services.search_documents_sync(kind=DocumentKind.PUBLICATION, object_ids=publications)


def _on_m2m(
    sender: type[Model],
    instance: Model,
    *,
    action: str,
    reverse: bool,
    model: type[Model],
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    if services.indexing_paused():
        return
    if action == "pre_clear" and reverse:
        # e.g. municipality.projects.clear(): find the affected owners before the rows go.
        accessor = _reverse_accessor(sender, model)
        instance._search_cleared = list(  # type: ignore[attr-defined]
            model._default_manager.filter(**{accessor: instance.pk}).values_list("pk", flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        services.search_document_sync(obj=instance)
        return
    ids = list(pk_set or getattr(instance, "_search_cleared", []))
    for obj in model._default_manager.filter(pk__in=ids):
        services.search_document_sync(obj=obj)


def _reverse_accessor(through: type[Model], owner: type[Model]) -> str:
    """The lookup from the owner model (e.g. Project) to the other side of ``through``."""
    for field in owner._meta.many_to_many:
        if field.remote_field.through is through:
            return f"{field.name}__pk"
    raise LookupError(through)


def _on_partner_change(sender: type[Model], instance: ProjectPartner, **kwargs: Any) -> None:
    if kwargs.get("raw") or services.indexing_paused():
        return
    project = Project.objects.filter(pk=instance.project_id).first()
    if project is not None:
        services.search_document_sync(obj=project)


# Fields whose change alters indexed documents of *other* objects (names shown in their text,
# status deciding visibility). Saving e.g. a programme's editors must not re-index everything.
_WATCHED = {
    Programme: ("name", "short_name", "status"),
    Theme: ("name", "status"),
    Organisation: ("name",),
}


def _on_pre_save(sender: type[Model], instance: Model, raw: bool = False, **kw: Any) -> None:
    if raw or services.indexing_paused():
        return
    fields = _WATCHED[sender]
    old = (
        sender._default_manager.filter(pk=instance.pk).values(*fields).first()
        if instance.pk
        else None
    )
    instance._search_relevant_change = old is None or any(  # type: ignore[attr-defined]
        old[f] != getattr(instance, f) for f in fields
    )


def _relevant_change(instance: Model) -> bool:
    return getattr(instance, "_search_relevant_change", True)


def _on_programme_save(
    sender: type[Model], instance: Programme, raw: bool = False, **kw: Any
) -> None:
    if raw or services.indexing_paused() or not _relevant_change(instance):
        return
    services.search_documents_sync_programme(programme_id=instance.pk)


def _on_theme_save(sender: type[Model], instance: Theme, raw: bool = False, **kw: Any) -> None:
    if raw or services.indexing_paused() or not _relevant_change(instance):
        return
    services.search_documents_sync_theme(theme=instance)


def _on_theme_pre_delete(sender: type[Model], instance: Theme, **kw: Any) -> None:
    if services.indexing_paused():
        return
    instance._search_tagged = {  # type: ignore[attr-defined]
        DocumentKind.PROJECT: list(instance.projects.values_list("pk", flat=True)),
        DocumentKind.RESULT: list(instance.results.values_list("pk", flat=True)),
        DocumentKind.PUBLICATION: list(instance.publications.values_list("pk", flat=True)),
        DocumentKind.NEWS: list(instance.news.values_list("pk", flat=True)),
    }


def _on_theme_delete(sender: type[Model], instance: Theme, **kw: Any) -> None:
    if services.indexing_paused():
        return
    for kind, ids in getattr(instance, "_search_tagged", {}).items():
        services.search_documents_sync(kind=kind, object_ids=ids)


def _on_organisation_save(
    sender: type[Model], instance: Organisation, raw: bool = False, **kw: Any
) -> None:
    if raw or services.indexing_paused() or not _relevant_change(instance):
        return
    ids = instance.partnerships.values_list("project_id", flat=True)
    services.search_documents_sync(kind=DocumentKind.PROJECT, object_ids=list(ids))


def connect() -> None:
    for model in INDEXED:
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{_DISPATCH_UID}.save")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{_DISPATCH_UID}.delete")
    pre_delete.connect(_on_pre_delete, sender=Project, dispatch_uid=f"{_DISPATCH_UID}.pre_delete")
    for through in _M2M_THROUGH:
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"{_DISPATCH_UID}.m2m")
    post_save.connect(
        _on_partner_change, sender=ProjectPartner, dispatch_uid=f"{_DISPATCH_UID}.partner"
    )
    post_delete.connect(
        _on_partner_change, sender=ProjectPartner, dispatch_uid=f"{_DISPATCH_UID}.partner_del"
    )
    for watched in _WATCHED:
        pre_save.connect(_on_pre_save, sender=watched, dispatch_uid=f"{_DISPATCH_UID}.pre_save")
    post_save.connect(
        _on_programme_save, sender=Programme, dispatch_uid=f"{_DISPATCH_UID}.programme"
    )
    post_save.connect(_on_theme_save, sender=Theme, dispatch_uid=f"{_DISPATCH_UID}.theme")
    pre_delete.connect(
        _on_theme_pre_delete, sender=Theme, dispatch_uid=f"{_DISPATCH_UID}.theme_pre_delete"
    )
    post_delete.connect(_on_theme_delete, sender=Theme, dispatch_uid=f"{_DISPATCH_UID}.theme_del")
    post_save.connect(
        _on_organisation_save, sender=Organisation, dispatch_uid=f"{_DISPATCH_UID}.organisation"
    )
