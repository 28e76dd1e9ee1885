"""All official tables the scenario builder uses, read once from the data directory.

:class:`OfficialData` reads each file on first use (and keeps it); :func:`official_data`
returns one instance per directory. Every file has a :class:`Source` entry (table, file,
attribution as required by dl-de/by-2-0) so that a result can list exactly what it used.
Files and attributions are described in ``SOURCES.md`` of the data directory.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .genesis import (
    SingleYearTable,
    read_germany_by_sex,
    read_germany_total,
    read_laender_by_sex,
    read_laender_total,
    read_text,
)
from .lifetables import read_destatis_life_tables
from .regionalstatistik import DistrictHistory, read_district_history
from .stored import stored
from .vital import AgeSpecificFertility, Deaths, read_asfr, read_deaths, read_tfr

__all__ = [
    "FILES",
    "DataMissingError",
    "OfficialData",
    "Source",
    "de_number",
    "official_data",
]


def de_number(value: float, digits: int = 0) -> str:
    """A number as German text: ``1234567.5 -> "1.234.567,5"`` (for estimate labels)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@dataclass(frozen=True)
class Source:
    """One official table used for a result."""

    key: str
    table: str
    title: str
    file: str
    attribution: str

    def as_dict(self) -> dict[str, str]:
        return {
            "key": self.key,
            "table": self.table,
            "title": self.title,
            "file": self.file,
            "attribution": self.attribution,
        }


_DESTATIS = "Datenquelle: Statistisches Bundesamt (Destatis), {t}, dl-de/by-2-0 (Daten verändert)"
_REGIO = (
    "© Statistische Ämter des Bundes und der Länder, Deutschland, {t}, dl-de/by-2-0 "
    "(Daten verändert)"
)

#: key -> (relative path, table, title, attribution template)
FILES: dict[str, tuple[str, str, str, str]] = {
    "gv100ad": (
        "gv100ad/gv100ad_20231130_gemeinden.csv",
        "GV100AD",
        "Gemeindeverzeichnis, Stand 30.11.2023 (Bevölkerung 31.12.2022)",
        _DESTATIS,
    ),
    "districts": (
        "regionalstatistik_kreise/destatis_12411-0018_tidy_utf8.csv",
        "12411-0018",
        "Bevölkerung: Kreise, Stichtag, Geschlecht, Altersgruppen",
        _REGIO,
    ),
    "germany_by_sex": (
        "destatis_bevoelkerung_altersjahre/"
        "destatis_12411-0006_deutschland_geschlecht_altersjahre_1970-2021.csv",
        "12411-0006",
        "Bevölkerung: Deutschland, Stichtag, Altersjahre, Geschlecht",
        _DESTATIS,
    ),
    "germany_total": (
        "destatis_bevoelkerung_altersjahre/destatis_12411-0005_deutschland_altersjahre_1970-2023.csv",
        "12411-0005",
        "Bevölkerung: Deutschland, Stichtag, Altersjahre",
        _DESTATIS,
    ),
    "laender_by_sex": (
        "destatis_bevoelkerung_altersjahre/"
        "destatis_12411-0013_laender_geschlecht_altersjahre_2015-2021.csv",
        "12411-0013",
        "Bevölkerung: Bundesländer, Stichtag, Geschlecht, Altersjahre",
        _DESTATIS,
    ),
    "laender_total": (
        "destatis_bevoelkerung_altersjahre/destatis_12411-0012_laender_altersjahre_1967-2023.csv",
        "12411-0012",
        "Bevölkerung: Bundesländer, Stichtag, Altersjahre",
        _DESTATIS,
    ),
    "deaths": (
        "destatis_sterbefaelle/destatis_12613-0003_deutschland_gestorbene_geschlecht_altersjahre_1956-2022.csv",
        "12613-0003",
        "Gestorbene: Deutschland, Jahre, Geschlecht, Altersjahre",
        _DESTATIS,
    ),
    "tfr_laender": (
        "destatis_geburten/destatis_12612-0104_zusammengefasste_geburtenziffer_laender_1991-2025_flat.csv",
        "12612-0104",
        "Zusammengefasste Geburtenziffern: Bundesländer, Jahre",
        _DESTATIS,
    ),
    "tfr_germany": (
        "destatis_geburten/destatis_12612-0009_zusammengefasste_geburtenziffer_deutschland_1972-2025_flat.csv",
        "12612-0009",
        "Zusammengefasste Geburtenziffern: Deutschland, Jahre",
        _DESTATIS,
    ),
    "asfr": (
        "destatis_geburten/destatis_12612-0008_geburtenziffern_je_1000_frauen_altersjahre_deutschland_1972-2024.csv",
        "12612-0008",
        "Geburtenziffern je 1000 Frauen: Deutschland, Jahre, Altersjahre",
        _DESTATIS,
    ),
    "projection": (
        "destatis_vorausberechnung/destatis_12421-0002_15kbv_variante1_G2L2W1_geschlecht_altersjahre_2022-2070.csv",
        "12421-0002",
        "15. koordinierte Bevölkerungsvorausberechnung (Annahmen zum Wanderungssaldo)",
        _DESTATIS,
    ),
}
_LIFE_TABLE = "sterbetafeln/destatis_12621-0001_sterbetafel_{first}-{last}.csv"


class DataMissingError(FileNotFoundError):
    """A file the builder needs is not in the data directory."""


