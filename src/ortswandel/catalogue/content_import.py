"""Import of the collected public facts (``facts.json`` in ``ORTSWANDEL_CONTENT_DIR``).

The file is a list of records (see the README beside it): the programme Kommunen innovativ, its
30 consortia (``ki_project``) and their 93 results (``ki_result``), the six core messages, the
two initiatives (T!Raum HKS, Meine Stadt der Zukunft) and the 15 model projects of the latter.
Every fact carries the URL it was taken from; the importer stores that URL as a
:class:`~ortswandel.catalogue.models.Citation` of the field it fills, so the pages can show
"Quelle: …" beside the fact.

Rules:

* Facts win over the hand-written demo data where they state something; what the facts leave
  empty (``null``, missing) is left as it is — the importer never invents a value.
* Partial dates (``2016``, ``2016-06``) are stored as the first day with their precision.
* Model municipalities and partners are matched by :mod:`.content_matching` (municipalities by
  name *and* Land, only when unique; organisations by folded name). Places that stay unresolved
  are listed in the report, never guessed. A Land that the source does not state
  (``land_stated_in_source: false``) is reported as inferred.
* All writes go through :mod:`ortswandel.catalogue.services`, in one transaction: a file that
  cannot be read or a record that does not fit loads nothing (:class:`ContentImportError`).
  A second run of the same file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from ortswandel.core.audit import audit_log
from ortswandel.core.models import PublicationStatus
from ortswandel.core.typing import ActingUser
from ortswandel.municipalities.models import Municipality

from . import services
from .content_matching import MunicipalityMatcher, OrganisationIndex, UnresolvedPlace, fold
from .demo import demo_slug
from .models import (
    Citation,
    DatePrecision,
    Organisation,
    OrganisationKind,
    PartnerRole,
    Programme,
    ProgrammeKind,
    Project,
    ProjectStatus,
    Result,
    Theme,
    ThemeKind,
)

FACTS_FILE = "facts.json"
PUBLISHED = PublicationStatus.PUBLISHED
KI_SLUG = "kommunen-innovativ"
#: ``initiative`` record id → programme slug (the demo's programmes).
INITIATIVE_PROGRAMMES = {
    "traum-hks": "handlungskompetenz-der-kommunen-staerken",
    "meine-stadt-der-zukunft": "meine-stadt-der-zukunft",
}
MSDZ_ROUND_SUFFIX = {1: "2020", 2: "2023"}
ORGANISATION_KINDS = {
    "municipality": OrganisationKind.MUNICIPALITY,
    "district": OrganisationKind.DISTRICT,
    "university": OrganisationKind.UNIVERSITY,
    "research institute": OrganisationKind.RESEARCH_INSTITUTE,
    "company": OrganisationKind.COMPANY,
    "association": OrganisationKind.ASSOCIATION,
    "other": OrganisationKind.OTHER,
}
KNOWN_RECORD_TYPES = {
    "programme",
    "ki_project",
    "ki_core_message",
    "note",
    "event",
    "ki_results_overview",
    "ki_result",
    "initiative",
    "msdz_model_project",
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


class ContentImportError(ValueError):
    """The facts file cannot be read or a record does not fit; nothing was imported."""


class RecordContext(Protocol):
    """What a registered record handler gets: the acting user, the programmes by slug, and the
    writers that count changes (:meth:`upsert` through the catalogue services; :meth:`cite`)."""

    actor: ActingUser | None

    def programme(self, slug: str) -> Programme | None: ...

    def upsert(self, model: type[Any], *, key: dict[str, Any], values: dict[str, Any],
               where: str, create_values: dict[str, Any] | None = None) -> Any: ...  # fmt: skip

    def cite(self, obj: models.Model, field_name: str, urls: Any, statement: str = "") -> None: ...


RecordHandler = Callable[[list[dict[str, Any]], RecordContext], None]
_handlers: dict[str, RecordHandler] = {}


def register_record_handler(record_type: str, handler: RecordHandler) -> None:
    """Let an app above the catalogue import the records of ``record_type`` (events registers
    ``event``), in the importer's transaction, without the catalogue importing it."""
    if record_type not in KNOWN_RECORD_TYPES:
        raise ValueError(f"unknown record type {record_type!r}")
    _handlers[record_type] = handler


