"""Reader for the BKG boundaries of municipalities, districts and Länder (GeoJSON, WGS 84).

Files in the data directory (see ``SOURCES.md`` there):

* ``vg250_zensus2022_simplified/vg250_gemeinden_simplified_wgs84.geojson`` — 10,990
  municipality polygons (properties ``ARS``, ``AGS``, ``name_gv100ad_2023``), already
  simplified for the Zensus 2022 atlas. Attribution: :data:`MUNICIPALITY_ATTRIBUTION`.
* ``vg5000/Ebene_Kreise_vg5000_2021_wgs84.geojson`` and ``Ebene_Laender_…`` — 401 districts
  and the 16 Länder (several features per Land: land and water areas; merged here by ARS).
  Attribution: :data:`VG5000_ATTRIBUTION`.

The coordinates are projected once to a planar grid in kilometres with a plain equirectangular
projection around 51° N / 10.5° E (``x`` east, ``y`` *south*, so that they can be drawn as SVG
without flipping). Over Germany's extent the scale error of this projection is below 8 %, which
is invisible on an overview map, and it needs no projection library. The simplified coordinates
are reused as they are (no further line generalisation); :func:`Boundary.rings_at` only rounds
them to a drawing grid and drops the repeated points that the rounding produces.

Pure Python and NumPy; each file is parsed once per process (cached by path and modification
time). Raises :class:`~ortswandel.sources.gv100ad.SourceFormatError` when a file is missing or
malformed.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .gv100ad import SourceFormatError
from .stored import stored

MUNICIPALITY_FILE = "vg250_zensus2022_simplified/vg250_gemeinden_simplified_wgs84.geojson"
DISTRICT_FILE = "vg5000/Ebene_Kreise_vg5000_2021_wgs84.geojson"
LAND_FILE = "vg5000/Ebene_Laender_vg5000_2021_wgs84.geojson"

MUNICIPALITY_ATTRIBUTION = "© GeoBasis-DE / BKG (Daten verändert)"
VG5000_ATTRIBUTION = "© GeoBasis-DE / BKG 2021 (Daten verändert)"
LICENCE = "dl-de/by-2-0"

#: Projection centre (degrees) and kilometres per degree.
LAT0 = 51.0
LON0 = 10.5
KM_PER_DEG_LAT = 111.13
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(LAT0))


def project(lon: np.ndarray | float, lat: np.ndarray | float) -> tuple[Any, Any]:
    """Degrees (WGS 84) to planar kilometres: ``x`` east, ``y`` south of the centre."""
    x = (np.asarray(lon, dtype=np.float64) - LON0) * KM_PER_DEG_LON
    y = (LAT0 - np.asarray(lat, dtype=np.float64)) * KM_PER_DEG_LAT
    return x, y


@dataclass(frozen=True, slots=True)
class Boundary:
    """One area: ``key`` (AGS for municipalities, ARS for districts and Länder), its name and
    its polygons; each polygon is a list of rings (outer ring first, then holes), each ring
    an ``(n, 2)`` float array of projected kilometres."""

    key: str
    name: str
    polygons: tuple[tuple[np.ndarray, ...], ...]
    bbox: tuple[float, float, float, float]  # min x, min y, max x, max y

    @property
    def rings(self) -> Iterator[np.ndarray]:
        for polygon in self.polygons:
            yield from polygon

    @property
    def point_count(self) -> int:
        return sum(len(r) for r in self.rings)

    def rings_at(
        self, *, scale: float, origin: tuple[float, float] = (0.0, 0.0)
    ) -> list[np.ndarray]:
        """Rings as integer drawing coordinates (``(km - origin) * scale``, rounded), with
        consecutive repeated points removed; rings that collapse to fewer than three distinct
        points are dropped (too small to see at this scale)."""
        result = []
        for ring in self.rings:
            grid = np.rint((ring - np.asarray(origin)) * scale).astype(np.int64)
            if len(grid) > 1:
                keep = np.ones(len(grid), dtype=bool)
                keep[1:] = np.any(grid[1:] != grid[:-1], axis=1)
                grid = grid[keep]
                if len(grid) > 1 and np.array_equal(grid[0], grid[-1]):
                    grid = grid[:-1]
            if len(grid) >= 3:
                result.append(grid)
        return result


@dataclass(frozen=True)
class BoundarySet:
    """All areas of one file, by key; ``attribution`` is the text to show beside a map."""

    level: str
    attribution: str
    items: dict[str, Boundary]
    bbox: tuple[float, float, float, float]
    #: Keys in a fixed order and their bounding boxes ``[n, 4]`` (for fast window queries).
    keys: tuple[str, ...] = ()
    boxes: np.ndarray | None = None

    def get(self, key: str) -> Boundary | None:
        return self.items.get(key)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, key: object) -> bool:
        return key in self.items

    def intersecting(self, window: tuple[float, float, float, float]) -> list[Boundary]:
        """The areas whose bounding box overlaps ``window`` (min x, min y, max x, max y)."""
        if self.boxes is None or not len(self.keys):
            return []
        b = self.boxes
        hit = (b[:, 0] < window[2]) & (b[:, 2] > window[0]) & (b[:, 1] < window[3])
        hit &= b[:, 3] > window[1]
        return [self.items[self.keys[i]] for i in np.flatnonzero(hit)]

    def with_prefix(self, prefix: str) -> list[Boundary]:
        """The areas whose key starts with ``prefix`` (e.g. a Land's two digits), by key."""
        return [b for k, b in sorted(self.items.items()) if k.startswith(prefix)]


def _bbox(arrays: list[np.ndarray]) -> tuple[float, float, float, float]:
    if not arrays:
        return (0.0, 0.0, 0.0, 0.0)
    stacked = np.concatenate(arrays)
    lo = stacked.min(axis=0)
    hi = stacked.max(axis=0)
    return (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))


