"""Record a bounce or complaint for an address: ``manage.py newsletter_suppress a@b.de bounce``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ortswandel.core.errors import OrtswandelError
from ortswandel.newsletter import services


class Command(BaseCommand):
    help = "Stop newsletter delivery to an address after a bounce or complaint (kept hashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("reason", choices=["bounce", "complaint"])

    def handle(self, *args: Any, **options: Any) -> None:
        if "@" not in options["email"]:
            raise CommandError("not an e-mail address")
        try:
            services.suppression_record(
                email=options["email"], reason=options["reason"], source="command"
            )
        except OrtswandelError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"suppressed ({options['reason']})")
