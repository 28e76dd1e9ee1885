"""Signed links for people without an account: confirm, cancel, personal page.

A token is ``django.core.signing`` over ``(registration id, access key, purpose)``. The access key
is random per registration and is replaced when the personal data is anonymised, which revokes
every link ever sent.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from ortswandel.core.errors import NotFound
from ortswandel.events import conf
from ortswandel.events.models import Registration

SALT = "ortswandel.events.registration"
PURPOSES = ("confirm", "cancel", "manage")


def make_token(registration: Registration, purpose: str) -> str:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}; expected one of {PURPOSES}")
    return signing.dumps([registration.pk, registration.access_key, purpose], salt=SALT)


def resolve_token(token: str, purpose: str) -> Registration:
    """The registration a token stands for, or :class:`NotFound` (never a 500)."""
    try:
        pk, key, token_purpose = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise NotFound(
            _("Dieser Link ist ungültig oder abgelaufen."), code="invalid_token"
        ) from exc
    if token_purpose != purpose:
        raise NotFound(_("Dieser Link ist ungültig oder abgelaufen."), code="invalid_token")
    registration = (
        Registration.objects.select_related("event", "event__programme", "event__series")
        .filter(pk=pk, access_key=key, anonymised_at__isnull=True)
        .first()
    )
    if registration is None:
        raise NotFound(_("Dieser Link ist ungültig oder abgelaufen."), code="invalid_token")
    return registration


def absolute_link(registration: Registration, purpose: str) -> str:
    names = {
        "confirm": "events:registration_confirm",
        "cancel": "events:registration_cancel",
        "manage": "events:registration_manage",
    }
    path = reverse(names[purpose], kwargs={"token": make_token(registration, purpose)})
    return conf.base_url() + path
