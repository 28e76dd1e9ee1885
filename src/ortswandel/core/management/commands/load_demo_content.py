"""``manage.py load_demo_content``: real demo content plus two clearly marked demo accounts.

Run after ``migrate`` and ``import_municipalities`` (the Makefile's ``demo-data`` target does).
Idempotent: running it again updates the same rows.

The content is data (``<app>/demo/*.yaml``), loaded by the apps' own loaders, which this command
finds through the app registry (:mod:`ortswandel.core.demo`): ``core`` imports no app. Order:
the demo accounts (so that the content can name its editors), then the content loaders in
``INSTALLED_APPS`` order (catalogue, then events), in one transaction, inside the apps'
``demo_context`` (search indexing paused, the index rebuilt once after the commit). A malformed
data file stops the command (exit code 2) with nothing loaded.

Demo accounts (``Profile.is_demo``; "(Demo)" in their names; see ``accounts/demo/accounts.yaml``):

* ``admin`` — site administrator (superuser);
* ``redaktion`` — programme editor for "Kommunen innovativ".

Their password is ``ORTSWANDEL_DEMO_PASSWORD`` or, when that is unset, ``DEFAULT_DEMO_PASSWORD``
below. In production (``ORTSWANDEL_ENV=production``) accounts are only created when
``ORTSWANDEL_DEMO_PASSWORD`` is set explicitly.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse

from ortswandel.core import versions
from ortswandel.core.demo import DemoDataError, demo_hooks

DEFAULT_DEMO_PASSWORD = "ortswandel-demo"  # noqa: S105 (documented demo default, not a secret)


def demo_password() -> str:
    return settings.ORTSWANDEL_DEMO_PASSWORD or DEFAULT_DEMO_PASSWORD


class Command(BaseCommand):
    help = "Lädt die Demo-Inhalte (reale Programme und Projekte) und legt Demo-Konten an."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-accounts", action="store_true", help="Keine Demo-Konten anlegen.")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Adresse des Servers für die ausgegebenen Anmelde-Links.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with_accounts = not options["no_accounts"]
        if with_accounts and settings.PRODUCTION and not settings.ORTSWANDEL_DEMO_PASSWORD:
            raise CommandError(
                "In der Produktion werden Demo-Konten nur mit gesetztem "
                "ORTSWANDEL_DEMO_PASSWORD angelegt (oder --no-accounts verwenden)."
            )
        password = demo_password()
        users: list[Any] = []
        try:
            with ExitStack() as stack:
                for _label, context in demo_hooks("demo_context"):
                    stack.enter_context(context())
                stack.enter_context(transaction.atomic())  # all or nothing; closed first
                if with_accounts:
                    for _label, create in demo_hooks("demo_accounts"):
                        users.extend(create(password=password))
                for _label, load in demo_hooks("demo_loader"):
                    load(stdout=self.stdout)
        except DemoDataError as exc:
            raise CommandError(f"Fehlerhafte Demo-Daten: {exc}", returncode=2) from exc
        # Derived data once: cached pages and facets see the new content on every worker.
        versions.bump_content_version(versions.CATALOGUE, versions.EVENTS)
        if with_accounts:
            self._report_accounts(users, password, options["base_url"].rstrip("/"))

    def _report_accounts(self, users: list[Any], password: str, base: str) -> None:
        self.stdout.write(self.style.SUCCESS("Demo-Konten (als Demo-Daten markiert):"))
        for user in users:
            role = getattr(user, "demo_role", None) or (
                "Website-Administration" if user.is_superuser else "Programmredaktion"
            )
            self.stdout.write(f"  {role}: Benutzername {user.username!r}, Passwort {password!r}")
        if password == DEFAULT_DEMO_PASSWORD:
            self.stdout.write(
                "  (Standardpasswort; mit ORTSWANDEL_DEMO_PASSWORD ein eigenes setzen.)"
            )
        self.stdout.write(f"Anmelden: {base}{reverse('accounts:login')}")
        self.stdout.write(f"Verwaltung: {base}{reverse('admin:index')}")
