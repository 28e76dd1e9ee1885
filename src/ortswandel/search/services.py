"""Index maintenance: every write to the search index goes through this module.

Catalogue objects (Project, Result, Publication, NewsItem) are turned into flat
:class:`~ortswandel.search.models.SearchDocument` rows plus the backend's text index
(SQLite FTS5 table or PostgreSQL tsvector). Only published content of a published programme is
indexed; anything else is removed from the index.

The services that change catalogue content (``ortswandel.catalogue.services``: publish,
unpublish, and every admin save or delete through ``content_changed``) call
:func:`search_index_on_commit`, which updates the documents of the changed objects and of the
documents that show their text (a theme's name in tagged content, a project's Länder in its
results) once the change is committed — explicitly, not from model signals: ``QuerySet.update()``
sends none, and a rolled-back change must not reach the index. Bulk loaders call
:func:`search_index_rebuild` when they are done.

The index is derived data, so these services write no audit entries (the catalogue change that
triggers them is audited by its own service).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Model, Prefetch, TextField, Value
from django.db.models.functions import Concat
from django.utils import translation
from django.utils.html import strip_tags

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
from ortswandel.core.models import PublicationStatus
from ortswandel.core.searchables import SearchableDocument, searchable_source, searchable_sources
from ortswandel.municipalities.models import Municipality

from . import german
from .models import DocumentKind, SearchDocument

KIND_MODELS: dict[str, type[Model]] = {
    DocumentKind.PROJECT: Project,
    DocumentKind.RESULT: Result,
    DocumentKind.PUBLICATION: Publication,
    DocumentKind.NEWS: NewsItem,
}
MODEL_KINDS: dict[type[Model], str] = {model: kind for kind, model in KIND_MODELS.items()}

logger = logging.getLogger(__name__)

_BLOCK_TAG_RE = re.compile(
    r"<\s*/?\s*(?:p|br|li|ul|ol|h\d|td|th|tr|div|blockquote|pre)\b[^>]*>", re.I
)
_SPACE_RE = re.compile(r"\s+")


def html_to_text(value: str | None) -> str:
    """Plain text of sanitised rich text: block tags become spaces, entities are decoded."""
    if not value:
        return ""
    text = strip_tags(_BLOCK_TAG_RE.sub(" ", value))
    return _SPACE_RE.sub(" ", html.unescape(text)).strip()


def _join(*parts: str | None) -> str:
    return _SPACE_RE.sub(" ", " ".join(p for p in parts if p)).strip()


@dataclass
class DocumentData:
    kind: str
    object_id: int
    programme_id: int
    programme_name: str
    title: str
    body: str
    url: str
    date: Any
    theme_ids: str
    land_codes: str
    size_classes: str


def _published_themes(obj: Any) -> list[Theme]:
    return [t for t in obj.themes.all() if t.status == PublicationStatus.PUBLISHED]


def _municipality_facets(projects: Iterable[Project]) -> tuple[str, str]:
    lands: set[str] = set()
    sizes: set[str] = set()
    for project in projects:
        for m in project.municipalities.all():
            if m.land_code:
                lands.add(m.land_code)
            if m.size_class:
                sizes.add(m.size_class)
    return SearchDocument.join_facet(lands), SearchDocument.join_facet(sizes)


def _is_public(obj: Any) -> bool:
    return bool(obj.is_public)  # the models' one rule (published, programme public)


def _published_projects(obj: Result | Publication) -> list[Project]:
    return [p for p in obj.projects.all() if p.status == PublicationStatus.PUBLISHED]


def _municipality_document(m: Municipality) -> DocumentData | None:
    if not m.is_public:
        return None
    with translation.override("de"):
        url = m.get_absolute_url()
    body = _join(
        m.name,
        m.municipality_type,
        m.kreis_name,
        m.land_name,
        m.postal_code,
        f"AGS {m.ags}",
        m.get_size_class_display() if m.size_class else "",
    )
    return DocumentData(
        kind=DocumentKind.MUNICIPALITY,
        object_id=m.pk,
        programme_id=0,
        programme_name="",
        title=m.short_name[:500],
        body=body,
        url=url,
        date=None,
        theme_ids="",
        land_codes=SearchDocument.join_facet([m.land_code]),
        size_classes=SearchDocument.join_facet([m.size_class]) if m.size_class else "",
    )


def _registered_document(kind: str, obj: Any) -> DocumentData | None:
    source = searchable_source(kind)
    doc: SearchableDocument | None = source.build(obj) if source is not None else None
    if doc is None:
        return None
    return DocumentData(
        kind=kind,
        object_id=obj.pk,
        programme_id=doc.programme_id,
        programme_name=doc.programme_name,
        title=doc.title[:500],
        body=doc.body,
        url=doc.url,
        date=doc.date,
        theme_ids=SearchDocument.join_facet(list(doc.theme_ids)),
        land_codes=SearchDocument.join_facet(list(doc.land_codes)),
        size_classes=SearchDocument.join_facet(list(doc.size_classes)),
    )


def document_for(kind: str, obj: Any) -> DocumentData | None:
    """The document of ``obj`` of ``kind`` (catalogue content, a municipality or content that
    another app registered in :mod:`ortswandel.core.searchables`), or ``None``."""
    if kind == DocumentKind.MUNICIPALITY:
        return _municipality_document(obj)
    if kind in KIND_MODELS:
        return build_document(obj)
    return _registered_document(kind, obj)


def _objects(kind: str, ids: Iterable[int] | None = None) -> Any:
    """The objects of ``kind`` (all, or those with ``ids``), loaded for :func:`document_for`."""
    if kind == DocumentKind.MUNICIPALITY:
        qs: Any = Municipality.objects.all()
    elif kind in KIND_MODELS:
        qs = _prefetched(KIND_MODELS[kind])
    else:
        source = searchable_source(kind)
        if source is None:
            return Municipality.objects.none()
        qs = source.queryset()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs


def index_kinds() -> list[str]:
    """Every kind the index holds: the catalogue's, municipalities and registered sources."""
    kinds = [*KIND_MODELS, DocumentKind.MUNICIPALITY]
    kinds += [s.kind for s in searchable_sources() if s.kind not in kinds]
    return kinds


