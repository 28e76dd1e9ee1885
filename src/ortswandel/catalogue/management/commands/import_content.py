"""``manage.py import_content``: import the collected public facts (``facts.json``).

Reads ``facts.json`` from ``settings.ORTSWANDEL_CONTENT_DIR`` (or ``--path``, a file or a
directory) through :func:`ortswandel.catalogue.content_import.import_content`: one transaction,
idempotent (a second run changes nothing). A file that cannot be read or does not fit loads
nothing and ends with exit code 2 and the reason. Model municipalities that could not be matched
to the official register are listed, never guessed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ortswandel.catalogue.content_import import ContentImportError, import_content


class Command(BaseCommand):
    help = "Importiert die belegten Fakten (facts.json) in das Wissensportal; wiederholbar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path",
            type=Path,
            default=None,
            help="facts.json oder ihr Verzeichnis (Standard: ORTSWANDEL_CONTENT_DIR)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"] or Path(settings.ORTSWANDEL_CONTENT_DIR)
        try:
            report = import_content(path=path)
        except ContentImportError as exc:
            raise CommandError(f"Nichts importiert: {exc}", returncode=2) from None
        created = ", ".join(f"{k} {v}" for k, v in sorted(report.created.items())) or "keine"
        self.stdout.write(
            f"Fakten importiert: {report.records} Records, {report.changed} Änderungen "
            f"(neu: {created})."
        )
        if report.skipped:
            skipped = ", ".join(f"{k} {v}" for k, v in sorted(report.skipped.items()))
            self.stdout.write(f"Nicht übernommen (kein passendes Modell): {skipped}.")
        if report.inferred_land:
            self.stdout.write(
                f"Zugeordnet, Land nicht in der Quelle genannt ({len(report.inferred_land)}):"
            )
            for line in report.inferred_land:
                self.stdout.write(f"  {line}")
        if report.unresolved:
            self.stdout.write(
                f"Nicht zugeordnete Orte ({len(report.unresolved)}; bitte redaktionell prüfen):"
            )
            for place in report.unresolved:
                self.stdout.write(
                    f"  {place.project}: {place.name} ({place.land or '?'}) – {place.reason}"
                )
