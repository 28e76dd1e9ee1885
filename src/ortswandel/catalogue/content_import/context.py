"""The state of one import run (:class:`ImportContext`): the writers that count changes into
the report (upserts and citations through the catalogue services), the programme look-up, and
the matching of partners and model municipalities (:mod:`..content_matching`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from ortswandel.catalogue import services
from ortswandel.catalogue.content_matching import (
    MunicipalityMatcher,
    OrganisationIndex,
    UnresolvedPlace,
)
from ortswandel.catalogue.demo import demo_slug
from ortswandel.catalogue.models import Organisation, OrganisationKind, Programme
from ortswandel.core.typing import ActingUser
from ortswandel.municipalities.models import Municipality

from .reading import ContentImportError, sources
from .report import ImportReport

ORGANISATION_KINDS = {
    "municipality": OrganisationKind.MUNICIPALITY,
    "district": OrganisationKind.DISTRICT,
    "university": OrganisationKind.UNIVERSITY,
    "research institute": OrganisationKind.RESEARCH_INSTITUTE,
    "company": OrganisationKind.COMPANY,
    "association": OrganisationKind.ASSOCIATION,
    "other": OrganisationKind.OTHER,
}


class ImportContext:
    """One run over the records; satisfies :class:`.registry.RecordContext`."""

    def __init__(self, records: list[dict[str, Any]], actor: ActingUser | None) -> None:
        self.records = records
        self.actor = actor
        self.report = ImportReport(records=len(records))
        self.touched: list[models.Model] = []
        self._orgs = OrganisationIndex()
        self._places = MunicipalityMatcher()
        self.org_sources: dict[int, list[tuple[str, str]]] = defaultdict(list)

    # -- bookkeeping ---------------------------------------------------------------------
    def changed(self, obj: models.Model, changed: bool) -> None:
        if changed:
            self.report.changed += 1
            self.touched.append(obj)

    def upsert(self, model: type[Any], *, key: dict[str, Any], values: dict[str, Any],
               where: str, create_values: dict[str, Any] | None = None) -> Any:  # fmt: skip
        existed = model._default_manager.filter(**key).exists()
        try:
            obj, changed = services.content_object_upsert(
                model=model, key=key, values=values, actor=self.actor,
                create_values=create_values,
            )  # fmt: skip
        except ValidationError as exc:
            raise ContentImportError(f"{where}: {'; '.join(exc.messages)}") from None
        if changed and not existed:
            self.report.created[model._meta.model_name] += 1
        self.changed(obj, changed)
        return obj

    def relate(self, obj: models.Model, relation: str, targets: Any) -> None:
        """Add ``targets`` to ``obj``'s ``relation`` (never removes), counting the change."""
        self.changed(
            obj,
            services.content_relation_set(
                obj=obj, relation=relation, targets=targets, actor=self.actor, add_only=True
            ),
        )

    def cite(self, obj: models.Model, field_name: str, urls: Any, statement: str = "") -> None:
        entries = [(url, statement) for url in sources(urls)]
        self.cite_entries(obj, field_name, entries)

    def cite_entries(
        self, obj: models.Model, field_name: str, entries: list[tuple[str, str]]
    ) -> None:
        self.changed(
            obj,
            services.citations_set(obj=obj, field=field_name, entries=entries, actor=self.actor),
        )

    # -- look-ups ------------------------------------------------------------------------
    def programme(self, slug: str) -> Programme | None:
        return Programme.objects.filter(slug=slug).first()

    def organisation(self, spec: dict[str, Any], *, where: str) -> Organisation:
        name = (spec.get("name") or "").strip()
        if not name:
            raise ContentImportError(f"{where}: Partner ohne Namen.")
        found = self._orgs.find(name)
        if found is not None:
            org = found
        else:
            kind = ORGANISATION_KINDS.get(spec.get("type") or "other", OrganisationKind.OTHER)
            note = (spec.get("type_note") or "").lower()
            if kind == OrganisationKind.OTHER and any(
                word in note for word in ("landes", "ministerium", "behörde", "kammer")
            ):
                kind = OrganisationKind.PUBLIC_BODY
            slug = demo_slug(name)[:110] or "organisation"
            base, n = slug, 2
            while Organisation.objects.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            org = self.upsert(
                Organisation, key={"slug": slug}, values={"name": name[:300], "kind": kind},
                where=where,
            )  # fmt: skip
            self._orgs.remember(name, org)
        if spec.get("source"):
            self.org_sources[org.pk].append((spec["source"], ""))
        return org

    def cite_organisation_sources(self) -> None:
        """Cite, once per organisation, every source that named it (after all records)."""
        for org in Organisation.objects.filter(pk__in=list(self.org_sources)):
            self.cite_entries(org, "name", sorted(set(self.org_sources[org.pk])))

    def municipalities(self, rows: list[dict[str, Any]], *, programme: str, project: str,
                       where: str) -> list[Municipality]:  # fmt: skip
        found: list[Municipality] = []
        for row in rows:
            name = (row.get("name") or "").strip()
            land = (row.get("land") or "").strip()
            match = self._places.match(name, land)
            if match.reason:
                self.report.unresolved.append(
                    UnresolvedPlace(programme, project, name, land, match.reason)
                )
            resolved = match.municipalities
            if resolved and row.get("land_stated_in_source") is False:
                self.report.inferred_land.append(
                    f"{project}: {name} → {', '.join(m.ags for m in resolved)} ({land}, "
                    "Land nicht in der Quelle)"
                )
            found.extend(resolved)
        return found
