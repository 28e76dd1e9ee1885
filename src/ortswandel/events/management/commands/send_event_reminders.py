"""Queue reminders before events and follow-ups with materials after them (run hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ortswandel.events import services


class Command(BaseCommand):
    help = "Verschickt fällige Erinnerungen und Nachbereitungs-E-Mails mit Materialien."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-followups", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        reminders = services.reminders_send_due()
        followups = 0 if options["no_followups"] else services.followups_send_due()
        self.stdout.write(f"reminders={reminders} followups={followups}")