@dataclass
class ImportReport:
    records: int = 0
    changed: int = 0
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unresolved: list[UnresolvedPlace] = field(default_factory=list)
    inferred_land: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def as_payload(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "changed": self.changed,
            "created": dict(self.created),
            "unresolved": [u.__dict__ for u in self.unresolved],
            "inferred_land": self.inferred_land,
            "skipped": dict(self.skipped),
        }


def read_facts(path: Path) -> list[dict[str, Any]]:
    """The records of ``path`` (``facts.json`` or a directory holding it), checked for shape."""
    if path.is_dir():
        path = path / FACTS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentImportError(
            f"{path}: Datei nicht gefunden (ORTSWANDEL_CONTENT_DIR prüfen)."
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContentImportError(f"{path}: kein gültiges JSON ({exc}).") from None
    if not isinstance(data, list):
        raise ContentImportError(f"{path}: erwartet wird eine JSON-Liste von Records.")
    for index, record in enumerate(data, start=1):
        if not isinstance(record, dict) or record.get("record_type") not in KNOWN_RECORD_TYPES:
            raise ContentImportError(
                f"{path}, Record {index}: unbekannter oder fehlender record_type "
                f"({record.get('record_type') if isinstance(record, dict) else record!r})."
            )
    return data


def parse_partial_date(value: Any, *, where: str, end: bool = False) -> tuple[dt.date, str] | None:
    """``"2016"``/``"2016-06"``/``"2016-06-01"`` → (date, precision); ``None`` stays ``None``.

    The date of a partial value is the first day of the year or month (its precision says how
    much of it the source states)."""
    if value in (None, ""):
        return None
    match = _DATE.match(str(value))
    if not match:
        raise ContentImportError(
            f"{where}: Datum {value!r} ist nicht JJJJ, JJJJ-MM oder JJJJ-MM-TT."
        )
    year, month, day = match.groups()
    try:
        date = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ContentImportError(f"{where}: Datum {value!r} gibt es nicht.") from None
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return date, precision


def _sources(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)]


def _paragraph(text: str | None) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>" if text else ""


