"""Small crafted boundary files (GeoJSON, WGS 84) laid out like the data directory."""

from __future__ import annotations

import json
from pathlib import Path


def square(lon: float, lat: float, size: float) -> list[list[float]]:
    return [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]


def feature(props: dict, rings: list, multi: bool = False) -> dict:
    geometry = (
        {"type": "MultiPolygon", "coordinates": [[r] for r in rings]}
        if multi
        else {"type": "Polygon", "coordinates": rings}
    )
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write_boundaries(root: Path) -> Path:
    """Three municipalities in Brandenburg (12) and one in Bavaria (09), their districts and
    Länder. The second Brandenburg municipality is a MultiPolygon; the first has a hole; one
    name needs escaping."""
    gem = [
        feature(
            {"ARS": "120700424424", "AGS": "12070424", "name_gv100ad_2023": "Wittenberge, Stadt"},
            [square(11.7, 52.98, 0.1), square(11.73, 53.0, 0.02)],
        ),
        feature(
            {"ARS": "120700000001", "AGS": "12070001", "name_gv100ad_2023": "A & <B>"},
            [square(11.8, 52.98, 0.1), square(11.95, 52.98, 0.05)],
            multi=True,
        ),
        feature(
            {"ARS": "120690000002", "AGS": "12069002", "name_gv100ad_2023": "Stahnsdorf"},
            [square(13.2, 52.38, 0.1)],
        ),
        feature(
            {"ARS": "091840000003", "AGS": "09184003", "name_gv100ad_2023": "Haar"},
            [square(11.7, 48.1, 0.1)],
        ),
    ]
    kreise = [
        feature({"ARS": "12070", "GEN": "Prignitz"}, [square(11.6, 52.9, 0.5)]),
        feature({"ARS": "12069", "GEN": "Potsdam-Mittelmark"}, [square(13.0, 52.2, 0.5)]),
        feature({"ARS": "09184", "GEN": "München"}, [square(11.5, 48.0, 0.5)]),
    ]
    laender = [
        feature({"ARS": "12", "GEN": "Brandenburg"}, [square(11.5, 52.0, 2.5)]),
        feature({"ARS": "12", "GEN": "Brandenburg"}, [square(14.0, 52.0, 0.2)]),  # merged
        feature({"ARS": "09", "GEN": "Bayern"}, [square(10.0, 47.5, 3.0)]),
    ]
    (root / "vg250_zensus2022_simplified").mkdir(parents=True, exist_ok=True)
    (root / "vg5000").mkdir(parents=True, exist_ok=True)
    for name, features in (
        ("vg250_zensus2022_simplified/vg250_gemeinden_simplified_wgs84.geojson", gem),
        ("vg5000/Ebene_Kreise_vg5000_2021_wgs84.geojson", kreise),
        ("vg5000/Ebene_Laender_vg5000_2021_wgs84.geojson", laender),
    ):
        (root / name).write_text(
            json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
        )
    return root
