"""Reader for municipality centroids (``ags,gen,lat,lon,…`` CSV in WGS 84 degrees).

The file ``vg5000/vg5000_gemeinden_centroids_wgs84.csv`` in the data directory is derived from
BKG VG5000 (© GeoBasis-DE / BKG 2021, Daten verändert). Pure Python; raises
:class:`~ortswandel.sources.gv100ad.SourceFormatError` with the line number when malformed.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from .gv100ad import SourceFormatError

#: Generous bounding box of Germany (degrees); a centroid outside it is a data error.
LAT_RANGE = (47.0, 55.5)
LON_RANGE = (5.5, 15.5)


def read_centroids(path: str | Path) -> dict[str, tuple[float, float]]:
    """``{ags: (latitude, longitude)}`` in degrees (WGS 84)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise SourceFormatError(f"Datei nicht gefunden: {path}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise SourceFormatError(
            f"Datei ist nicht UTF-8-kodiert (Byte {exc.start})", path=str(path)
        ) from None
    try:
        return parse_centroids(text)
    except SourceFormatError as exc:
        exc.path = str(path)
        raise


def _coordinate(raw: str, *, name: str, bounds: tuple[float, float], lineno: int) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SourceFormatError(f"{name} '{raw}' ist keine Zahl", line=lineno) from None
    if not math.isfinite(value) or not bounds[0] <= value <= bounds[1]:
        raise SourceFormatError(
            f"{name} {raw} liegt nicht in Deutschland ({bounds[0]} bis {bounds[1]} Grad)",
            line=lineno,
        )
    return value


def parse_centroids(text: str) -> dict[str, tuple[float, float]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("ags", "lat", "lon") if c not in (reader.fieldnames or [])]
    if missing:
        raise SourceFormatError("Spalte(n) fehlen in der Kopfzeile: " + ", ".join(missing), line=1)
    result: dict[str, tuple[float, float]] = {}
    for row in reader:
        lineno = reader.line_num
        ags = (row["ags"] or "").strip()
        if not ags and not (row["lat"] or "").strip():
            continue
        if len(ags) != 8 or not ags.isascii() or not ags.isdigit():
            raise SourceFormatError(f"AGS '{ags}' ist keine 8-stellige Zahl", line=lineno)
        if ags in result:
            raise SourceFormatError(f"AGS '{ags}' kommt doppelt vor", line=lineno)
        lat = _coordinate(row["lat"] or "", name="Breite", bounds=LAT_RANGE, lineno=lineno)
        lon = _coordinate(row["lon"] or "", name="Länge", bounds=LON_RANGE, lineno=lineno)
        result[ags] = (lat, lon)
    return result