def _polygons(geometry: Any, index: int) -> list[list[list[Any]]]:
    if not isinstance(geometry, dict):
        raise SourceFormatError(f"Objekt {index + 1}: Geometrie fehlt")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon" and isinstance(coordinates, list):
        return [coordinates]
    if kind == "MultiPolygon" and isinstance(coordinates, list):
        return coordinates
    raise SourceFormatError(f"Objekt {index + 1}: Geometrietyp {kind!r} wird nicht unterstützt")


def parse_boundaries(  # noqa: PLR0912
    data: Any, *, level: str, key_property: str, name_property: str, attribution: str
) -> BoundarySet:
    """Build a :class:`BoundarySet` from a parsed GeoJSON ``FeatureCollection``.

    Features with the same key are merged (their polygons are concatenated)."""
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise SourceFormatError("keine GeoJSON-FeatureCollection (Schlüssel 'features' fehlt)")
    # Collect all rings first and project them in one vectorised step.
    flat: list[Any] = []
    ring_lengths: list[int] = []
    layout: dict[str, tuple[str, list[list[int]]]] = {}
    for index, feature in enumerate(features):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            raise SourceFormatError(f"Objekt {index + 1}: Eigenschaften fehlen")
        key = str(properties.get(key_property) or "").strip()
        if not key.isascii() or not key.isdigit():
            raise SourceFormatError(f"Objekt {index + 1}: Schlüssel {key_property} '{key}' fehlt")
        name = str(properties.get(name_property) or "").strip()
        entry = layout.setdefault(key, (name, []))
        for polygon in _polygons(feature.get("geometry"), index):
            ring_ids = []
            for ring in polygon:
                if not isinstance(ring, list) or len(ring) < 3:
                    continue
                ring_ids.append(len(ring_lengths))
                ring_lengths.append(len(ring))
                flat.extend(ring)
            if ring_ids:
                entry[1].append(ring_ids)
    if any(len(point) != 2 for point in flat):
        raise SourceFormatError("Koordinaten sind keine Zahlenpaare")
    try:
        values = np.fromiter(
            itertools.chain.from_iterable(flat), dtype=np.float64, count=2 * len(flat)
        )
    except (ValueError, TypeError):
        raise SourceFormatError("Koordinaten sind keine Zahlenpaare") from None
    coords = values.reshape(-1, 2)
    if not np.all(np.isfinite(coords)):
        raise SourceFormatError("Koordinaten enthalten ungültige Zahlen")
    x, y = project(coords[:, 0], coords[:, 1])
    projected = np.column_stack([x, y])
    offsets = np.concatenate([[0], np.cumsum(ring_lengths)]).astype(np.int64)
    rings = [projected[offsets[i] : offsets[i + 1]] for i in range(len(ring_lengths))]
    if ring_lengths:
        ring_min = np.minimum.reduceat(projected, offsets[:-1], axis=0).tolist()
        ring_max = np.maximum.reduceat(projected, offsets[:-1], axis=0).tolist()
    items: dict[str, Boundary] = {}
    for key, (name, polygons) in layout.items():
        parts = tuple(tuple(rings[i] for i in ids) for ids in polygons)
        ids = [i for group in polygons for i in group]
        if ids:
            bbox = (
                min(ring_min[i][0] for i in ids),
                min(ring_min[i][1] for i in ids),
                max(ring_max[i][0] for i in ids),
                max(ring_max[i][1] for i in ids),
            )
        else:
            bbox = (0.0, 0.0, 0.0, 0.0)
        items[key] = Boundary(key, name, parts, bbox)
    keys = tuple(items)
    boxes = np.array([items[k].bbox for k in keys], dtype=np.float64).reshape(-1, 4)
    return BoundarySet(level, attribution, items, _bbox([projected]), keys, boxes)


