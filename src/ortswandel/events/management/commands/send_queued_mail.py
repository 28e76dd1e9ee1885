"""Send due mails from the queue (run every minute from cron/systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ortswandel.events import mail


class Command(BaseCommand):
    help = "Versendet fällige E-Mails aus der Warteschlange (mit Wiederholung bei Fehlern)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        run = mail.send_due(limit=options["limit"])
        self.stdout.write(f"sent={run.sent} failed={run.failed}")