def build_document(obj: Any) -> DocumentData | None:
    """The flat document for catalogue content ``obj``, or ``None`` when it must not be
    searchable."""
    kind = MODEL_KINDS.get(type(obj))
    if kind is None or not _is_public(obj):
        return None
    programme: Programme = obj.programme
    themes = _published_themes(obj)
    theme_names = " ".join(t.name for t in themes)
    programme_name = str(programme)
    lands = sizes = ""
    date = None
    if isinstance(obj, Project):
        title = f"{obj.acronym}: {obj.title}" if obj.title else obj.acronym
        partners = " ".join(pp.organisation.name for pp in obj.partnerships.all())
        places = " ".join(m.name for m in obj.municipalities.all())
        body = _join(html_to_text(obj.summary), theme_names, places, partners)
        lands, sizes = _municipality_facets([obj])
        date = obj.start_date
    elif isinstance(obj, Result):
        title = obj.title
        projects = _published_projects(obj)
        body = _join(
            html_to_text(obj.summary),
            obj.get_kind_display(),
            obj.target_group,
            theme_names,
            " ".join(p.acronym for p in projects),
        )
        lands, sizes = _municipality_facets(projects)
    elif isinstance(obj, Publication):
        title = obj.title
        projects = _published_projects(obj)
        body = _join(
            obj.authors,
            obj.publisher,
            html_to_text(obj.summary),
            obj.get_kind_display(),
            theme_names,
            " ".join(p.acronym for p in projects),
        )
        lands, sizes = _municipality_facets(projects)
    else:  # NewsItem
        title = obj.title
        body = _join(obj.teaser, html_to_text(obj.body), theme_names)
        date = obj.published_on
    with translation.override("de"):
        url = obj.get_absolute_url()
    return DocumentData(
        kind=kind,
        object_id=obj.pk,
        programme_id=programme.pk,
        programme_name=programme_name,
        title=title[:500],
        body=body,
        url=url,
        date=date,
        theme_ids=SearchDocument.join_facet([t.pk for t in themes]),
        land_codes=lands,
        size_classes=sizes,
    )