def _load_json(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceFormatError(f"Datei nicht gefunden: {path}", path=str(path)) from None
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceFormatError(
            f"Datei ist nicht UTF-8-kodiert (Byte {exc.start})", path=str(path)
        ) from None
    except json.JSONDecodeError as exc:
        raise SourceFormatError(f"kein gültiges JSON: {exc.msg}", line=exc.lineno) from None


def to_arrays(bs: BoundarySet) -> dict[str, np.ndarray]:
    """The set as flat arrays (for :mod:`.stored`): points, ring/polygon/item offsets."""
    rings = [ring for b in bs.items.values() for polygon in b.polygons for ring in polygon]
    ring_counts = [len(ring) for ring in rings]
    poly_counts = [len(polygon) for b in bs.items.values() for polygon in b.polygons]
    item_counts = [len(b.polygons) for b in bs.items.values()]

    def offsets(counts: list[int]) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64)

    return {
        "level": np.array(bs.level),
        "attribution": np.array(bs.attribution),
        "keys": np.array(list(bs.items), dtype=str),
        "names": np.array([b.name for b in bs.items.values()], dtype=str),
        "points": np.concatenate(rings) if rings else np.zeros((0, 2)),
        "ring_offsets": offsets(ring_counts),
        "poly_offsets": offsets(poly_counts),
        "item_offsets": offsets(item_counts),
        "boxes": np.array([b.bbox for b in bs.items.values()], dtype=np.float64).reshape(-1, 4),
        "bbox": np.array(bs.bbox, dtype=np.float64),
    }


def from_arrays(a: dict[str, np.ndarray]) -> BoundarySet:
    """The inverse of :func:`to_arrays` (the rings are views into one point array)."""
    points = a["points"]
    ro = a["ring_offsets"].tolist()
    rings = [points[ro[i] : ro[i + 1]] for i in range(len(ro) - 1)]
    po = a["poly_offsets"].tolist()
    polygons = [tuple(rings[po[i] : po[i + 1]]) for i in range(len(po) - 1)]
    io_ = a["item_offsets"].tolist()
    keys = [str(k) for k in a["keys"].tolist()]
    names = [str(n) for n in a["names"].tolist()]
    boxes = a["boxes"]
    box_list = boxes.tolist()
    items = {
        key: Boundary(key, names[i], tuple(polygons[io_[i] : io_[i + 1]]), tuple(box_list[i]))
        for i, key in enumerate(keys)
    }
    x0, y0, x1, y1 = a["bbox"].tolist()
    return BoundarySet(
        str(a["level"]), str(a["attribution"]), items, (x0, y0, x1, y1), tuple(keys), boxes
    )


@functools.lru_cache(maxsize=8)
def _cached(
    path: str, mtime_ns: int, level: str, cache_dir: str | None = None, root: str = ""
) -> BoundarySet:
    if cache_dir is not None:
        return from_arrays(
            stored(
                cache_dir,
                f"boundaries_{level}",
                root=root,
                build=lambda: to_arrays(_cached(path, mtime_ns, level)),
            )
        )
    data = _load_json(Path(path))
    if level == "gemeinde":
        return parse_boundaries(
            data,
            level=level,
            key_property="AGS",
            name_property="name_gv100ad_2023",
            attribution=MUNICIPALITY_ATTRIBUTION,
        )
    return parse_boundaries(
        data, level=level, key_property="ARS", name_property="GEN", attribution=VG5000_ATTRIBUTION
    )


def _read(root: Path, rel: str, level: str, cache_dir: str | Path | None) -> BoundarySet:
    path = root / rel
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise SourceFormatError(f"Datei nicht gefunden: {path}", path=str(path)) from None
    try:
        if cache_dir is None:
            return _cached(str(path), mtime, level)
        return _cached(str(path), mtime, level, str(cache_dir), str(root))
    except SourceFormatError as exc:
        exc.path = str(path)
        raise


def municipality_boundaries(
    data_dir: str | Path, *, cache_dir: str | Path | None = None
) -> BoundarySet:
    """The municipalities (key: 8-digit AGS), parsed once per process (and kept as arrays in
    ``cache_dir`` for the next process, see :mod:`.stored`)."""
    return _read(Path(data_dir), MUNICIPALITY_FILE, "gemeinde", cache_dir)


