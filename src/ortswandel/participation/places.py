"""Places on the idea map: the grid squares (Planquadrate) inside the municipality, the check
of a position against them, and the map of the idea list with the ideas counted per square.

* :func:`offered_cells` — the squares of the 10 × 10 grid over the map frame that share area
  with the municipality's BKG outline (holes and exclaves included; computed from the polygon
  by :func:`ortswandel.municipalities.maps.outline_cells`, cached per municipality). Only these
  are offered (select, click, arrow keys) and accepted (:func:`check_position`). Without
  boundary files every square is offered, as the map is then a plain frame.
* :func:`process_map` — the idea map of the list: one link per square with ideas, labelled with
  their number, and the same figures as rows for the table "Ideen je Ort". Thousands of ideas
  weigh a few kilobytes this way, not one SVG element each. The result is cached per process
  under a content version (:func:`map_version_key`) that the services replace on commit
  whenever an idea appears, disappears, moves or changes its status (:func:`bump_map`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, IntegerField
from django.db.models.functions import Cast, Floor, Least
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ortswandel.core import versions
from ortswandel.core.cache import versioned
from ortswandel.core.errors import InvalidInput

from .models import Process
from .selectors import COLUMNS, GRID, IdeaFilters, grid_cell, ideas_list

#: Every square in reading order (A1, B1, … J1, A2, …).
ALL_CELLS: tuple[str, ...] = tuple(f"{c}{r}" for r in range(1, GRID + 1) for c in COLUMNS)
#: How long another server process may serve a map built before a change it did not see
#: (with a shared cache the version token replaces it at once).
MAP_TIMEOUT = 300


def cell_name(column: int, row: int) -> str:
    """``(2, 6)`` → ``C7`` (both from 0)."""
    return f"{COLUMNS[column]}{row + 1}"


def cell_index(cell: str) -> tuple[int, int]:
    """``C7`` → ``(2, 6)``; ``ValueError`` for anything else than A1 … J10."""
    text = (cell or "").strip().upper()
    if len(text) < 2 or text[0] not in COLUMNS or not text[1:].isdigit():
        raise ValueError(cell)
    row = int(text[1:])
    if not 1 <= row <= GRID:
        raise ValueError(cell)
    return COLUMNS.index(text[0]), row - 1


def inside_cells(process: Process) -> frozenset[str]:
    """The squares that share area with the municipality of ``process`` (all without boundary
    files)."""
    from ortswandel.municipalities import maps

    cells = maps.outline_cells(process.municipality.ags, columns=GRID, rows=GRID)
    if cells is None:
        return frozenset(ALL_CELLS)
    return frozenset(cell_name(c, r) for c, r in cells)


def offered_cells(process: Process) -> list[str]:
    """:func:`inside_cells` in reading order, for the select of the idea form."""
    inside = inside_cells(process)
    return [cell for cell in ALL_CELLS if cell in inside]


def outside_message(process: Process, cell: str) -> str:
    return _(
        "Das Planquadrat %(cell)s liegt außerhalb von %(name)s. Bitte wählen Sie ein "
        "Planquadrat, das die Gemeindefläche berührt."
    ) % {"cell": cell, "name": process.municipality.name}


def check_position(process: Process, x: float | None, y: float | None) -> None:
    """Refuse a position whose square lies outside the municipality (400 with the field)."""
    if x is None or y is None:
        return
    cell = grid_cell(x, y)
    if cell not in inside_cells(process):
        raise InvalidInput(
            outside_message(process, cell),
            fields={"map_x": outside_message(process, cell)},
            code="place_outside",
        )


# --- cache version ----------------------------------------------------------------------------


def map_version_key(process_id: int) -> str:
    """The content version of the map of process ``process_id``."""
    return f"participation:map-version:{process_id}"


def bump_map(process_id: int) -> None:
    """Replace the map's version once the current transaction commits (called by every service
    that adds, removes, hides, shows, moves an idea or changes its category or status)."""
    versions.bump_on_commit(map_version_key(process_id))


# --- counts per square ------------------------------------------------------------------------


def cell_counts(process: Process, filters: IdeaFilters) -> dict[str, int]:
    """The visible ideas matching ``filters`` (except their square) per square: one grouped
    query (≤ 100 rows) instead of every position."""
    qs = (
        ideas_list(process, replace(filters, cell=""))
        .filter(map_x__isnull=False, map_y__isnull=False)
        .order_by()
        .annotate(
            col=Least(Cast(Floor(F("map_x") * GRID), IntegerField()), GRID - 1),
            row=Least(Cast(Floor(F("map_y") * GRID), IntegerField()), GRID - 1),
        )
        .values("col", "row")
        .annotate(n=Count("pk"))
    )
    return {cell_name(int(r["col"]), int(r["row"])): int(r["n"]) for r in qs}


@dataclass(frozen=True)
class CellRow:
    """One row of the table "Ideen je Ort"."""

    cell: str
    count: int
    href: str
    current: bool


def _filter_query(filters: IdeaFilters, cell: str = "") -> str:
    params = {
        "q": filters.q,
        "kategorie": filters.category or "",
        "status": filters.status or "",
        "sortierung": "" if filters.sort == "neu" else filters.sort,
        "planquadrat": cell,
    }
    return urlencode({k: v for k, v in params.items() if v})


@dataclass(frozen=True)
class ProcessMap:
    """The idea map of a list: the SVG, the rows of the table "Ideen je Ort", the table itself
    (HTML; up to 100 rows, built with the map rather than by a template loop on every view)
    and the attribution of the boundaries ("" without boundary files)."""

    svg: SafeString
    rows: list[CellRow]
    table: SafeString
    attribution: str


def process_map(process: Process, filters: IdeaFilters) -> ProcessMap:
    """The idea map (SVG) of the list with its table rows; cached per process version,
    filters and language."""

    def build() -> tuple[str, list[CellRow], str, str]:
        return _build(process, filters)

    svg, rows, table, attribution = versioned(
        "participation:map",
        build,
        versions=[map_version_key(process.pk)],
        parts=[
            process.municipality.ags,
            process.slug,
            filters.category,
            filters.status,
            filters.q,
            filters.cell,  # (not the sort order: the counts do not depend on it)
            get_language(),
        ],
        timeout=MAP_TIMEOUT,
    )
    # Built from numbers and escaped text only:
    return ProcessMap(mark_safe(svg), rows, mark_safe(table), attribution)  # noqa: S308


def _build(process: Process, filters: IdeaFilters) -> tuple[str, list[CellRow], str, str]:
    from .selectors import map_frame, map_svg

    counts = cell_counts(process, filters)
    inside = inside_cells(process)
    frame = map_frame(process)
    path = reverse("participation:process", kwargs={"slug": process.slug})
    rows = [
        CellRow(
            cell=cell,
            count=counts[cell],
            href=f"{path}?{_filter_query(filters, cell)}#ideen-liste",
            current=cell == filters.cell,
        )
        for cell in ALL_CELLS
        if counts.get(cell)
    ]
    layers = [outside_layer(frame, inside), _count_layer(frame, rows)]
    svg = str(map_svg(process, frame, "".join(layers)))
    return svg, rows, _table(rows), frame["attribution"]


def _table(rows: list[CellRow]) -> str:
    """The text alternative of the map: squares with ideas, each linking to its list."""
    if not rows:
        return f"<p>{escape(_('Keine Idee mit Ort auf der Karte.'))}</p>"
    current = ' aria-current="true"'
    body = "".join(
        f'<tr><th scope="row"><a href="{escape(row.href)}"{current if row.current else ""}>'
        f"{row.cell}</a></th><td>{row.count}</td></tr>"
        for row in rows
    )
    return (
        f"<table><caption>{escape(_('Ideen je Ort'))}</caption><thead><tr>"
        f'<th scope="col">{escape(_("Planquadrat"))}</th>'
        f'<th scope="col">{escape(_("Ideen"))}</th></tr></thead><tbody>{body}</tbody></table>'
    )


def outside_layer(frame: dict[str, Any], inside: frozenset[str]) -> str:
    """The squares outside the municipality, hatched grey in one path (decorative)."""
    dx, dy = frame["w"] / GRID, frame["h"] / GRID
    parts = [
        f"M{c * dx:.1f} {r * dy:.1f}h{dx:.1f}v{dy:.1f}h{-dx:.1f}z"
        for r in range(GRID)
        for c in range(GRID)
        if cell_name(c, r) not in inside
    ]
    if not parts:
        return ""
    return f'<path d="{"".join(parts)}" class="pmap-outside" aria-hidden="true"/>'


def _count_layer(frame: dict[str, Any], rows: list[CellRow]) -> str:
    """One link per square with ideas: a circle sized by the number, the number inside."""
    if not rows:
        return ""
    dx, dy = frame["w"] / GRID, frame["h"] / GRID
    size = min(dx, dy)
    most = max(row.count for row in rows)
    out = []
    for row in rows:
        c, r = cell_index(row.cell)
        cx, cy = (c + 0.5) * dx, (r + 0.5) * dy
        radius = size * (0.24 + 0.2 * math.sqrt(row.count / most))
        label = ngettext(
            "Planquadrat %(cell)s: %(n)d Idee", "Planquadrat %(cell)s: %(n)d Ideen", row.count
        ) % {"cell": row.cell, "n": row.count}
        font = size * (0.3 if row.count < 100 else 0.22)
        current = ' aria-current="true"' if row.current else ""
        css = "pmap-count pmap-count-current" if row.current else "pmap-count"
        out.append(
            f'<a href="{escape(row.href)}" aria-label="{escape(label)}"{current}>'
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" class="{css}"/>'
            f'<text x="{cx:.1f}" y="{cy:.1f}" font-size="{font:.1f}" text-anchor="middle"'
            f' dominant-baseline="central" class="pmap-count-label" aria-hidden="true">'
            f"{row.count}</text></a>"
        )
    return "".join(out)
