"""Maps of municipalities as SVG, drawn from the BKG boundaries — no tile server, no script.

* :func:`outline_map` — the municipality with its neighbours (close-up);
* :func:`position_map` — its Land with the district borders, the municipality marked, and a
  small Germany inset with the Land highlighted;
* :func:`choropleth_areas` — path data of all municipalities of Germany or one Land, to be
  coloured by :func:`ortswandel.core.charts.choropleth` with one value per AGS.

Geometry comes from :mod:`ortswandel.sources.boundaries` (parsed once per process); the path
strings are integer coordinates with relative line segments, cached per process. Every map has
``role="img"``, a ``<title>``/``<desc>`` and the attribution :data:`ATTRIBUTION` to show beside
it. When the boundary files are missing the functions return ``None`` (the page shows no map,
never an error).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ortswandel.core.charts import MapArea
from ortswandel.sources import boundaries
from ortswandel.sources.boundaries import Boundary, BoundarySet
from ortswandel.sources.gv100ad import SourceFormatError

logger = logging.getLogger(__name__)

ATTRIBUTION = (
    "Grenzen: © GeoBasis-DE / BKG (Daten verändert), VG250 vereinfacht (Zensus-2022-Atlas) "
    "und VG5000 Stand 01.01.2021, dl-de/by-2-0"
)
#: Width of the drawing in SVG units (the SVG itself scales to 100 % of its container).
MAP_WIDTH = 480.0
INSET_WIDTH = 110.0
FILL_LAND = "#eef2f4"
FILL_DISTRICT = "#d5dde1"
FILL_TARGET = "#0b5563"
STROKE = "#4a5560"


@dataclass(frozen=True)
class MapSvg:
    title: str
    svg: SafeString
    attribution: str = ATTRIBUTION

    def __html__(self) -> SafeString:
        return self.svg


def _data_dir(data_dir: str | Path | None) -> Path:
    return Path(data_dir if data_dir is not None else settings.ORTSWANDEL_DATA_DIR)


def _load(kind: str, data_dir: str | Path | None) -> BoundarySet | None:
    reader = {
        "gemeinde": boundaries.municipality_boundaries,
        "kreis": boundaries.district_boundaries,
        "land": boundaries.land_boundaries,
    }[kind]
    try:
        return reader(_data_dir(data_dir), cache_dir=settings.ORTSWANDEL_DERIVED_DIR)
    except SourceFormatError:
        logger.warning("boundaries (%s) not readable in %s", kind, data_dir, exc_info=True)
        return None


def warm(data_dir: str | Path | None = None) -> None:
    """Read the three boundary files now (kept as arrays in ``ORTSWANDEL_DERIVED_DIR`` for every
    later process; called by ``import_municipalities``)."""
    for kind in ("gemeinde", "kreis", "land"):
        _load(kind, data_dir)


def path_data(rings: Iterable[np.ndarray]) -> str:
    """SVG path data for integer rings: ``M x y l dx dy dx dy …z`` per ring (compact)."""
    parts = []
    for ring in rings:
        if len(ring) < 3:
            continue
        steps = np.diff(ring, axis=0).ravel().tolist()
        text = " ".join(map(str, steps)).replace(" -", "-")  # "-" separates numbers too
        parts.append(f"M{int(ring[0, 0])} {int(ring[0, 1])}l{text}z")
    return "".join(parts)


@dataclass(frozen=True)
class _Frame:
    """Maps projected km to drawing units: ``(km - origin) * scale``."""

    origin: tuple[float, float]
    scale: float
    width: float
    height: float

    @classmethod
    def fit(
        cls, bbox: tuple[float, float, float, float], width: float, margin: float = 0.04
    ) -> _Frame:
        x0, y0, x1, y1 = bbox
        w, h = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)
        x0, y0, w, h = x0 - w * margin, y0 - h * margin, w * (1 + 2 * margin), h * (1 + 2 * margin)
        # Portrait areas: cap the height at 1.25 × width (so a tall Land does not fill the page).
        scale = min(width / w, width * 1.25 / h)
        return cls((x0, y0), scale, round(w * scale, 1), round(h * scale, 1))

    def path(self, boundary: Boundary, subpixel: int = 1) -> str:
        rings = boundary.rings_at(scale=self.scale * subpixel, origin=self.origin)
        return path_data(rings)

    def point(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.origin[0]) * self.scale, (y - self.origin[1]) * self.scale)


def _svg_open(cid: str, title: str, description: str, width: float, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ow-map" id="{cid}"'
        f' viewBox="0 0 {width:g} {height:g}" width="100%" role="img"'
        f' aria-labelledby="{cid}-t {cid}-d">'
        f'<title id="{cid}-t">{escape(title)}</title>'
        f'<desc id="{cid}-d">{escape(description)}</desc>'
    )


def _centre(boundary: Boundary) -> tuple[float, float]:
    """Area-weighted centre of the largest polygon's outer ring (falls back to the bbox)."""
    best = max(
        (p[0] for p in boundary.polygons if len(p)),
        key=lambda r: abs(_area(r)),
        default=None,
    )
    if best is None or abs(_area(best)) < 1e-12:
        x0, y0, x1, y1 = boundary.bbox
        return ((x0 + x1) / 2, (y0 + y1) / 2)
    x, y = best[:, 0], best[:, 1]
    xs, ys = np.roll(x, -1), np.roll(y, -1)
    cross = x * ys - xs * y
    a = cross.sum() / 2
    return (float(((x + xs) * cross).sum() / (6 * a)), float(((y + ys) * cross).sum() / (6 * a)))


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float((x * np.roll(y, -1) - np.roll(x, -1) * y).sum() / 2)


