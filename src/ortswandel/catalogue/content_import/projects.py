"""Project records: the consortia of Kommunen innovativ (``ki_project``) with their period,
funding, focus theme, partners and model municipalities, and the model projects of Meine
Stadt der Zukunft (``msdz_model_project``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from ortswandel.catalogue import services
from ortswandel.catalogue.demo import demo_slug
from ortswandel.catalogue.models import (
    DatePrecision,
    Organisation,
    PartnerRole,
    Project,
    ProjectStatus,
    ThemeKind,
)
from ortswandel.core.models import PublicationStatus

from .context import ImportContext
from .programmes import INITIATIVE_PROGRAMMES, KI_SLUG
from .reading import ContentImportError, paragraph, parse_partial_date, sources

PUBLISHED = PublicationStatus.PUBLISHED
MSDZ_ROUND_SUFFIX = {1: "2020", 2: "2023"}


def ki_project(ctx: ImportContext, record: dict[str, Any], *, where: str) -> None:
    programme = ctx.programme(KI_SLUG)
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
        values["summary"] = paragraph(record["summary_de"])
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
    project = ctx.upsert(
        Project, key=key, values=values, where=where,
        create_values={
            "programme": programme, "acronym": acronym, "status": PUBLISHED,
            "project_status": ProjectStatus.COMPLETED,
        },
    )  # fmt: skip
    ctx.cite(project, "title", record.get("title_source"))
    ctx.cite(project, "summary", record.get("sources") if record.get("summary_de") else [])
    ctx.cite(project, "website", record.get("sources") if record.get("website") else [])
    ctx.cite(
        project,
        "period",
        period.get("source") if values.get("start_date") or values.get("end_date") else [],
    )
    ctx.cite(
        project, "funding",
        [funding.get("source")] if "funding_amount" in values else
        [(record.get("fkz") or {}).get("source")] if "funding_reference" in values else [],
    )  # fmt: skip
    focus = record.get("focus_theme")
    if focus:
        theme = programme.themes.filter(kind=ThemeKind.FOCUS_THEME, name=focus).first()
        if theme is not None:
            ctx.relate(project, "themes", [theme])
            ctx.cite(project, "themes", record.get("focus_theme_source"))
    partners(ctx, project, record, where=where)
    places = record.get("municipalities") or []
    found = ctx.municipalities(places, programme=programme.slug, project=acronym, where=where)
    ctx.relate(project, "municipalities", found)
    ctx.cite_entries(
        project,
        "municipalities",
        [(row.get("source") or "", _place_statement(row)) for row in places],
    )


def partners(ctx: ImportContext, project: Project, record: dict[str, Any], *, where: str) -> None:
    lead = record.get("lead_partner")
    rows = record.get("partners") or []
    if not lead and not rows:
        return
    pairs: list[tuple[Organisation, str]] = []
    entries: list[tuple[str, str]] = []
    lead_org = None
    if lead:
        lead_org = ctx.organisation(lead, where=f"{where}, lead_partner")
        pairs.append((lead_org, PartnerRole.COORDINATOR))
        entries.append((lead.get("source") or "", f"{lead['name']}: {lead.get('role') or ''}"))
    for row in rows:
        org = ctx.organisation(row, where=f"{where}, partners")
        entries.append((row.get("source") or "", f"{row['name']}: {row.get('role') or ''}"))
        if org == lead_org:
            continue
        pairs.append((org, _partner_role(row)))
    unique = list(dict.fromkeys(pairs))
    ctx.changed(
        project,
        services.project_partners_set(project=project, partners=unique, actor=ctx.actor),
    )
    ctx.cite_entries(project, "partners", entries)


def msdz_project(ctx: ImportContext, record: dict[str, Any], *, where: str) -> None:
    programme = ctx.programme(INITIATIVE_PROGRAMMES["meine-stadt-der-zukunft"])
    if programme is None:
        ctx.report.skipped["msdz_model_project"] += 1
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
    project = ctx.upsert(
        Project, key=key, values=values, where=where,
        create_values={"programme": programme, "acronym": name, "status": PUBLISHED},
    )  # fmt: skip
    ctx.cite(project, "title", record.get("title_source"))
    ctx.cite(project, "period", record.get("title_source") if years else [])
    found = ctx.municipalities(
        [{**place, "source": record.get("title_source")}], programme=programme.slug,
        project=f"{name} ({suffix})", where=where,
    )  # fmt: skip
    ctx.relate(project, "municipalities", found)
    ctx.cite_entries(
        project, "municipalities",
        [(url, _place_statement(place)) for url in sources(record.get("sources"))[:1]],
    )  # fmt: skip
    facts = [
        (url, fact)
        for fact in record.get("facts_de") or []
        for url in sources(record.get("sources"))[:1]
    ]
    ctx.cite_entries(project, "facts", facts)


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