class OfficialData:
    """Lazy reader of the official files in one data directory.

    ``cache_dir``: where derived arrays are kept between processes (:mod:`.stored`); ``None``
    keeps them in this process only."""

    def __init__(self, root: str | Path, cache_dir: str | Path | None = None) -> None:
        self.root = Path(root)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._cache: dict[str, Any] = {}

    def path(self, key: str) -> Path:
        p = self.root / FILES[key][0]
        if not p.exists():
            raise DataMissingError(
                f"{p} is missing; set ORTSWANDEL_DATA_DIR to the directory with SOURCES.md"
            )
        return p

    def has(self, key: str) -> bool:
        return (self.root / FILES[key][0]).exists()

    def source(self, key: str, years: str = "") -> Source:
        rel, table, title, attribution = FILES[key]
        label = f"GENESIS {table}" if table[0].isdigit() else table
        return Source(
            key,
            table,
            title + (f", {years}" if years else ""),
            rel,
            attribution.format(t=label),
        )

    def cached(self, key: str, factory: Any) -> Any:
        """``factory()`` computed once per instance (for derived data such as estimates)."""
        if key not in self._cache:
            self._cache[key] = factory()
        return self._cache[key]

    def _get(self, key: str, reader: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = reader(self.path(key))
        return self._cache[key]

    @property
    def districts(self) -> DistrictHistory:
        def read() -> DistrictHistory:
            arrays = stored(
                self.cache_dir,
                "district_history",
                root=self.root,
                build=lambda: _history_arrays(read_district_history(self.path("districts"))),
            )
            return DistrictHistory(
                years=tuple(int(y) for y in arrays["years"].tolist()),
                ags5=tuple(str(k) for k in arrays["ags5"].tolist()),
                names=tuple(str(n) for n in arrays["names"].tolist()),
                counts=arrays["counts"],
                group_starts=tuple(int(g) for g in arrays["group_starts"].tolist()),
            )

        result: DistrictHistory = self.cached("districts", read)
        return result

    @property
    def germany_by_sex(self) -> SingleYearTable:
        return self._get("germany_by_sex", read_germany_by_sex)

    @property
    def germany_total(self) -> SingleYearTable:
        return self._get("germany_total", read_germany_total)

    @property
    def laender_by_sex(self) -> SingleYearTable:
        return self._get("laender_by_sex", read_laender_by_sex)

    @property
    def laender_total(self) -> SingleYearTable:
        return self._get("laender_total", read_laender_total)

    @property
    def deaths(self) -> Deaths:
        return self._get("deaths", read_deaths)

    @property
    def tfr_laender(self) -> dict[str, dict[int, float]]:
        return self._get("tfr_laender", read_tfr)

    @property
    def tfr_germany(self) -> dict[int, float]:
        return self._get("tfr_germany", read_tfr)["DG"]

    @property
    def asfr(self) -> AgeSpecificFertility:
        return self._get("asfr", read_asfr)

    @property
    def municipalities(self) -> list[dict[str, str]]:
        def read(p: Path) -> list[dict[str, str]]:
            with p.open(encoding="utf-8", newline="") as fh:
                return list(csv.DictReader(fh))

        return self._get("gv100ad", read)

    @property
    def migration_variants(self) -> dict[str, tuple[int, float, int, float]]:
        """Net-migration assumptions of the 15th coordinated projection from the table's
        footnote: ``{"W1": (2022, 1_100_000, 2033, 150_000), ..., "W0": zero}``."""
        return self._get("projection", _read_variants)

    def life_table_file(self, first: int, last: int) -> Path | None:
        p = self.root / _LIFE_TABLE.format(first=first, last=last)
        return p if p.exists() else None

    def published_life_table(self, first: int, last: int) -> dict[str, Any] | None:
        p = self.life_table_file(first, last)
        if p is None:
            return None
        key = f"life_table_{first}_{last}"
        if key not in self._cache:
            self._cache[key] = read_destatis_life_tables(p)
        return self._cache[key]

    def life_table_source(self, first: int, last: int) -> Source:
        return Source(
            f"life_table_{first}_{last}",
            "12621-0001",
            f"Sterbetafel {first}/{last}",
            _LIFE_TABLE.format(first=first, last=last),
            _DESTATIS.format(t="GENESIS 12621-0001"),
        )


def _history_arrays(h: DistrictHistory) -> dict[str, Any]:
    return {
        "years": np.array(h.years),
        "ags5": np.array(h.ags5),
        "names": np.array(h.names),
        "counts": h.counts,
        "group_starts": np.array(h.group_starts),
    }


_VARIANT = re.compile(
    r"(W\d): Rückgang von ([\d,]+) Mill\. in (\d{4}) auf ([\d.]+) in (\d{4})", re.DOTALL
)


def _read_variants(path: Path) -> dict[str, tuple[int, float, int, float]]:
    text = " ".join(read_text(path).split())
    out = {
        m.group(1): (
            int(m.group(3)),
            float(m.group(2).replace(",", ".")) * 1e6,
            int(m.group(5)),
            float(m.group(4).replace(".", "")),
        )
        for m in _VARIANT.finditer(text)
    }
    if "W0: Wanderungssaldo Null" in text and out:
        first = min(v[0] for v in out.values())
        last = max(v[2] for v in out.values())
        out["W0"] = (first, 0.0, last, 0.0)
    return out


def official_data(root: str | Path, *, cache_dir: str | Path | None = None) -> OfficialData:
    """One :class:`OfficialData` per data directory (``settings.ORTSWANDEL_DATA_DIR``, or
    :func:`ortswandel.core.env.data_dir` outside Django) and derived-array directory
    (``settings.ORTSWANDEL_DERIVED_DIR`` in the web application)."""
    return _official_data(Path(root), Path(cache_dir) if cache_dir is not None else None)


@functools.lru_cache(maxsize=4)
def _official_data(root: Path, cache_dir: Path | None) -> OfficialData:
    return OfficialData(root, cache_dir)
