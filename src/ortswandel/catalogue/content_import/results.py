"""Result records (``ki_result``): the consortia's results, found again by title or slug, or
taking over the hand-written demo result they describe; linked to their project and its focus
themes, with their sources cited."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.contenttypes.models import ContentType

from ortswandel.catalogue.content_matching import fold
from ortswandel.catalogue.demo import demo_slug
from ortswandel.catalogue.models import Citation, Project, Result, ThemeKind
from ortswandel.core.models import PublicationStatus

from .context import ImportContext
from .programmes import KI_SLUG
from .reading import ContentImportError, paragraph

PUBLISHED = PublicationStatus.PUBLISHED


def ki_results(ctx: ImportContext, acronym: str, records: list[dict[str, Any]]) -> None:
    programme = ctx.programme(KI_SLUG)
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
            values["summary"] = paragraph(record["description"])
        if record.get("url"):
            values["url"] = record["url"]
        result = ctx.upsert(
            Result, key=key, values=values, where=where,
            create_values={"programme": programme, "status": PUBLISHED},
        )  # fmt: skip
        ctx.relate(result, "projects", [project])
        ctx.relate(result, "themes", project.themes.filter(kind=ThemeKind.FOCUS_THEME))
        ctx.cite(result, "title", record.get("source"))
        ctx.cite(result, "summary", record.get("source") if record.get("description") else [])
        ctx.cite(result, "url", record.get("source") if record.get("url") else [])


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