def _fts_rows(docs: Iterable[SearchDocument]) -> list[tuple[int, str, str, str]]:
    return [
        (
            d.pk,
            german.stemmed_text(d.title),
            german.stemmed_text(d.body),
            german.folded_text(f"{d.title} {d.body}"),
        )
        for d in docs
    ]


def _vector_expression() -> Any:
    return (
        SearchVector("title", weight="A", config="german")
        + SearchVector("body", weight="B", config="german")
        + SearchVector(
            Concat("title", Value(" "), "body", output_field=TextField()),
            weight="D",
            config="simple",
        )
    )


def _write_text_index(docs: list[SearchDocument]) -> None:
    if not docs:
        return
    vendor = connection.vendor
    if vendor == "sqlite":
        rows = _fts_rows(docs)
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(r[0],) for r in rows])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, raw) VALUES (%s, %s, %s, %s)", rows
            )
    elif vendor == "postgresql":
        SearchDocument.objects.filter(pk__in=[d.pk for d in docs]).update(
            search_vector=_vector_expression()
        )


def _delete_text_index(ids: list[int]) -> None:
    if ids and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in ids])


def _prefetched(model: type[Model], ids: Iterable[int] | None = None) -> Any:
    qs = model._default_manager.select_related("programme").prefetch_related("themes")
    if model is Project:
        qs = qs.prefetch_related("municipalities", "partnerships__organisation")
    elif model in (Result, Publication):
        qs = qs.prefetch_related(
            Prefetch("projects", queryset=Project.objects.prefetch_related("municipalities"))
        )
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs


@transaction.atomic
def search_documents_sync(*, kind: str, object_ids: Iterable[int]) -> int:
    """Bring the index rows of these objects up to date (create, update or remove).

    Returns the number of objects that are now searchable.
    """
    ids = sorted(set(object_ids))
    if not ids:
        return 0
    objects = {o.pk: o for o in _objects(kind, ids)}
    existing = {d.object_id: d for d in SearchDocument.objects.filter(kind=kind, object_id__in=ids)}
    to_write: list[SearchDocument] = []
    to_delete: list[int] = []
    for object_id in ids:
        obj = objects.get(object_id)
        data = document_for(kind, obj) if obj is not None else None
        doc = existing.get(object_id)
        if data is None:
            if doc is not None:
                to_delete.append(doc.pk)
            continue
        if doc is None:
            doc = SearchDocument(kind=kind, object_id=object_id)
        for name, value in data.__dict__.items():
            setattr(doc, name, value)
        doc.published = True
        doc.language = "de"
        doc.save()
        to_write.append(doc)
    if to_delete:
        _delete_text_index(to_delete)
        SearchDocument.objects.filter(pk__in=to_delete).delete()
    _write_text_index(to_write)
    return len(to_write)


def _ids(queryset: Any) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def _affected_beyond_catalogue(objects: list[Model], targets: dict[str, set[int]]) -> set[int]:
    """Add the municipality documents and those of registered sources (events) to
    ``targets``; return the projects that show a changed municipality's name."""
    places = [obj.pk for obj in objects if isinstance(obj, Municipality)]
    projects: set[int] = set()
    if places:  # a register import changes thousands at once: one query, not one each
        targets[DocumentKind.MUNICIPALITY] |= set(places)
        projects = _ids(Project.objects.filter(municipalities__in=places).distinct())
    for source in searchable_sources():
        targets[source.kind] |= {obj.pk for obj in objects if type(obj) is source.model}
        if source.affected_by is not None:
            targets[source.kind] |= source.affected_by(objects)
    return projects


