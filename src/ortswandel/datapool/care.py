"""Where persons in need of care are cared for, per district (Pflegestatistik, Regionalstatistik
22411-02-03-4 "Pflegebedürftige nach Leistungsart und Geschlecht", Kreise).

The file is the one the data pool imports (:data:`~ortswandel.datapool.catalog.CATALOG`, key
``22411-02-03-4``) and is read with the same GENESIS reader
(:func:`~ortswandel.datapool.genesis.classic.parse_classic`), so the split shown in the planning
workspace and the figures of the data pool cannot diverge. It is read from the data directory,
not from the database: the workspace works before ``import_datapool`` has run.

Split, latest year in the file, both sexes:

* ``care_residential`` — Pflegebedürftige der Pflegeheime, vollstationär / Pflegebedürftige
* ``care_ambulatory`` — ambulante Pflege (Pflegedienste) / Pflegebedürftige
* ``care_home`` — the rest: cared for at home without a Pflegedienst (Pflegegeld recipients,
  and persons in Pflegegrad 1 with only landesrechtliche or no benefits)

A district whose figures are suppressed (``x``, ``.``) or missing (Berlin's and Hamburg's
Bezirke: the city is a Land) falls back to its Land, then to Germany; :attr:`CareSplit.level`
says whose figure is used. The split is the district's (or Land's) figure applied to the
municipality: an estimate, labelled as such by :attr:`CareSplit.label`.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ortswandel.sources.stored import stored

from .catalog import catalog_by_key
from .genesis.classic import parse_classic
from .genesis.table import ParsedTable, decode

__all__ = ["CARE_KEYS", "CARE_TABLE", "CareError", "CareSplit", "care_split"]

CARE_TABLE = "22411-02-03-4"
TOTAL = "pflegebeduerftige"
AMBULANT = "ambulante-pflege"
RESIDENTIAL = "pflegebeduerftige-der-pflegeheime-vollstationaer"
#: Workspace facility keys, in the order of :data:`ortswandel.planning.assumptions.CAPACITY_FIELDS`.
CARE_KEYS = ("care_home", "care_ambulatory", "care_residential")
_LEVELS = {5: "Kreis", 2: "Land"}


class CareError(LookupError):
    """The care table is missing from the data directory or has no usable Germany figure."""


@dataclass(frozen=True)
class CareSplit:
    """Shares of the persons in need of care by kind of care, and whose figures they are.

    ``shares``: ``{care_home, care_ambulatory, care_residential}`` → share (sums to 1).
    ``counts``: the persons behind them (``total``, ``ambulant``, ``residential``).
    ``level``: ``Kreis``, ``Land`` or ``Deutschland``; ``region``/``name``: its code and name;
    ``year``: the reference year (31.12.).
    """

    shares: dict[str, float]
    counts: dict[str, float]
    level: str
    region: str
    name: str
    year: int
    attribution: str
    source: str

    @property
    def label(self) -> str:
        """German text for the page and the exports: source, table, year, licence, estimate."""
        shares = ", ".join(
            f"{what} {_pct(self.shares[key])}"
            for key, what in zip(
                CARE_KEYS,
                ("zu Hause ohne Pflegedienst", "ambulant", "vollstationär"),
                strict=True,
            )
        )
        whose = {"Kreis": "des Kreises", "Land": "des Landes"}.get(self.level, "")
        region = f"{whose} {self.name}".strip() if whose else "Deutschlands"
        return (
            f"Aufteilung nach Versorgungsart {region} am 31.12.{self.year} ({shares}), "
            f"auf die Gemeinde übertragen (Schätzung). Quelle: {self.source}, Pflegestatistik "
            f"{self.year}; {self.attribution}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "shares": dict(self.shares),
            "counts": dict(self.counts),
            "level": self.level,
            "region": self.region,
            "name": self.name,
            "year": self.year,
            "table": CARE_TABLE,
            "attribution": self.attribution,
            "source": self.source,
            "label": self.label,
        }


def _pct(share: float) -> str:
    return f"{100 * share:.1f} %".replace(".", ",")


def _path(root: str | Path) -> Path:
    return Path(root) / catalog_by_key()[CARE_TABLE].path


def _parse(path: Path) -> ParsedTable:
    text, encoding = decode(path.read_bytes(), catalog_by_key()[CARE_TABLE].encoding)
    return parse_classic(text, encoding=encoding)


_MEASURES = (TOTAL, AMBULANT, RESIDENTIAL)


def _region_arrays(path: Path) -> dict[str, np.ndarray]:
    """Latest year; per region its code, name and the persons ``[total, ambulant,
    residential]`` of both sexes (NaN where suppressed or missing)."""
    table = _parse(path)
    year = max(c.period.date.year for c in table.cells if c.measure == TOTAL)
    order: dict[str, int] = {}
    names: list[str] = []
    cells: list[tuple[int, int, float]] = []
    for c in table.cells:
        if c.period.date.year != year or c.breakdown or c.region is None:
            continue
        if c.measure not in _MEASURES:
            continue
        row = order.setdefault(c.region, len(order))
        if row == len(names):
            names.append(c.region_name.strip())
        if c.value is not None and c.sign in ("", "-"):
            cells.append((row, _MEASURES.index(c.measure), c.value))
    values = np.full((len(order), len(_MEASURES)), np.nan)
    for row, col, value in cells:
        values[row, col] = value
    return {
        "year": np.array(year),
        "regions": np.array(list(order), dtype=str),
        "names": np.array(names, dtype=str),
        "values": values,
    }


@functools.lru_cache(maxsize=4)
def _regions(
    path: Path, stamp: int, root: Path, cache_dir: Path | None
) -> tuple[int, dict[str, dict[str, float]], dict[str, str]]:
    """(latest year, region → {measure: persons}, region → name); a suppressed or missing
    cell leaves its measure out. Kept as arrays in ``cache_dir`` between processes."""
    arrays = stored(cache_dir, "care_22411-02-03-4", root=root, build=lambda: _region_arrays(path))
    regions = [str(r) for r in arrays["regions"].tolist()]
    values: dict[str, dict[str, float]] = {}
    for region, row in zip(regions, arrays["values"].tolist(), strict=True):
        values[region] = {m: v for m, v in zip(_MEASURES, row, strict=True) if not math.isnan(v)}
    names = dict(zip(regions, (str(n) for n in arrays["names"].tolist()), strict=True))
    return int(arrays["year"]), values, names


def care_split(
    *, kreis: str, root: str | Path | None = None, cache_dir: str | Path | None = None
) -> CareSplit:
    """The split of district ``kreis`` (5-digit key), else of its Land, else of Germany.

    ``root``: the data directory (default ``ORTSWANDEL_DATA_DIR``); ``cache_dir``: where the
    figures are kept between processes (:mod:`ortswandel.sources.stored`; ``None``: not)."""
    if root is None:
        from django.conf import settings

        root = settings.ORTSWANDEL_DATA_DIR
    path = _path(root)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise CareError(f"{path} is missing; the care split needs table {CARE_TABLE}") from None
    year, values, names = _regions(
        path, stamp, Path(root), Path(cache_dir) if cache_dir is not None else None
    )
    spec = catalog_by_key()[CARE_TABLE]
    for region in (kreis, kreis[:2], "DG"):
        row = values.get(region, {})
        total = row.get(TOTAL, 0.0)
        if total <= 0 or AMBULANT not in row or RESIDENTIAL not in row:
            continue
        ambulant, residential = row[AMBULANT], row[RESIDENTIAL]
        return CareSplit(
            shares={
                "care_home": (total - ambulant - residential) / total,
                "care_ambulatory": ambulant / total,
                "care_residential": residential / total,
            },
            counts={"total": total, "ambulant": ambulant, "residential": residential},
            level="Deutschland" if region == "DG" else _LEVELS[len(region)],
            region=region,
            name=names.get(region, region),
            year=year,
            attribution=spec.attribution,
            source=spec.source,
        )
    raise CareError(f"{path}: no usable figures for {kreis}, its Land or Germany in {year}")
