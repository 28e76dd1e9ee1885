"""Reads of the participation app: the processes a person may see, idea lists with filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ortswandel.core.errors import InvalidInput, NotFound
from ortswandel.core.text import fold

from .models import Comment, FeedbackStatus, Idea, Process

SORTS = {
    "neu": ("-created_at", "-pk"),
    "unterstuetzung": ("-support_count", "-created_at", "-pk"),
    "kommentare": ("-comment_count", "-created_at", "-pk"),
    "alt": ("created_at", "pk"),
}
GRID = 10  # the map's placement grid: columns A–J, rows 1–10
COLUMNS = "ABCDEFGHIJ"


def process_for(user: Any, slug: str) -> Process:
    """The process ``slug`` if ``user`` may see it; else 404 (no hint that it exists)."""
    process = (
        Process.objects.select_related("municipality", "project", "programme")
        .filter(slug=slug)
        .first()
    )
    if process is None or not user.has_perm("participation.view_process", process):
        raise NotFound()
    return process


def processes_visible(user: Any) -> QuerySet[Process]:
    from ortswandel.core.roles import is_site_admin

    qs = Process.objects.select_related("municipality")
    if is_site_admin(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.public()
    return qs.filter(
        Q(is_published=True, visibility="public")
        | Q(is_published=True, participants__user=user)
        | Q(moderators=user)
        | Q(programme__editors=user, programme__isnull=False)
    ).distinct()


def process_events(process: Process) -> list[Any]:
    """The public events (workshops, Reallabor sessions) of the process, by start; registration
    happens on the event pages of the events app."""
    from ortswandel.events.selectors import public_events

    ids = list(process.events.values_list("pk", flat=True))
    if not ids:
        return []
    return list(public_events().filter(pk__in=ids).order_by("starts_at"))


@dataclass(frozen=True)
class IdeaFilters:
    category: int | None = None
    status: str | None = None
    q: str = ""
    sort: str = "neu"
    #: A grid square (``C7``): only the ideas placed in it; "" for all.
    cell: str = ""


def parse_filters(params: Any) -> IdeaFilters:
    from ortswandel.core.params import check_text, parse_int

    category = parse_int(params.get("kategorie"), name="kategorie", minimum=1, maximum=2**31)
    status = params.get("status") or None
    if status is not None and status not in FeedbackStatus.values:
        raise InvalidInput(fields={"status": "unbekannter Status"})
    sort = params.get("sortierung") or "neu"
    if sort not in SORTS:
        raise InvalidInput(fields={"sortierung": "unbekannte Sortierung"})
    q = check_text((params.get("q") or "").strip(), name="q", max_length=100)
    cell = (params.get("planquadrat") or "").strip().upper()
    if cell:
        try:
            cell_position(cell)
        except ValueError:
            raise InvalidInput(
                fields={"planquadrat": _("Erwartet wird ein Planquadrat von A1 bis J10.")},
                code="invalid_cell",
            ) from None
    return IdeaFilters(category=category, status=status, q=q, sort=sort, cell=cell)


def ideas_list(process: Process, filters: IdeaFilters) -> QuerySet[Idea]:
    qs = Idea.objects.visible().filter(process=process).select_related("category")
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.status is not None:
        qs = qs.filter(feedback_status=filters.status)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(location_text__icontains=filters.q))
    if filters.cell:
        qs = qs.filter(_in_cell(filters.cell))
    return qs.order_by(*SORTS[filters.sort])


def _in_cell(cell: str) -> Q:
    """Positions inside grid square ``cell`` (the last column and row include the edge 1.0),
    the same squares as :func:`grid_cell`."""
    column, row = COLUMNS.index(cell[0]), int(cell[1:]) - 1
    condition = Q(map_x__gte=column / GRID, map_y__gte=row / GRID)
    condition &= Q(map_x__lt=(column + 1) / GRID) if column < GRID - 1 else Q(map_x__lte=1)
    condition &= Q(map_y__lt=(row + 1) / GRID) if row < GRID - 1 else Q(map_y__lte=1)
    return condition


def map_frame(process: Process) -> dict[str, Any]:
    """The idea map of ``process``: the municipality outline from the BKG boundaries (drawn by
    :func:`ortswandel.municipalities.maps.outline_path`; a plain frame when the boundary files
    are missing), the placement grid and label positions, in SVG units. Idea positions are
    fractions (0…1) of this frame."""
    from ortswandel.municipalities import maps

    outline = maps.outline_path(process.municipality.ags)
    path, width, height = outline if outline is not None else ("", 1000.0, 1000.0)
    dx, dy = width / GRID, height / GRID
    return {
        "outline": path,
        "attribution": maps.ATTRIBUTION if outline is not None else "",
        "width": f"{width:.1f}",
        "height": f"{height:.1f}",
        "w": width,
        "h": height,
        "viewbox": " ".join(
            f"{v:.1f}" for v in (-0.06 * width, -0.06 * height, 1.08 * width, 1.08 * height)
        ),
        "font": f"{width / 32:.1f}",
        "radius": f"{width / 90:.1f}",
        "columns": [(c, f"{(i + 0.5) * dx:.1f}") for i, c in enumerate(COLUMNS)],
        "rows": [(str(i + 1), f"{(i + 0.5) * dy:.1f}") for i in range(GRID)],
        "vlines": [f"{i * dx:.1f}" for i in range(1, GRID)],
        "hlines": [f"{i * dy:.1f}" for i in range(1, GRID)],
        "label_y": f"{-0.015 * height:.1f}",
        "label_x": f"{-0.015 * width:.1f}",
    }


def map_svg(
    process: Process, frame: dict[str, Any], points: str = "", *, placing: bool = False
) -> SafeString:
    """The whole map as one SVG string (outline, grid, labels, points; built in Python: a
    template loop per grid line and label costs more than the rest of the page)."""
    from django.utils.translation import gettext as _

    title = _("Karte von %(name)s mit Planquadraten A–J und 1–10") % {
        "name": process.municipality.name
    }
    if placing:
        desc = _(
            "Pfeiltasten wählen ein Planquadrat; das gewählte steht im Auswahlfeld "
            "„Planquadrat auf der Karte“."
        )
    else:
        desc = _(
            "Die Zahlen auf der Karte nennen die Ideen je Planquadrat; jede Zahl führt zur "
            "Liste dieser Ideen. Dieselben Zahlen stehen in der Tabelle „Ideen je Ort“."
        )
    w, h, font = frame["width"], frame["height"], frame["font"]
    if placing:  # one focusable control (arrow keys), announced as an image with its help
        attrs = f' role="img" id="pmap-place" tabindex="0" data-width="{w}" data-height="{h}"'
    else:  # a group of links (one per square with ideas); the drawing itself is decoration
        attrs = ' role="group"'
    out = [
        f'<svg viewBox="{frame["viewbox"]}" aria-labelledby="pmap-title pmap-desc"'
        f' class="pmap-svg"{attrs}><title id="pmap-title">{escape(title)}</title>'
        f'<desc id="pmap-desc">{escape(desc)}</desc><g aria-hidden="true">'
        f'<rect x="0" y="0" width="{w}" height="{h}" class="pmap-frame"/>'
    ]
    if frame["outline"]:
        out.append(f'<path d="{frame["outline"]}" class="pmap-outline" fill-rule="evenodd"/>')
    out += [f'<line x1="{x}" y1="0" x2="{x}" y2="{h}" class="pmap-grid"/>' for x in frame["vlines"]]
    out += [f'<line x1="0" y1="{y}" x2="{w}" y2="{y}" class="pmap-grid"/>' for y in frame["hlines"]]
    out += [
        f'<text x="{at}" y="{frame["label_y"]}" font-size="{font}" class="pmap-label"'
        f' text-anchor="middle">{label}</text>'
        for label, at in frame["columns"]
    ]
    out += [
        f'<text x="{frame["label_x"]}" y="{at}" font-size="{font}" dominant-baseline="middle"'
        f' class="pmap-label" text-anchor="end">{label}</text>'
        for label, at in frame["rows"]
    ]
    out.append("</g>")
    out.append(points)
    if placing:
        out.append(
            f'<circle id="pmap-marker" cx="-9999" cy="-9999" r="{frame["radius"]}"'
            ' class="pmap-marker"/>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - only numbers and escaped text


def grid_cell(x: float | None, y: float | None) -> str:
    """The grid square (``C7``) of a map position; "" without one."""
    if x is None or y is None:
        return ""
    col = min(int(x * GRID), GRID - 1)
    row = min(int(y * GRID), GRID - 1)
    return f"{COLUMNS[col]}{row + 1}"


def cell_position(cell: str) -> tuple[float, float] | None:
    """The centre of grid square ``cell`` as a map position; ``None`` for "" ; ValueError else."""
    cell = (cell or "").strip().upper()
    if not cell:
        return None
    if len(cell) < 2 or cell[0] not in COLUMNS or not cell[1:].isdigit():
        raise ValueError(cell)
    row = int(cell[1:])
    if not 1 <= row <= GRID:
        raise ValueError(cell)
    return ((COLUMNS.index(cell[0]) + 0.5) / GRID, (row - 0.5) / GRID)


def comments_tree(idea: Idea, user: Any) -> list[tuple[Comment, list[Comment]]]:
    """Top-level comments with their replies (one level of threading, as meinBerlin shows them);
    hidden comments stay in place with their reason, unreviewed ones only for managers/author."""
    manager = user.has_perm("participation.moderate_process", idea)
    comments = list(idea.comments.all())
    shown = [
        c
        for c in comments
        if not c.awaiting_review or manager or (c.author_id and c.author_id == user.pk)
    ]
    replies: dict[int, list[Comment]] = {}
    for c in shown:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(c)
    return [(c, replies.get(c.pk, [])) for c in shown if not c.parent_id]


def fold_query(value: str) -> str:
    return fold(value)
