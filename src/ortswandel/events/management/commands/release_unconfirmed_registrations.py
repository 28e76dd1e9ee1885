"""Release seats of registrations not confirmed in time and promote from the waiting list."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ortswandel.events import services


class Command(BaseCommand):
    help = "Gibt Plätze unbestätigter Anmeldungen frei und lässt die Warteliste nachrücken."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"released={services.registrations_release_unconfirmed()}")
