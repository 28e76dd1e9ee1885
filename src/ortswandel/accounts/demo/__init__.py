"""Demo accounts from ``accounts.yaml``: created or updated, flagged as demo data.

Declared as ``AccountsConfig.demo_accounts`` and called by ``manage.py load_demo_content``
(before the content, so that the content can name its editors).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from ortswandel.accounts.models import Profile
from ortswandel.core.audit import audit_log
from ortswandel.core.demo import check_keys, read_demo_data, upsert

USER_FIELDS = ("email", "first_name", "last_name", "is_staff", "is_superuser")
PROFILE_FIELDS = ("kind", "organisation_name")
ACCOUNT_KEYS = ("username", *USER_FIELDS, *PROFILE_FIELDS, "permissions_of_apps")


@transaction.atomic
def demo_accounts_create(*, password: str) -> list[Any]:
    """Create or update the demo accounts (in file order: the admin first); returns the users."""
    User = get_user_model()  # noqa: N806 (a class, named as such)
    users = []
    for index, raw in enumerate(read_demo_data(__name__, "accounts.yaml")["accounts"]):
        where = f"accounts.yaml, account {index + 1}"
        spec = check_keys(raw, ACCOUNT_KEYS, where=where)
        user = upsert(
            User,
            key={"username": spec["username"]},
            record=spec,
            fields=USER_FIELDS,
            is_active=True,
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        upsert(Profile, key={"user": user}, record=spec, fields=PROFILE_FIELDS, is_demo=True)
        if "permissions_of_apps" in spec:
            user.user_permissions.set(
                Permission.objects.filter(content_type__app_label__in=spec["permissions_of_apps"])
            )
        users.append(user)
    audit_log(
        action="accounts.demo_accounts.loaded",
        payload={"usernames": [u.username for u in users]},
    )
    return users