# ----------------------------------------------------------------------------- close-up


@functools.lru_cache(maxsize=256)
def _outline(ags: str, data_dir: str, language: str) -> MapSvg | None:
    """``language``: part of the cache key only — titles and descriptions are translated."""
    gemeinden = _load("gemeinde", data_dir)
    target = gemeinden.get(ags) if gemeinden is not None else None
    if gemeinden is None or target is None:
        return None
    x0, y0, x1, y1 = target.bbox
    pad = max(x1 - x0, y1 - y0) * 0.35 + 1.0
    view = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    frame = _Frame.fit(view, MAP_WIDTH, margin=0)
    neighbours = [b for b in gemeinden.intersecting(view) if b.key != ags]
    title = _("Lage von %(name)s und Nachbargemeinden") % {"name": target.name}
    description = _(
        "Umriss der Gemeinde %(name)s (dunkel hervorgehoben) mit den angrenzenden Gemeinden "
        "(hell): %(neighbours)s."
    ) % {
        "name": target.name,
        "neighbours": ", ".join(sorted(b.name for b in neighbours)[:30])
        + (" …" if len(neighbours) > 30 else ""),
    }
    cid = f"map-outline-{ags}"
    parts = [_svg_open(cid, title, description, frame.width, frame.height)]
    parts.append(
        f'<rect width="{frame.width:g}" height="{frame.height:g}" fill="#f7f9fa"/>'
        f'<g fill="{FILL_LAND}" stroke="{STROKE}" stroke-width="0.8" stroke-linejoin="round">'
    )
    for b in sorted(neighbours, key=lambda b: b.key):
        d = frame.path(b)
        if d:
            parts.append(f'<path d="{d}"><title>{escape(b.name)}</title></path>')
    parts.append("</g>")
    parts.append(
        f'<path d="{frame.path(target)}" fill="{FILL_TARGET}" stroke="#000" stroke-width="1.5"'
        f' fill-rule="evenodd"><title>{escape(target.name)}</title></path>'
    )
    # Scale bar: a round number of kilometres, ~1/4 of the width.
    km = _round_km(frame.width / 4 / frame.scale)
    bar = km * frame.scale
    y = frame.height - 12
    parts.append(
        f'<g stroke="#1b1f23" stroke-width="2"><line x1="10" y1="{y:g}" x2="{10 + bar:.1f}"'
        f' y2="{y:g}"/></g><text x="10" y="{y - 5:g}" font-size="12" fill="#1b1f23"'
        f' paint-order="stroke" stroke="#fff" stroke-width="3">{km:g} km</text>'
    )
    parts.append("</svg>")
    return MapSvg(title, mark_safe("".join(parts)))  # noqa: S308 - names escaped above


def _round_km(value: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20, 50, 100, 200):
        if step >= value * 0.7:
            return float(step)
    return 500.0


def outline_map(ags: str, *, data_dir: str | Path | None = None) -> MapSvg | None:
    """The municipality ``ags`` (filled) among its neighbours; ``None`` if unknown."""
    if len(ags) != 8 or not ags.isdigit():
        return None
    return _outline(ags, str(_data_dir(data_dir)), translation.get_language() or "")


# ----------------------------------------------------------------------------- position


@dataclass(frozen=True)
class _LandBackground:
    frame: _Frame
    inset: _Frame
    width: float
    height: float
    land_path: str
    district_lines: str
    district_paths: dict[str, str]
    inset_paths: str  # all Länder but this one
    inset_land: str


