"""Signed links for people without an account: confirm, cancel, personal page.

Built on :mod:`ortswandel.core.signed_links`: one purpose per link kind
(``events.registration.confirm`` …) over ``(registration id, access key)``. The access key is
random per registration and is replaced when the personal data is anonymised, which revokes every
link ever sent. The links do not expire otherwise (the personal page must work until the data is
deleted); they survive a key rotation while the old key is in ``SECRET_KEY_FALLBACKS``.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from ortswandel.core import signed_links, site
from ortswandel.core.signed_links import LinkInvalid
from ortswandel.events.models import Registration

PURPOSES = ("confirm", "cancel", "manage")
#: Tokens mailed before the shared helper: ``[id, access key, purpose]`` under this salt. Still
#: read, so that links in mails already sent keep working; remove once every registration made
#: before the change is past its retention period.
LEGACY_SALT = "ortswandel.events.registration"


def _purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}; expected one of {PURPOSES}")
    return f"events.registration.{purpose}"


def make_token(registration: Registration, purpose: str) -> str:
    return signed_links.make([registration.pk, registration.access_key], purpose=_purpose(purpose))


def _legacy_payload(token: str, purpose: str) -> list[object]:
    try:
        pk, key, token_purpose = signing.loads(token, salt=LEGACY_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkInvalid() from exc
    if token_purpose != purpose:
        raise LinkInvalid()
    return [pk, key]


def resolve_token(token: str, purpose: str) -> Registration:
    """The registration a token stands for, or :class:`LinkInvalid` (a 404, never a 500)."""
    try:
        payload = signed_links.read(token, purpose=_purpose(purpose))
    except LinkInvalid:
        payload = _legacy_payload(token, purpose)
    if not isinstance(payload, list) or len(payload) != 2:
        raise LinkInvalid()
    pk, key = payload
    registration = (
        Registration.objects.select_related("event", "event__programme", "event__series")
        .filter(pk=pk, access_key=key, anonymised_at__isnull=True)
        .first()
    )
    if registration is None:
        raise LinkInvalid()
    return registration


def absolute_link(registration: Registration, purpose: str) -> str:
    names = {
        "confirm": "events:registration_confirm",
        "cancel": "events:registration_cancel",
        "manage": "events:registration_manage",
    }
    path = reverse(names[purpose], kwargs={"token": make_token(registration, purpose)})
    return site.base_url() + path
