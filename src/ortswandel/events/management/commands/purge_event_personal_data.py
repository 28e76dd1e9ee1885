"""Anonymise participants' personal data N days after each event (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ortswandel.events import services
from ortswandel.events.services.retention import events_due_for_purge


class Command(BaseCommand):
    help = (
        "Anonymisiert personenbezogene Daten von Anmeldungen nach Ablauf der Aufbewahrungsfrist "
        "(Standard 90 Tage nach der Veranstaltung); Zählwerte bleiben für die Statistik."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="nur anzeigen")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            for event in events_due_for_purge():
                self.stdout.write(f"due: {event.pk} {event.title}")
            return
        result = services.purge_due()
        self.stdout.write(f"events={result['events']} registrations={result['registrations']}")
