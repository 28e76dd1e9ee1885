"""``manage.py import_datapool``: load every official file of the data directory into the pool.

Order: spatial units from the GV100AD register and the recorded territorial changes, the
register's population and area, then the tables of :mod:`ortswandel.datapool.catalog` (census
2022, district tables, single-year national and Land population, births, deaths, the
coordinated population projection with its assumptions, life tables). Each file is one
transaction and idempotent; a broken file loads nothing, its problems are printed with line
numbers, the others are still loaded, and the command ends with exit code 2.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ortswandel.core.errors import OrtswandelError
from ortswandel.datapool.catalog import CATALOG, GV100AD_SPEC
from ortswandel.datapool.genesis.gv100ad import read_register_units, register_values_table
from ortswandel.datapool.selectors import warm_derived
from ortswandel.datapool.services.imports import (
    ImportRejected,
    ImportReport,
    import_parsed,
    table_import,
)
from ortswandel.datapool.services.index import UnitIndex
from ortswandel.datapool.services.units import (
    load_default_changes,
    read_changes,
    spatial_units_import,
    territorial_changes_import,
)
from ortswandel.sources.gv100ad import SourceFormatError


def default_register_file(data_dir: Path) -> Path:
    """The newest ``gv100ad/GV100AD_<DDMMYY>.txt`` of the data directory."""
    dated = []
    for path in (data_dir / "gv100ad").glob("GV100AD_*.txt"):
        stem = path.stem.split("_", 1)[1]
        if len(stem) == 6 and stem.isdigit():
            dated.append((stem[4:6] + stem[2:4] + stem[0:2], path))
    if not dated:
        raise CommandError(
            f"Keine Datei GV100AD_TTMMJJ.txt in {data_dir / 'gv100ad'} gefunden "
            "(siehe SOURCES.md im Datenverzeichnis).",
            returncode=2,
        )
    return max(dated)[1]


class Command(BaseCommand):
    help = (
        "Lädt alle amtlichen Dateien des Datenverzeichnisses in den Datenpool "
        "(Gebietseinheiten, Zensus 2022, Kreistabellen, Bevölkerung, Geburten, Sterbefälle, "
        "Vorausberechnung, Sterbetafeln); mehrfach ausführbar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", help="Datenverzeichnis (Standard: ORTSWANDEL_DATA_DIR)")
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            help="nur diese Tabellen (Schlüssel wie 12411-0018; mehrfach möglich)",
        )
        parser.add_argument("--changes", help="weitere Gebietsänderungen (CSV, siehe Handbuch)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        data_dir = Path(options["data_dir"] or settings.ORTSWANDEL_DATA_DIR)
        register_file = default_register_file(data_dir)
        try:
            units = read_register_units(register_file)
        except SourceFormatError as exc:
            raise CommandError(f"{register_file.name}: {exc}", returncode=2) from None
        try:
            report = spatial_units_import(units=units, source=register_file.name)
            load_default_changes()
            if options["changes"]:
                path = Path(options["changes"])
                territorial_changes_import(rows=read_changes(path.read_text(encoding="utf-8")))
        except (OrtswandelError, OSError) as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(
            f"Gebietseinheiten ({register_file.name}, Gebietsstand "
            f"{report.reference_date:%d.%m.%Y}): {report.created} neu, {report.updated} "
            f"geändert, {report.unchanged} unverändert, {report.retired} nicht mehr im Verzeichnis."
        )
        index = UnitIndex.load()
        failures: list[str] = []
        only = set(options["only"])
        if not only or "gv100ad" in only:
            spec = replace(GV100AD_SPEC, territorial_status=units.reference_date)
            self._run(
                failures,
                spec.key,
                lambda: import_parsed(
                    spec=spec,
                    parsed=register_values_table(units),
                    file_name=register_file.name,
                    sha="",
                    index=index,
                ),
            )
        for spec in CATALOG:
            if only and spec.key not in only:
                continue
            path = data_dir / spec.path
            if not path.is_file():
                self.stdout.write(
                    self.style.WARNING(f"{spec.key}: {spec.path} fehlt, übersprungen.")
                )
                continue
            self._run(
                failures,
                spec.key,
                lambda spec=spec, path=path: table_import(
                    spec=spec, data=path.read_bytes(), file_name=path.name, index=index
                ),
            )
        derived = warm_derived(data_dir)
        self.stdout.write(f"Abgeleitete Daten (Altersstruktur der Gemeinden) in {derived:.1f} s.")
        seconds = time.perf_counter() - started
        if failures:
            raise CommandError(
                f"Nicht importiert: {', '.join(failures)} (nach {seconds:.1f} s).", returncode=2
            )
        self.stdout.write(self.style.SUCCESS(f"Datenpool geladen in {seconds:.1f} s."))

    def _run(self, failures: list[str], key: str, work: Any) -> None:
        try:
            report: ImportReport = work()
        except ImportRejected as exc:
            failures.append(key)
            self.stderr.write(self.style.ERROR(f"{key}: {exc.message}"))
            for problem in exc.problems[:20]:
                self.stderr.write(f"  {problem}")
            return
        counts = report.counts
        self.stdout.write(
            f"{key}: {counts.created} neu, {counts.updated} geändert, {counts.deleted} entfernt, "
            f"{counts.unchanged} unverändert ({counts.aggregated} berechnet) in "
            f"{report.seconds:.1f} s"
        )
        for note in report.notes:
            self.stdout.write(f"  {note}")
