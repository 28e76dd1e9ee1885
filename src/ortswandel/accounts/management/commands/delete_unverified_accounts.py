"""Delete accounts whose e-mail address was never confirmed (DSGVO data minimisation; daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ortswandel.accounts import conf, services


class Command(BaseCommand):
    help = (
        "Löscht Konten, deren E-Mail-Adresse nicht innerhalb der Frist bestätigt wurde "
        "(Standard: ORTSWANDEL_ACCOUNTS_UNVERIFIED_DAYS = 7 Tage nach der Registrierung). "
        "Von der Verwaltung deaktivierte Konten bleiben unberührt."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Frist in Tagen (Standard: ORTSWANDEL_ACCOUNTS_UNVERIFIED_DAYS)",
        )
        parser.add_argument("--dry-run", action="store_true", help="nur zählen, nichts löschen")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else conf.unverified_days()
        if days < 1:
            raise CommandError("--days must be at least 1")
        count = services.unverified_users_delete(older_than_days=days, dry_run=options["dry_run"])
        label = "due" if options["dry_run"] else "deleted"
        self.stdout.write(f"{label}={count} older_than_days={days}")
