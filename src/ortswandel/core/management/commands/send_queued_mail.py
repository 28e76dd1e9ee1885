"""Send due mails from the queue once, by hand (the worker does this every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ortswandel.core import notifications


class Command(BaseCommand):
    help = (
        "Versendet fällige E-Mails aus der Warteschlange (mit Wiederholung bei Fehlern). Der "
        "Hintergrundprozess (run_worker) erledigt das ohnehin jede Minute."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=500, help="mails per run (one connection)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] < 1:
            raise CommandError("--limit must be ≥ 1")
        run = notifications.mail_send_due(limit=options["limit"])
        self.stdout.write(f"sent={run.sent} failed={run.failed} skipped={run.skipped}")
