"""``manage.py import_genesis FILE --code … --name … --attribution …``: load one GENESIS or
Regionalstatistik CSV table (flat or classic) into the data pool — the command-line twin of the
admin upload page. All-or-nothing; problems are printed with their line and the command ends
with exit code 2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ortswandel.datapool.models import Aggregation, Level
from ortswandel.datapool.services.imports import ImportRejected, table_import
from ortswandel.datapool.specs import DL_DE_BY, upload_spec


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' ist kein Datum (JJJJ-MM-TT).", returncode=2) from None


class Command(BaseCommand):
    help = "Lädt eine GENESIS- oder Regionalstatistik-Tabelle (CSV) in den Datenpool."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--code", required=True, help="Kennung des Indikators")
        parser.add_argument("--name", required=True)
        parser.add_argument("--attribution", required=True, help="Quellenvermerk")
        parser.add_argument("--unit", default="")
        parser.add_argument("--definition", default="")
        parser.add_argument("--layout", choices=["auto", "flat", "classic"], default="auto")
        parser.add_argument("--source-table", default="")
        parser.add_argument("--source", default="")
        parser.add_argument("--licence", default=DL_DE_BY)
        parser.add_argument("--reference-date", help="Stand JJJJ-MM-TT (sonst aus der Fußzeile)")
        parser.add_argument("--aggregation", choices=Aggregation.values, default="sum")
        parser.add_argument("--weight", default="", help="Gewichtungsindikator (Mittelwerte)")
        parser.add_argument("--weight-breakdown", default="")
        parser.add_argument(
            "--level", action="append", choices=Level.values, help="Ebenen (Standard: alle)"
        )
        parser.add_argument("--default-region", default="", help="z. B. DG")
        parser.add_argument("--decimal", choices=[",", "."], default=",")
        parser.add_argument("--encoding", choices=["auto", "utf-8", "iso-8859-1"], default="auto")
        parser.add_argument(
            "--incomplete",
            action="store_true",
            help="Tabelle enthält nicht alle Einheiten ihrer Ebene: keine Summen für Kreise",
        )
        parser.add_argument("--territorial-status", help="Gebietsstand JJJJ-MM-TT")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}", returncode=2) from None
        spec = upload_spec(
            file_name=path.name,
            code=options["code"],
            name=options["name"],
            attribution=options["attribution"],
            unit=options["unit"],
            definition=options["definition"],
            layout=options["layout"],
            source_table=options["source_table"],
            source=options["source"],
            licence=options["licence"],
            reference_date=_date(options["reference_date"]),
            aggregation=options["aggregation"],
            weight=options["weight"],
            weight_breakdown=options["weight_breakdown"],
            levels=frozenset(options["level"] or Level.values),
            default_region=options["default_region"] or None,
            decimal=options["decimal"],
            encoding=options["encoding"],
            complete=not options["incomplete"],
            territorial_status=_date(options["territorial_status"]),
        )
        try:
            report = table_import(spec=spec, data=data, file_name=path.name)
        except ImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(exc.message, returncode=2) from None
        counts = report.counts
        self.stdout.write(
            f"{path.name}: {counts.created} neu, {counts.updated} geändert, {counts.deleted} "
            f"entfernt, {counts.unchanged} unverändert ({counts.aggregated} berechnet); "
            f"Indikatoren: {', '.join(report.indicators)}"
        )
        for note in report.notes:
            self.stdout.write(f"  {note}")