@functools.lru_cache(maxsize=16)
def _land_background(land_key: str, data_dir: str) -> _LandBackground | None:
    """What the position maps of all municipalities of one Land share (drawn once)."""
    kreise, laender = _load("kreis", data_dir), _load("land", data_dir)
    if kreise is None or laender is None or land_key not in laender:
        return None
    land = laender.items[land_key]
    frame = _Frame.fit(land.bbox, MAP_WIDTH * 0.78)
    inset = _Frame.fit(laender.bbox, INSET_WIDTH, margin=0.02)
    districts = kreise.with_prefix(land_key)
    return _LandBackground(
        frame=frame,
        inset=inset,
        width=round(frame.width + INSET_WIDTH + 16, 1),
        height=max(frame.height, INSET_WIDTH * 1.4 + 10),
        land_path=frame.path(land),
        district_lines="".join(frame.path(k) for k in districts),
        district_paths={k.key: frame.path(k) for k in districts},
        inset_paths="".join(inset.path(b) for b in laender.items.values() if b.key != land_key),
        inset_land=inset.path(land),
    )


@functools.lru_cache(maxsize=256)
def _position(ags: str, data_dir: str, language: str) -> MapSvg | None:
    """``language``: part of the cache key only — titles and descriptions are translated."""
    gemeinden, kreise, laender = (_load(k, data_dir) for k in ("gemeinde", "kreis", "land"))
    if gemeinden is None or kreise is None or laender is None:
        return None
    target = gemeinden.get(ags)
    land = laender.get(ags[:2])
    background = _land_background(ags[:2], data_dir)
    if target is None or land is None or background is None:
        return None
    frame, inset = background.frame, background.inset
    district = kreise.get(ags[:5])
    title = _("Lage von %(name)s in %(land)s und Deutschland") % {
        "name": target.name,
        "land": land.name,
    }
    description = _(
        "Karte von %(land)s mit den Kreisgrenzen; %(name)s ist dunkel gefüllt und mit einem "
        "Kreis markiert%(district)s. Kleine Karte: Deutschland mit %(land)s hervorgehoben."
    ) % {
        "land": land.name,
        "name": target.name,
        "district": (_(", der Kreis %(k)s ist grau hinterlegt") % {"k": district.name})
        if district is not None and district.key != ags[:2]
        else "",
    }
    cid = f"map-position-{ags}"
    parts = [_svg_open(cid, title, description, background.width, background.height)]
    parts.append(
        f'<path d="{background.land_path}" fill="{FILL_LAND}" stroke="#1b1f23"'
        ' stroke-width="1.2" fill-rule="evenodd"/>'
    )
    district_path = background.district_paths.get(ags[:5])
    if district_path:
        parts.append(f'<path d="{district_path}" fill="{FILL_DISTRICT}" stroke="none"/>')
    parts.append(
        f'<path d="{background.district_lines}" fill="none" stroke="{STROKE}" stroke-width="0.6"/>'
    )
    parts.append(f'<path d="{frame.path(target)}" fill="{FILL_TARGET}" stroke="#000"/>')
    cx, cy = frame.point(*_centre(target))
    parts.append(
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="9" fill="none" stroke="#000" stroke-width="3"/>'
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="9" fill="none" stroke="#fff" stroke-width="1.2"/>'
    )
    # Inset: Germany with the Land highlighted and the municipality as a dot.
    parts.append(f'<g transform="translate({frame.width + 12:.1f} 4)">')
    parts.append(
        f'<rect x="-3" y="-3" width="{inset.width + 6:.1f}" height="{inset.height + 6:.1f}"'
        ' fill="#fff" stroke="#c9d3d8"/>'
        f'<path d="{background.inset_paths}" fill="{FILL_LAND}" stroke="{STROKE}"'
        ' stroke-width="0.5"/>'
        f'<path d="{background.inset_land}" fill="{FILL_TARGET}" stroke="{STROKE}"'
        ' stroke-width="0.5"/>'
    )
    ix, iy = inset.point(*_centre(target))
    parts.append(
        f'<circle cx="{ix:.1f}" cy="{iy:.1f}" r="3" fill="#ffbf47" stroke="#000" stroke-width="1"/>'
    )
    parts.append("</g></svg>")
    return MapSvg(title, mark_safe("".join(parts)))  # noqa: S308 - names escaped above


def position_map(ags: str, *, data_dir: str | Path | None = None) -> MapSvg | None:
    """The municipality's place in its Land and in Germany; ``None`` if unknown."""
    if len(ags) != 8 or not ags.isdigit():
        return None
    return _position(ags, str(_data_dir(data_dir)), translation.get_language() or "")


# ----------------------------------------------------------------------------- choropleth


@dataclass(frozen=True)
class ChoroplethBase:
    """Paths of all municipalities of one scope, ready for :func:`core.charts.choropleth`."""

    viewbox: tuple[float, float, float, float]
    paths: dict[str, tuple[str, str]]  # ags -> (name, path data)
    outlines: tuple[str, ...]  # Land (or district) borders drawn on top


