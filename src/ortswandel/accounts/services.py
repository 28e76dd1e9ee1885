"""Writes for accounts: sign-up, profile change, deletion (DSGVO Art. 17)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from ortswandel.core.audit import audit_log
from ortswandel.core.errors import Conflict

from .models import Profile


@transaction.atomic
def user_register(
    *,
    email: str,
    password: str,
    kind: str,
    organisation_name: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Any:
    User = get_user_model()  # noqa: N806 (a class, named as such)
    email = email.strip().lower()
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise Conflict(
            "Für diese E-Mail-Adresse gibt es bereits ein Konto.",
            code="email_taken",
            fields={"email": "Für diese E-Mail-Adresse gibt es bereits ein Konto."},
        )
    user = User.objects.create_user(
        username=email, email=email, password=password, first_name=first_name, last_name=last_name
    )
    Profile.objects.create(user=user, kind=kind, organisation_name=organisation_name)
    audit_log(action="accounts.user.registered", actor=user, obj=user, payload={"kind": kind})
    return user


def user_export_data(*, user: Any) -> dict[str, Any]:
    """Everything we store about ``user`` (DSGVO Art. 15/20), as JSON-ready data."""
    profile = Profile.objects.filter(user=user).select_related("municipality").first()
    data: dict[str, Any] = {
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "profile": {
            "kind": profile.kind if profile else None,
            "organisation_name": profile.organisation_name if profile else "",
            "municipality_ags": profile.municipality.ags
            if profile and profile.municipality
            else None,
        },
    }
    # Other apps contribute their personal data (e.g. event registrations).
    from django.apps import apps

    for app in apps.get_app_configs():
        exporter = getattr(app.module, "personal_data_export", None)
        if callable(exporter):
            data[app.label] = exporter(user=user)
    return data


@transaction.atomic
def user_delete(*, user: Any) -> None:
    """Delete the account and its personal data; the audit log keeps only the fact."""
    from django.apps import apps

    for app in apps.get_app_configs():
        eraser = getattr(app.module, "personal_data_erase", None)
        if callable(eraser):
            eraser(user=user)
    audit_log(action="accounts.user.deleted", actor=None, payload={"user_id": user.pk})
    user.delete()