def affected_documents(objects: Iterable[Model]) -> dict[str, set[int]]:
    """The documents (kind → object ids) that show something of ``objects``.

    A piece of content is its own document; a programme's name and status are part of all its
    content, a theme's name of everything tagged with it, an organisation's name of its
    projects, a municipality's name of its projects; a project's Länder and size classes are
    facets of its results and publications.
    """
    targets: dict[str, set[int]] = {kind: set() for kind in index_kinds()}
    projects: set[int] = set()
    objects = list(objects)
    projects |= _affected_beyond_catalogue(objects, targets)
    for obj in objects:
        if isinstance(obj, Project):
            projects.add(obj.pk)
        elif type(obj) in MODEL_KINDS:
            targets[MODEL_KINDS[type(obj)]].add(obj.pk)
        elif isinstance(obj, ProjectPartner):
            projects.add(obj.project_id)
        elif isinstance(obj, Programme):
            for kind, model in KIND_MODELS.items():
                targets[kind] |= _ids(model._default_manager.filter(programme_id=obj.pk))
        elif isinstance(obj, Theme):
            for kind, model in KIND_MODELS.items():
                targets[kind] |= _ids(model._default_manager.filter(themes=obj.pk))
        elif isinstance(obj, Organisation):
            projects |= _ids(Project.objects.filter(partnerships__organisation=obj.pk))
    if projects:
        targets[DocumentKind.PROJECT] |= projects
        targets[DocumentKind.RESULT] |= _ids(Result.objects.filter(projects__in=projects))
        targets[DocumentKind.PUBLICATION] |= _ids(Publication.objects.filter(projects__in=projects))
    return {kind: ids for kind, ids in targets.items() if ids}


def search_index_update(*, objects: Iterable[Model]) -> int:
    """Bring the documents affected by ``objects`` up to date now. Returns the number of
    documents that are searchable afterwards."""
    return _sync(affected_documents(objects))


def _sync(targets: dict[str, set[int]]) -> int:
    return sum(search_documents_sync(kind=kind, object_ids=ids) for kind, ids in targets.items())


def search_index_on_commit(*, objects: Iterable[Model], deleting: bool = False) -> None:
    """Update the index for a change to ``objects`` once the transaction commits.

    Call it after saving (the affected documents are found at commit time, when relations
    saved later in the same transaction are there too) or, with ``deleting=True``, *before*
    deleting (the affected documents are found now, while the relations still exist; the
    deleted objects' documents are removed at commit). Never raises after the commit: a failed
    update is logged (``rebuild_search_index`` repairs the index).
    """
    objects = list(objects)
    captured = affected_documents(objects) if deleting else None

    def update() -> None:
        try:
            _sync(captured if captured is not None else affected_documents(objects))
        except Exception:
            logger.exception("search index update failed after a committed change")

    transaction.on_commit(update)


@transaction.atomic
def search_index_rebuild(*, batch_size: int = 500) -> dict[str, int]:
    """Drop and rebuild the whole index from the catalogue. Returns documents per kind."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
    SearchDocument.objects.all().delete()
    counts: dict[str, int] = {}
    for kind in index_kinds():
        counts[kind] = 0
        pending: list[SearchDocument] = []
        for obj in _objects(kind).order_by("pk").iterator(chunk_size=batch_size):
            data = document_for(kind, obj)
            if data is None:
                continue
            pending.append(SearchDocument(published=True, language="de", **data.__dict__))
            if len(pending) >= batch_size:
                counts[kind] += _bulk_insert(pending)
                pending = []
        counts[kind] += _bulk_insert(pending)
    if connection.vendor == "postgresql":
        SearchDocument.objects.update(search_vector=_vector_expression())
    return counts


def _bulk_insert(docs: list[SearchDocument]) -> int:
    if not docs:
        return 0
    created = SearchDocument.objects.bulk_create(docs)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, raw) VALUES (%s, %s, %s, %s)",
                _fts_rows(created),
            )
    return len(created)