@functools.lru_cache(maxsize=20)
def _choropleth_base(land: str, data_dir: str, width: float) -> ChoroplethBase | None:
    gemeinden = _load("gemeinde", data_dir)
    laender = _load("land", data_dir)
    kreise = _load("kreis", data_dir)
    if gemeinden is None:
        return None
    members = gemeinden.with_prefix(land)
    if not members:
        return None
    if land and laender is not None and land in laender:
        bbox = laender.items[land].bbox
    else:
        bbox = gemeinden.bbox
    frame = _Frame.fit(bbox, width, margin=0.01)
    paths = {}
    for b in members:
        d = frame.path(b)
        if d:
            paths[b.key] = (b.name, d)
    outlines: list[str] = []
    if land and kreise is not None:
        outlines = [frame.path(k) for k in kreise.with_prefix(land)]
    elif laender is not None:
        outlines = [frame.path(b) for b in laender.items.values()]
    return ChoroplethBase((0.0, 0.0, frame.width, frame.height), paths, tuple(outlines))


def choropleth_base(
    land: str = "", *, width: float = 900.0, data_dir: str | Path | None = None
) -> ChoroplethBase | None:
    """Paths of all municipalities of Germany (``land=""``) or of one Land (2 digits), at
    ``width`` drawing units (1 unit ≈ one screen pixel at that width: smaller areas vanish)."""
    if land and (len(land) != 2 or not land.isdigit()):
        return None
    return _choropleth_base(land, str(_data_dir(data_dir)), float(width))


def choropleth_areas(
    values: Mapping[str, float | None],
    *,
    land: str = "",
    width: float = 900.0,
    href: str = "",
    data_dir: str | Path | None = None,
) -> tuple[list[MapArea], tuple[float, float, float, float], Sequence[str]] | None:
    """``(areas, viewbox, outlines)`` for :func:`ortswandel.core.charts.choropleth`; areas
    without a value get ``None`` (drawn as "keine Angabe"). ``href`` may contain ``{ags}``."""
    base = choropleth_base(land, width=width, data_dir=data_dir)
    if base is None:
        return None
    areas = [
        MapArea(ags, name, d, values.get(ags), href.format(ags=ags) if href else "")
        for ags, (name, d) in base.paths.items()
    ]
    return areas, base.viewbox, base.outlines


def clear_cache() -> None:
    _outline.cache_clear()
    _position.cache_clear()
    _land_background.cache_clear()
    _choropleth_base.cache_clear()
    _outline_cells.cache_clear()
    boundaries.clear_cache()


# ----------------------------------------------------------------------------- outline path


def outline_path(
    ags: str, *, width: float = 1000.0, data_dir: str | Path | None = None
) -> tuple[str, float, float] | None:
    """Path data of the municipality ``ags`` alone, fitted to ``width`` drawing units (4 %
    margin), with the frame's ``(width, height)`` — for maps that draw their own layers on top
    of the outline (the idea map of a participation process). ``None`` if unknown."""
    if len(ags) != 8 or not ags.isdigit():
        return None
    gemeinden = _load("gemeinde", str(_data_dir(data_dir)))
    target = gemeinden.get(ags) if gemeinden is not None else None
    if target is None:
        return None
    frame = _Frame.fit(target.bbox, width)
    return frame.path(target), frame.width, frame.height


@functools.lru_cache(maxsize=512)
def _outline_cells(
    ags: str, data_dir: str, columns: int, rows: int, width: float
) -> frozenset[tuple[int, int]] | None:
    gemeinden = _load("gemeinde", data_dir)
    target = gemeinden.get(ags) if gemeinden is not None else None
    if target is None:
        return None
    frame = _Frame.fit(target.bbox, width)
    x_edges = frame.origin[0] + np.linspace(0.0, frame.width, columns + 1) / frame.scale
    y_edges = frame.origin[1] + np.linspace(0.0, frame.height, rows + 1) / frame.scale
    touched = boundaries.cells_intersecting(target, x_edges, y_edges)
    return frozenset((int(c), int(r)) for r, c in zip(*np.nonzero(touched), strict=True))


def outline_cells(
    ags: str,
    *,
    columns: int = 10,
    rows: int = 10,
    width: float = 1000.0,
    data_dir: str | Path | None = None,
) -> frozenset[tuple[int, int]] | None:
    """The cells ``(column, row)`` (from 0, west to east and north to south) of a
    ``columns`` × ``rows`` grid laid over the frame of :func:`outline_path` that share area with
    the municipality ``ags`` (holes and exclaves taken into account); cached per municipality.
    ``None`` if the municipality or the boundary files are unknown."""
    if len(ags) != 8 or not ags.isdigit():
        return None
    return _outline_cells(ags, str(_data_dir(data_dir)), columns, rows, float(width))
