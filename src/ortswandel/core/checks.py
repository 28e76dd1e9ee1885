"""Deployment checks: ``manage.py check --deploy`` fails for a misconfigured public instance.

Registered as deploy checks (``ortswandel.core.apps``), so they run with ``--deploy`` – the
production checklist and the update procedure in docs/operator-guide.md run it – and never get in
the way of ``migrate`` or a laptop demo. Errors (fail the check):

* ``ortswandel.E001`` no ``ORTSWANDEL_BASE_URL``: links in mails would point to 127.0.0.1:8000;
* ``ortswandel.E002`` / ``E003`` empty ``ORTSWANDEL_OPERATOR`` / ``ORTSWANDEL_CONTACT_EMAIL``
  (imprint, privacy policy);
* ``ortswandel.E004`` demo accounts that still have the published demo password;
* ``ortswandel.E005`` a per-process cache (no ``CACHE_URL``): rate limits would count per worker.

Warnings: ``W001`` base URL not https, ``W004`` demo accounts present, ``W006`` sender address
at ``.invalid``, ``W007`` the demo accounts could not be checked (database unreachable).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.checks import CheckMessage, Error, Warning
from django.db import DatabaseError, connection
from django.db.models import Q

#: Backends whose entries live in one process only.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
#: The usernames ``load_demo_content`` creates (also matched without the demo flag).
DEMO_USERNAMES = ("admin", "redaktion")


def _demo_password() -> str:
    from ortswandel.core.management.commands.load_demo_content import DEFAULT_DEMO_PASSWORD

    return DEFAULT_DEMO_PASSWORD


def check_site_identity(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    base_url = settings.ORTSWANDEL_BASE_URL
    if not base_url:
        messages.append(
            Error(
                "ORTSWANDEL_BASE_URL is not set: links in mails and calendar files would point "
                "to http://127.0.0.1:8000.",
                hint="Set ORTSWANDEL_BASE_URL=https://<your host> in the environment file.",
                id="ortswandel.E001",
            )
        )
    elif not base_url.startswith("https://"):
        messages.append(
            Warning(
                f"ORTSWANDEL_BASE_URL={base_url!r} is not https: links in mails go out "
                "unencrypted.",
                id="ortswandel.W001",
            )
        )
    if not settings.ORTSWANDEL_OPERATOR.strip():
        messages.append(
            Error(
                "ORTSWANDEL_OPERATOR is empty: the imprint and the privacy policy name no "
                "operator (§ 5 DDG, Art. 13 GDPR).",
                hint="Set name, legal form, representatives and postal address of the operator.",
                id="ortswandel.E002",
            )
        )
    if not settings.ORTSWANDEL_CONTACT_EMAIL:
        messages.append(
            Error(
                "ORTSWANDEL_CONTACT_EMAIL is empty: the imprint, privacy requests and "
                "accessibility feedback have no contact address.",
                id="ortswandel.E003",
            )
        )
    if settings.DEFAULT_FROM_EMAIL.rstrip(">").endswith(".invalid"):
        messages.append(
            Warning(
                f"DEFAULT_FROM_EMAIL={settings.DEFAULT_FROM_EMAIL!r}: mails are sent from an "
                "address that cannot exist and will be rejected or land in spam.",
                hint="Set DEFAULT_FROM_EMAIL to an address of your domain (SPF/DKIM).",
                id="ortswandel.W006",
            )
        )
    return messages


def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                f"The cache ({backend.rsplit('.', 1)[-1]}) is per process: with several server "
                "workers every rate limit counts per worker, and cache versions diverge.",
                hint="Set CACHE_URL=redis://127.0.0.1:6379/1 (see docs/operator-guide.md).",
                id="ortswandel.E005",
            )
        ]
    return []


def check_demo_accounts(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Reads the database even without ``--database``: a published password is worth it."""
    User = get_user_model()  # noqa: N806 (a class, named as such)
    try:
        if User._meta.db_table not in connection.introspection.table_names():
            return []  # not migrated yet: no accounts at all
        demo = list(
            User.objects.filter(
                Q(profile__is_demo=True) | Q(username__in=DEMO_USERNAMES), is_active=True
            ).values_list("username", "password", "profile__is_demo")
        )
    except DatabaseError as exc:
        return [
            Warning(
                f"Could not check for demo accounts ({type(exc).__name__}).",
                hint="Run the check again where the database is reachable.",
                id="ortswandel.W007",
            )
        ]
    published = _demo_password()
    # check_password without a setter: a check never writes (no hash upgrade).
    exposed = sorted(name for name, encoded, _ in demo if check_password(published, encoded))
    flagged = sorted(name for name, _, is_demo in demo if is_demo and name not in exposed)
    messages: list[CheckMessage] = []
    if exposed:
        messages.append(
            Error(
                f"Accounts with the published demo password: {', '.join(exposed)}.",
                hint="Delete the demo accounts in the admin (or give them strong passwords).",
                id="ortswandel.E004",
            )
        )
    if flagged:
        messages.append(
            Warning(
                f"Demo accounts are present: {', '.join(flagged)}.",
                hint="Remove the demo accounts before going live.",
                id="ortswandel.W004",
            )
        )
    return messages
