"""``manage.py import_municipalities``: load the official register (GV100AD) into the database.

Reads ``gv100ad/GV100AD_<DDMMYY>.txt`` (the newest) from the data directory
(``settings.ORTSWANDEL_DATA_DIR`` or ``--data-dir``), enriched when present with the Zensus 2022
population (``zensus2022/1000A-0000_de_flat.csv``, by ARS) and municipality centroids
(``vg5000/vg5000_gemeinden_centroids_wgs84.csv``, by AGS). Idempotent; all files are parsed and
validated before anything is written, and the write is one transaction. Malformed input ends
with exit code 2 and a message naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format

from ortswandel.core.errors import OrtswandelError
from ortswandel.datapool.selectors import warm_derived
from ortswandel.municipalities import maps
from ortswandel.municipalities.services import ImportReport, municipalities_import
from ortswandel.sources.centroids import read_centroids
from ortswandel.sources.gv100ad import SourceFormatError, read_gv100ad
from ortswandel.sources.zensus import CensusPopulation, read_census_population

CENSUS_FILE = Path("zensus2022") / "1000A-0000_de_flat.csv"
CENTROIDS_FILE = Path("vg5000") / "vg5000_gemeinden_centroids_wgs84.csv"
REGISTER_NAME = re.compile(r"^GV100AD_(\d{2})(\d{2})(\d{2})\.txt$", re.IGNORECASE)


def default_register_file(data_dir: Path) -> Path:
    """The newest ``GV100AD_DDMMYY.txt`` in ``data_dir/gv100ad``."""
    folder = data_dir / "gv100ad"
    candidates: list[tuple[dt.date, Path]] = []
    for path in folder.glob("*.txt") if folder.is_dir() else []:
        match = REGISTER_NAME.match(path.name)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                candidates.append((dt.date(2000 + year, month, day), path))
            except ValueError:
                continue
    if not candidates:
        raise CommandError(
            f"Keine Datei GV100AD_TTMMJJ.txt in {folder} gefunden. Bitte --file oder "
            "--data-dir angeben (siehe SOURCES.md im Datenverzeichnis).",
            returncode=2,
        )
    return max(candidates)[1]


def _fmt(value: int) -> str:
    return number_format(value, force_grouping=True)


class Command(BaseCommand):
    help = (
        "Importiert das amtliche Gemeindeverzeichnis (GV100AD, Destatis) mit Zensus-2022-"
        "Einwohnerzahlen und Gemeindemittelpunkten; mehrfach ausführbar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", help="GV100AD-Datei (Festbreitenformat)")
        parser.add_argument(
            "--data-dir",
            help="Datenverzeichnis (Standard: ORTSWANDEL_DATA_DIR)",
        )
        parser.add_argument("--census-file", help="Zensus-2022-Tabelle 1000A-0000 (flat CSV)")
        parser.add_argument("--centroids-file", help="Gemeindemittelpunkte (ags,lat,lon CSV)")
        parser.add_argument("--no-census", action="store_true", help="Zensus-Zahlen nicht anfassen")
        parser.add_argument(
            "--no-centroids", action="store_true", help="Koordinaten nicht anfassen"
        )
        parser.add_argument(
            "--population-date",
            help="Stichtag der Einwohnerzahlen (JJJJ-MM-TT); Standard: aus dem Gebietsstand",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        population_date = self._population_date(options["population_date"])
        data_dir = Path(options["data_dir"] or settings.ORTSWANDEL_DATA_DIR)
        register_file = Path(options["file"]) if options["file"] else None
        register_file = register_file or default_register_file(data_dir)

        census_file = self._optional(
            options["census_file"], data_dir / CENSUS_FILE, options["no_census"]
        )
        centroids_file = self._optional(
            options["centroids_file"], data_dir / CENTROIDS_FILE, options["no_centroids"]
        )
        try:
            register = read_gv100ad(register_file)
            census: CensusPopulation | None = (
                read_census_population(census_file) if census_file else None
            )
            centroids = read_centroids(centroids_file) if centroids_file else None
        except SourceFormatError as exc:
            where = Path(exc.path).name if exc.path else "Eingabe"
            raise CommandError(f"{where}: {exc}", returncode=2) from None

        try:
            report = municipalities_import(
                register=register,
                census=census,
                centroids=centroids,
                population_date=population_date,
                source=register_file.name,
            )
        except OrtswandelError as exc:
            raise CommandError(exc.message, returncode=2) from None
        self._print(report, time.perf_counter() - started)
        derived = time.perf_counter()
        maps.warm(data_dir)
        warm_derived(data_dir)
        self.stdout.write(
            f"Abgeleitete Daten (Grenzen, Altersstruktur) in {time.perf_counter() - derived:.1f} s."
        )

    def _optional(self, explicit: str | None, default: Path, disabled: bool) -> Path | None:
        if disabled:
            return None
        if explicit:
            return Path(explicit)  # an explicit file must exist: the reader reports it missing
        return default if default.is_file() else None

    def _population_date(self, value: str | None) -> dt.date | None:
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(
                f"--population-date '{value}' ist kein Datum (JJJJ-MM-TT).", returncode=2
            ) from None

    def _print(self, report: ImportReport, seconds: float) -> None:
        self.stdout.write(
            f"Gemeindeverzeichnis {report.source} (Gebietsstand "
            f"{report.reference_date:%d.%m.%Y}, Einwohner {report.population_date:%d.%m.%Y}): "
            f"{_fmt(report.total)} Gemeinden – {_fmt(report.created)} neu, "
            f"{_fmt(report.updated)} geändert, {_fmt(report.unchanged)} unverändert."
        )
        if report.census_matched is not None:
            self.stdout.write(f"Zensus 2022: {_fmt(report.census_matched)} Gemeinden zugeordnet.")
        if report.centroids_matched is not None:
            self.stdout.write(
                f"Gemeindemittelpunkte: {_fmt(report.centroids_matched)} Gemeinden zugeordnet."
            )
        if report.not_in_file:
            self.stdout.write(
                self.style.WARNING(
                    f"{_fmt(report.not_in_file)} Gemeinden im Bestand stehen nicht (mehr) in "
                    "der Datei; sie bleiben erhalten."
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Fertig in {seconds:.1f} s."))
