"""``manage.py load_demo_content``: real demo content plus two clearly marked demo accounts.

Run after ``migrate`` and ``import_municipalities`` (the Makefile's ``demo-data`` target does).
Idempotent: running it again updates the same rows. The content modules are run in order:
``ortswandel.catalogue.demo`` and then, when present, ``ortswandel.events.demo``; each exposes
``load(*, stdout=None)``.

Demo accounts (``Profile.is_demo``; "(Demo)" in their names):

* ``admin`` — site administrator (superuser);
* ``redaktion`` — programme editor for "Kommunen innovativ".

Their password is ``ORTSWANDEL_DEMO_PASSWORD`` or, when that is unset, ``DEFAULT_DEMO_PASSWORD``
below. In production (``ORTSWANDEL_ENV=production``) accounts are only created when
``ORTSWANDEL_DEMO_PASSWORD`` is set explicitly.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse

from ortswandel.accounts.models import Profile, ProfileKind
from ortswandel.core import versions
from ortswandel.core.audit import audit_log

DEFAULT_DEMO_PASSWORD = "ortswandel-demo"  # noqa: S105 (documented demo default, not a secret)
CONTENT_MODULES = ("ortswandel.catalogue.demo", "ortswandel.events.demo")
EDITOR_PROGRAMME_SLUG = "kommunen-innovativ"
EDITOR_APP_LABELS = ("catalogue", "events")

DEMO_ACCOUNTS: tuple[dict[str, Any], ...] = (
    {
        "username": "admin",
        "email": "admin@example.org",
        "first_name": "Administration",
        "last_name": "(Demo)",
        "is_staff": True,
        "is_superuser": True,
        "kind": ProfileKind.OTHER,
        "organisation_name": "",
    },
    {
        "username": "redaktion",
        "email": "redaktion@example.org",
        "first_name": "Redaktion Kommunen innovativ",
        "last_name": "(Demo)",
        "is_staff": True,
        "is_superuser": False,
        "kind": ProfileKind.PROGRAMME_OFFICE,
        "organisation_name": "",
    },
)


def demo_password() -> str:
    return os.environ.get("ORTSWANDEL_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def demo_accounts_create(*, password: str) -> list[Any]:
    """Create or update the demo accounts; returns the users (admin first)."""
    from ortswandel.catalogue.models import Programme

    User = get_user_model()  # noqa: N806 (a class, named as such)
    users = []
    for spec in DEMO_ACCOUNTS:
        user, _created = User.objects.update_or_create(
            username=spec["username"],
            defaults={
                "email": spec["email"],
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "is_staff": spec["is_staff"],
                "is_superuser": spec["is_superuser"],
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "kind": spec["kind"],
                "organisation_name": spec["organisation_name"],
                "is_demo": True,
            },
        )
        users.append(user)
    editor = users[1]
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=EDITOR_APP_LABELS)
    )
    programme = Programme.objects.filter(slug=EDITOR_PROGRAMME_SLUG).first()
    if programme is not None:
        programme.editors.add(editor)
    audit_log(
        action="accounts.demo_accounts.loaded",
        payload={"usernames": [u.username for u in users]},
    )
    return users


def _search_rebuild() -> Callable[[], Any] | None:
    """The search app's index rebuild, or ``None`` when the search app is not installed."""
    try:
        from ortswandel.search.services import search_index_rebuild
    except ImportError:  # pragma: no cover - the search app is part of the standard install
        return None
    return search_index_rebuild


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
        # Bulk load, then the derived data once: the search index and the content versions.
        for module_name in CONTENT_MODULES:
            if importlib.util.find_spec(module_name) is None:
                self.stdout.write(f"{module_name}: nicht vorhanden, übersprungen.")
                continue
            module = importlib.import_module(module_name)
            module.load(stdout=self.stdout)
        rebuild = _search_rebuild()
        if rebuild is not None:
            rebuild()
        versions.bump_content_version(versions.CATALOGUE, versions.EVENTS)

        if options["no_accounts"]:
            return
        if settings.PRODUCTION and not os.environ.get("ORTSWANDEL_DEMO_PASSWORD"):
            raise CommandError(
                "In der Produktion werden Demo-Konten nur mit gesetztem "
                "ORTSWANDEL_DEMO_PASSWORD angelegt (oder --no-accounts verwenden)."
            )
        password = demo_password()
        users = demo_accounts_create(password=password)
        base = options["base_url"].rstrip("/")
        self.stdout.write(self.style.SUCCESS("Demo-Konten (als Demo-Daten markiert):"))
        for user in users:
            role = "Website-Administration" if user.is_superuser else "Programmredaktion"
            self.stdout.write(f"  {role}: Benutzername {user.username!r}, Passwort {password!r}")
        if password == DEFAULT_DEMO_PASSWORD:
            self.stdout.write(
                "  (Standardpasswort; mit ORTSWANDEL_DEMO_PASSWORD ein eigenes setzen.)"
            )
        self.stdout.write(f"Anmelden: {base}{reverse('accounts:login')}")
        self.stdout.write(f"Verwaltung: {base}{reverse('admin:index')}")