def district_boundaries(
    data_dir: str | Path, *, cache_dir: str | Path | None = None
) -> BoundarySet:
    """The districts of VG5000 2021 (key: 5-digit ARS = district AGS)."""
    return _read(Path(data_dir), DISTRICT_FILE, "kreis", cache_dir)


def land_boundaries(data_dir: str | Path, *, cache_dir: str | Path | None = None) -> BoundarySet:
    """The 16 Länder of VG5000 2021 (key: 2-digit ARS)."""
    return _read(Path(data_dir), LAND_FILE, "land", cache_dir)


def clear_cache() -> None:
    _cached.cache_clear()


# ----------------------------------------------------------------------------- grid cells


def cells_intersecting(
    boundary: Boundary, x_edges: np.ndarray | list[float], y_edges: np.ndarray | list[float]
) -> np.ndarray:
    """Which cells of a rectangular grid share area with ``boundary``: a boolean
    ``[rows, columns]`` array for the cells ``x_edges[j] … x_edges[j + 1]`` ×
    ``y_edges[i] … y_edges[i + 1]`` (kilometres, both edge lists ascending).

    A cell shares area with the boundary's polygons (holes and several parts included) when an
    edge of any ring passes through the cell's open interior (Liang–Barsky clipping of every
    segment against every cell), or — no edge passing through — when the cell's centre lies
    inside (even–odd rule over all rings, which leaves holes out and counts each part).
    A cell that only touches the boundary along its own border or at a corner does not count.
    """
    xe = np.asarray(x_edges, dtype=np.float64)
    ye = np.asarray(y_edges, dtype=np.float64)
    if xe.ndim != 1 or ye.ndim != 1 or len(xe) < 2 or len(ye) < 2:
        raise ValueError("x_edges and y_edges need at least two values each")
    if np.any(np.diff(xe) <= 0) or np.any(np.diff(ye) <= 0):
        raise ValueError("x_edges and y_edges must be strictly ascending")
    shape = (len(ye) - 1, len(xe) - 1)
    rings = [r for r in boundary.rings if len(r) >= 3]
    if not rings:
        return np.zeros(shape, dtype=bool)
    start = np.concatenate(rings)
    end = np.concatenate([np.roll(r, -1, axis=0) for r in rings])
    keep = np.any(start != end, axis=1)
    start, end = start[keep], end[keep]
    # Cells flattened row by row: lower and upper bounds per axis.
    lo_x, lo_y = (a.ravel() for a in np.meshgrid(xe[:-1], ye[:-1]))
    hi_x, hi_y = (a.ravel() for a in np.meshgrid(xe[1:], ye[1:]))
    crossed = np.zeros(lo_x.size, dtype=bool)
    for first in range(0, len(start), 1024):  # bounded memory: 1,024 segments × cells
        a, b = start[first : first + 1024], end[first : first + 1024]
        t_in = np.zeros((len(a), lo_x.size))
        t_out = np.ones((len(a), lo_x.size))
        for axis, lo, hi in ((0, lo_x, hi_x), (1, lo_y, hi_y)):
            origin = a[:, axis : axis + 1]
            delta = (b[:, axis] - a[:, axis])[:, None]
            moving = delta != 0
            with np.errstate(divide="ignore", invalid="ignore"):
                t_lo = (lo[None, :] - origin) / delta
                t_hi = (hi[None, :] - origin) / delta
            enter = np.where(moving, np.minimum(t_lo, t_hi), -np.inf)
            leave = np.where(moving, np.maximum(t_lo, t_hi), np.inf)
            # A segment parallel to this axis' cell borders passes only strictly between them.
            between = (origin > lo[None, :]) & (origin < hi[None, :])
            enter = np.where(moving | between, enter, np.inf)
            leave = np.where(moving | between, leave, -np.inf)
            t_in = np.maximum(t_in, enter)
            t_out = np.minimum(t_out, leave)
        crossed |= np.any(t_in < t_out, axis=0)
    # Cells no edge passes through lie wholly inside or wholly outside: test their centres.
    cx, cy = (lo_x + hi_x) / 2, (lo_y + hi_y) / 2
    ax, ay = start[:, 0:1], start[:, 1:2]
    bx, by = end[:, 0:1], end[:, 1:2]
    straddles = (ay > cy[None, :]) != (by > cy[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = ax + (cy[None, :] - ay) * (bx - ax) / (by - ay)
    crossings = np.count_nonzero(straddles & (cx[None, :] < x_at), axis=0)
    inside = crossings % 2 == 1
    return (crossed | inside).reshape(shape)