class _Importer:
    def __init__(self, records: list[dict[str, Any]], actor: ActingUser | None) -> None:
        self.records = records
        self.actor = actor
        self.report = ImportReport(records=len(records))
        self.touched: list[models.Model] = []
        self._orgs = OrganisationIndex()
        self._places = MunicipalityMatcher()
        self._org_sources: dict[int, list[tuple[str, str]]] = defaultdict(list)

    # -- bookkeeping ---------------------------------------------------------------------
    def _changed(self, obj: models.Model, changed: bool) -> None:
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
        self._changed(obj, changed)
        return obj

    def cite(self, obj: models.Model, field_name: str, urls: Any, statement: str = "") -> None:
        entries = [(url, statement) for url in _sources(urls)]
        self.cite_entries(obj, field_name, entries)

    def cite_entries(
        self, obj: models.Model, field_name: str, entries: list[tuple[str, str]]
    ) -> None:
        self._changed(
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
            self._org_sources[org.pk].append((spec["source"], ""))
        return org

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

    # -- records -------------------------------------------------------------------------
    def run(self) -> ImportReport:
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in self.records:
            by_type[record["record_type"]].append(record)
        for record in by_type["programme"]:
            self.ki_programme(record)
        for record in by_type["ki_core_message"]:
            self.core_message(record)
        for index, record in enumerate(by_type["ki_project"], start=1):
            self.ki_project(record, where=f"ki_project {index} ({record.get('acronym')})")
        results_by_project: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in by_type["ki_result"]:
            results_by_project[record.get("project") or ""].append(record)
        for acronym, records in results_by_project.items():
            self.ki_results(acronym, records)
        for record in by_type["initiative"]:
            self.initiative(record)
        for index, record in enumerate(by_type["msdz_model_project"], start=1):
            self.msdz_project(record, where=f"msdz_model_project {index}")
        for org in Organisation.objects.filter(pk__in=list(self._org_sources)):
            self.cite_entries(org, "name", sorted(set(self._org_sources[org.pk])))
        self.other_records(by_type)
        return self.report

    def other_records(self, by_type: dict[str, list[dict[str, Any]]]) -> None:
        """Records that apps above the catalogue import (registered handlers); the rest of the
        types without a model here are counted as skipped."""
        for kind, handler in _handlers.items():
            if by_type[kind]:
                handler(by_type[kind], self)
        for kind in ("event", "note", "ki_results_overview"):
            if by_type[kind] and kind not in _handlers:
                self.report.skipped[kind] = len(by_type[kind])

    def ki_programme(self, record: dict[str, Any]) -> None:
        programme = self.programme(record.get("id") or KI_SLUG)
        values = {"funder": (record.get("funder") or "")[:300]}
        if programme is None:
            programme = self.upsert(
                Programme, key={"slug": record.get("id") or KI_SLUG},
                values={"name": record["name"], "kind": ProgrammeKind.FEDERAL_FUNDING, **values},
                create_values={"status": PUBLISHED}, where="programme",
            )  # fmt: skip
        else:
            programme = self.upsert(
                Programme, key={"pk": programme.pk}, values=values, where="programme"
            )
        facts = record.get("facts") or []
        self.cite_entries(
            programme,
            "facts",
            [(f.get("source") or "", f.get("fact") or "") for f in facts if f.get("fact")],
        )
        if facts:
            self.cite(programme, "funder", [f.get("source") for f in facts[:1]])

    def core_message(self, record: dict[str, Any]) -> None:
        programme = self.programme(KI_SLUG)
        if programme is None:
            return
        name = (record.get("name") or "").rstrip("!").strip()
        theme = programme.themes.filter(kind=ThemeKind.CORE_MESSAGE, slug=demo_slug(name)).first()
        values = (
            {"description": _paragraph(record.get("summary_de"))}
            if record.get("summary_de")
            else {}
        )
        theme = self.upsert(
            Theme, key={"programme": programme, "slug": demo_slug(name)},
            values={"name": theme.name if theme else name, **values},
            create_values={"kind": ThemeKind.CORE_MESSAGE, "status": PUBLISHED},
            where=f"ki_core_message {name}",
        )  # fmt: skip
        self.cite(theme, "description", record.get("sources"))

    def ki_project(self, record: dict[str, Any], *, where: str) -> None:
        programme = self.programme(KI_SLUG)
        if programme is None:
            raise ContentImportError(f"{where}: Programm {KI_SLUG!r} fehlt.")
        acronym = (record.get("acronym") or "").strip()
        if not acronym:
            raise ContentImportError(f"{where}: Akronym fehlt.")
        project = Project.objects.filter(programme=programme, acronym=acronym).first()
        key = {"pk": project.pk} if project else {"slug": demo_slug(acronym)}
        values: dict[str, Any] = {}
        if record.get("title_de"):
            values["title"] = record["title_de"][:400]
        if record.get("summary_de"):
            values["summary"] = _paragraph(record["summary_de"])
        if record.get("website"):
            values["website"] = record["website"]
        period = record.get("period") or {}
        for name in ("start", "end"):
            parsed = parse_partial_date(period.get(name), where=f"{where}, period.{name}")
            if parsed:
                values[f"{name}_date"], values[f"{name}_precision"] = parsed
        funding = record.get("funding") or {}
        if funding.get("amount_eur") is not None:  # exact amounts only, not "approx."
            values["funding_amount"] = Decimal(str(funding["amount_eur"])).quantize(Decimal("0.01"))
        fkz = funding.get("fkz") or (record.get("fkz") or {}).get("value")
        if fkz:
            values["funding_reference"] = fkz
        project = self.upsert(
            Project, key=key, values=values, where=where,
            create_values={
                "programme": programme, "acronym": acronym, "status": PUBLISHED,
                "project_status": ProjectStatus.COMPLETED,
            },
        )  # fmt: skip
        self.cite(project, "title", record.get("title_source"))
        self.cite(project, "summary", record.get("sources") if record.get("summary_de") else [])
        self.cite(project, "website", record.get("sources") if record.get("website") else [])
        self.cite(
            project,
            "period",
            period.get("source") if values.get("start_date") or values.get("end_date") else [],
        )
        self.cite(
            project, "funding",
            [funding.get("source")] if "funding_amount" in values else
            [(record.get("fkz") or {}).get("source")] if "funding_reference" in values else [],
        )  # fmt: skip
        focus = record.get("focus_theme")
        if focus:
            theme = programme.themes.filter(kind=ThemeKind.FOCUS_THEME, name=focus).first()
            if theme is not None:
                self._changed(
                    project,
                    services.content_relation_set(
                        obj=project, relation="themes", targets=[theme], actor=self.actor,
                        add_only=True,
                    ),
                )  # fmt: skip
                self.cite(project, "themes", record.get("focus_theme_source"))
        self.partners(project, record, where=where)
        places = record.get("municipalities") or []
        found = self.municipalities(places, programme=programme.slug, project=acronym, where=where)
        self._changed(
            project,
            services.content_relation_set(
                obj=project, relation="municipalities", targets=found, actor=self.actor,
                add_only=True,
            ),
        )  # fmt: skip
        self.cite_entries(
            project,
            "municipalities",
            [(row.get("source") or "", _place_statement(row)) for row in places],
        )

    def partners(self, project: Project, record: dict[str, Any], *, where: str) -> None:
        lead = record.get("lead_partner")
        rows = record.get("partners") or []
        if not lead and not rows:
            return
        pairs: list[tuple[Organisation, str]] = []
        entries: list[tuple[str, str]] = []
        lead_org = None
        if lead:
            lead_org = self.organisation(lead, where=f"{where}, lead_partner")
            pairs.append((lead_org, PartnerRole.COORDINATOR))
            entries.append((lead.get("source") or "", f"{lead['name']}: {lead.get('role') or ''}"))
        for row in rows:
            org = self.organisation(row, where=f"{where}, partners")
            entries.append((row.get("source") or "", f"{row['name']}: {row.get('role') or ''}"))
            if org == lead_org:
                continue
            pairs.append((org, _partner_role(row)))
        unique = list(dict.fromkeys(pairs))
        self._changed(
            project,
            services.project_partners_set(project=project, partners=unique, actor=self.actor),
        )
        self.cite_entries(project, "partners", entries)

    def ki_results(self, acronym: str, records: list[dict[str, Any]]) -> None:
        programme = self.programme(KI_SLUG)
        project = Project.objects.filter(programme=programme, acronym=acronym).first()
        if programme is None or project is None:
            raise ContentImportError(f"ki_result: Projekt {acronym!r} fehlt in facts.json.")
        # A fact's result is found again by its title (kept by earlier imports) or its slug;
        # a hand-written result of the project that the fact describes (same kind and link, or
        # a title starting with the fact's name) is taken over by it, once.
        results = list(project.results.all())
        cited = set(
            Citation.objects.filter(
                content_type=ContentType.objects.get_for_model(Result),
                object_id__in=[r.pk for r in results],
                field="title",
            ).values_list("object_id", flat=True)
        )
        hand_written = [r for r in results if r.pk not in cited]
        for record in records:
            name = (record.get("name") or "").strip()
            kind = record.get("kind")
            where = f"ki_result {acronym}: {name[:40]}"
            slug = _result_slug(project, name)
            match = next((r for r in results if r.title == name[:400] and r.kind == kind), None)
            if match is None and not Result.objects.filter(slug=slug).exists():
                match = _matching_result(hand_written, name=name, kind=kind, url=record.get("url"))
            if match in hand_written:
                hand_written.remove(match)
            key = {"pk": match.pk} if match else {"slug": slug}
            values: dict[str, Any] = {"title": name[:400], "kind": kind}
            if record.get("description"):
                values["summary"] = _paragraph(record["description"])
            if record.get("url"):
                values["url"] = record["url"]
            result = self.upsert(
                Result, key=key, values=values, where=where,
                create_values={"programme": programme, "status": PUBLISHED},
            )  # fmt: skip
            self._changed(
                result,
                services.content_relation_set(
                    obj=result, relation="projects", targets=[project], actor=self.actor,
                    add_only=True,
                ),
            )  # fmt: skip
            self._changed(
                result,
                services.content_relation_set(
                    obj=result, relation="themes",
                    targets=project.themes.filter(kind=ThemeKind.FOCUS_THEME), actor=self.actor,
                    add_only=True,
                ),
            )  # fmt: skip
            self.cite(result, "title", record.get("source"))
            self.cite(result, "summary", record.get("source") if record.get("description") else [])
            self.cite(result, "url", record.get("source") if record.get("url") else [])

    def initiative(self, record: dict[str, Any]) -> None:
        slug = INITIATIVE_PROGRAMMES.get(record.get("id") or "")
        programme = self.programme(slug) if slug else None
        if programme is None:
            self.report.skipped["initiative"] += 1
            return
        values: dict[str, Any] = {}
        if record.get("website"):
            values["website"] = record["website"]
        programme = self.upsert(
            Programme, key={"pk": programme.pk}, values=values, where=f"initiative {slug}"
        )
        facts: list[tuple[str, str]] = []
        if record.get("target_de"):
            facts += [(url, record["target_de"]) for url in _sources(record.get("target_sources"))]
        if record.get("region_de"):
            facts.append((record.get("region_source") or "", record["region_de"]))
        for fact in record.get("facts_de") or []:
            if isinstance(fact, dict) and fact.get("fact"):
                facts += [
                    (url, fact["fact"])
                    for url in _sources(fact.get("sources") or fact.get("source"))
                ]
        for role_key in ("lead", "owner"):
            spec = record.get(role_key)
            if spec:
                self.organisation(spec, where=f"initiative {slug}, {role_key}")
                facts.append(
                    (spec.get("source") or "", f"{spec['name']}: {spec.get('role') or ''}")
                )
        self.cite_entries(programme, "facts", facts)
        self.cite(programme, "website", record.get("sources") if record.get("website") else [])
        for area in record.get("fields_of_action") or []:
            theme = programme.themes.filter(name=area.get("name")).first()
            if theme is not None:
                self.cite(theme, "name", area.get("source"))
        for area in record.get("workshop_areas") or []:
            theme = programme.themes.filter(name=area.get("name")).first()
            if theme is not None:
                self.cite(theme, "name", area.get("source"))

    def msdz_project(self, record: dict[str, Any], *, where: str) -> None:
        programme = self.programme(INITIATIVE_PROGRAMMES["meine-stadt-der-zukunft"])
        if programme is None:
            self.report.skipped["msdz_model_project"] += 1
            return
        place = record.get("municipality") or {}
        name = (place.get("name") or "").strip()
        suffix = MSDZ_ROUND_SUFFIX.get(record.get("round") or 0)
        if not name or suffix is None:
            raise ContentImportError(f"{where}: Kommune oder Runde (1/2) fehlt.")
        project = Project.objects.filter(
            programme=programme, acronym=name, slug__endswith=f"-{suffix}"
        ).first()
        key = {"pk": project.pk} if project else {"slug": f"msdz-{demo_slug(name)}-{suffix}"}
        values: dict[str, Any] = {}
        if record.get("project_title"):
            values["title"] = record["project_title"][:400]
        years = re.fullmatch(r"\s*(\d{4})\s*[–-]\s*(\d{4})\s*", record.get("years") or "")
        if years:  # the round's funding years, as the programme's pages name them
            values["start_date"] = dt.date(int(years.group(1)), 1, 1)
            values["end_date"] = dt.date(int(years.group(2)), 1, 1)
            values["start_precision"] = values["end_precision"] = DatePrecision.YEAR
        project = self.upsert(
            Project, key=key, values=values, where=where,
            create_values={"programme": programme, "acronym": name, "status": PUBLISHED},
        )  # fmt: skip
        self.cite(project, "title", record.get("title_source"))
        self.cite(project, "period", record.get("title_source") if years else [])
        found = self.municipalities(
            [{**place, "source": record.get("title_source")}], programme=programme.slug,
            project=f"{name} ({suffix})", where=where,
        )  # fmt: skip
        self._changed(
            project,
            services.content_relation_set(
                obj=project, relation="municipalities", targets=found, actor=self.actor,
                add_only=True,
            ),
        )  # fmt: skip
        self.cite_entries(
            project, "municipalities",
            [(url, _place_statement(place)) for url in _sources(record.get("sources"))[:1]],
        )  # fmt: skip
        facts = [
            (url, fact)
            for fact in record.get("facts_de") or []
            for url in _sources(record.get("sources"))[:1]
        ]
        self.cite_entries(project, "facts", facts)


def _place_statement(row: dict[str, Any]) -> str:
    text = f"{row.get('name') or ''} ({row.get('land') or '?'})"
    if row.get("land_stated_in_source") is False:
        text += " – Land nicht in der Quelle genannt"
    return text


def _partner_role(row: dict[str, Any]) -> str:
    role = (row.get("role") or "").lower()
    if "assoziiert" in role:
        return PartnerRole.ASSOCIATED_PARTNER
    kind = row.get("type")
    if kind in ("municipality", "district"):
        return PartnerRole.MUNICIPAL_PARTNER
    if kind in ("university", "research institute"):
        return PartnerRole.RESEARCH_PARTNER
    return PartnerRole.PRACTICE_PARTNER


def _result_slug(project: Project, name: str) -> str:
    return f"{project.slug}-{demo_slug(name)}"[:150].rstrip("-")


def _matching_result(existing: list[Result], *, name: str, kind: Any, url: Any) -> Result | None:
    """The hand-written result of the same project this fact describes: same kind and the same
    link, or a title that starts with the fact's name (before any bracket)."""
    stem = fold(re.sub(r"\s*\(.*$", "", name))
    for result in existing:
        if result.kind != kind:
            continue
        if (url and result.url == url) or (stem and fold(result.title).startswith(stem)):
            return result
    return None


def import_content(*, path: Path, actor: ActingUser | None = None) -> ImportReport:
    """Import ``facts.json`` (or the directory holding it) in one transaction; see the module
    docstring. Raises :class:`ContentImportError` (nothing imported) when it does not fit."""
    records = read_facts(path)
    importer = _Importer(records, actor)
    with transaction.atomic():
        report = importer.run()
        services.content_changed(objects=list(dict.fromkeys(importer.touched)))
        if report.changed:
            audit_log(action="catalogue.content.imported", actor=actor, payload=report.as_payload())
    return report


def last_import_report() -> dict[str, Any] | None:
    """The payload of the latest import that changed something (for the back office)."""
    from ortswandel.core.models import AuditEntry

    entry = AuditEntry.objects.filter(action="catalogue.content.imported").order_by("-id").first()
    return entry.payload if entry else None
