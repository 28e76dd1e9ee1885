"""Programme-level records: the programme Kommunen innovativ (``programme``), its core
messages (``ki_core_message``) and the two initiatives (``initiative``) with their facts,
lead/owner organisations and fields of action."""

from __future__ import annotations

from typing import Any

from ortswandel.catalogue.demo import demo_slug
from ortswandel.catalogue.models import Programme, ProgrammeKind, Theme, ThemeKind
from ortswandel.core.models import PublicationStatus

from .context import ImportContext
from .reading import paragraph, sources

PUBLISHED = PublicationStatus.PUBLISHED
KI_SLUG = "kommunen-innovativ"
#: ``initiative`` record id → programme slug (the demo's programmes).
INITIATIVE_PROGRAMMES = {
    "traum-hks": "handlungskompetenz-der-kommunen-staerken",
    "meine-stadt-der-zukunft": "meine-stadt-der-zukunft",
}


def ki_programme(ctx: ImportContext, record: dict[str, Any]) -> None:
    programme = ctx.programme(record.get("id") or KI_SLUG)
    values = {"funder": (record.get("funder") or "")[:300]}
    if programme is None:
        programme = ctx.upsert(
            Programme, key={"slug": record.get("id") or KI_SLUG},
            values={"name": record["name"], "kind": ProgrammeKind.FEDERAL_FUNDING, **values},
            create_values={"status": PUBLISHED}, where="programme",
        )  # fmt: skip
    else:
        programme = ctx.upsert(
            Programme, key={"pk": programme.pk}, values=values, where="programme"
        )
    facts = record.get("facts") or []
    ctx.cite_entries(
        programme,
        "facts",
        [(f.get("source") or "", f.get("fact") or "") for f in facts if f.get("fact")],
    )
    if facts:
        ctx.cite(programme, "funder", [f.get("source") for f in facts[:1]])


def core_message(ctx: ImportContext, record: dict[str, Any]) -> None:
    programme = ctx.programme(KI_SLUG)
    if programme is None:
        return
    name = (record.get("name") or "").rstrip("!").strip()
    theme = programme.themes.filter(kind=ThemeKind.CORE_MESSAGE, slug=demo_slug(name)).first()
    values = (
        {"description": paragraph(record.get("summary_de"))} if record.get("summary_de") else {}
    )
    theme = ctx.upsert(
        Theme, key={"programme": programme, "slug": demo_slug(name)},
        values={"name": theme.name if theme else name, **values},
        create_values={"kind": ThemeKind.CORE_MESSAGE, "status": PUBLISHED},
        where=f"ki_core_message {name}",
    )  # fmt: skip
    ctx.cite(theme, "description", record.get("sources"))


def initiative(ctx: ImportContext, record: dict[str, Any]) -> None:
    slug = INITIATIVE_PROGRAMMES.get(record.get("id") or "")
    programme = ctx.programme(slug) if slug else None
    if programme is None:
        ctx.report.skipped["initiative"] += 1
        return
    values: dict[str, Any] = {}
    if record.get("website"):
        values["website"] = record["website"]
    programme = ctx.upsert(
        Programme, key={"pk": programme.pk}, values=values, where=f"initiative {slug}"
    )
    facts: list[tuple[str, str]] = []
    if record.get("target_de"):
        facts += [(url, record["target_de"]) for url in sources(record.get("target_sources"))]
    if record.get("region_de"):
        facts.append((record.get("region_source") or "", record["region_de"]))
    for fact in record.get("facts_de") or []:
        if isinstance(fact, dict) and fact.get("fact"):
            facts += [
                (url, fact["fact"]) for url in sources(fact.get("sources") or fact.get("source"))
            ]
    for role_key in ("lead", "owner"):
        spec = record.get(role_key)
        if spec:
            ctx.organisation(spec, where=f"initiative {slug}, {role_key}")
            facts.append((spec.get("source") or "", f"{spec['name']}: {spec.get('role') or ''}"))
    ctx.cite_entries(programme, "facts", facts)
    ctx.cite(programme, "website", record.get("sources") if record.get("website") else [])
    for area in record.get("fields_of_action") or []:
        theme = programme.themes.filter(name=area.get("name")).first()
        if theme is not None:
            ctx.cite(theme, "name", area.get("source"))
    for area in record.get("workshop_areas") or []:
        theme = programme.themes.filter(name=area.get("name")).first()
        if theme is not None:
            ctx.cite(theme, "name", area.get("source"))
