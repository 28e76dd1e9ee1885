"""Signed links: one helper for every link that grants something without a login.

A token is :mod:`django.core.signing` (HMAC-SHA256 with a timestamp) over a small JSON payload:

* **purpose** – the salt is ``ortswandel.signed-link:<purpose>``, so a token made for one purpose
  (``events.registration.cancel``) is not valid for another (``events.registration.manage``);
* **expiry** – ``max_age`` when reading; an expired but genuine token raises :class:`LinkExpired`
  (a subclass of :class:`LinkInvalid`), so a page can say "expired" rather than "invalid";
* **binding** – optionally a state string (e.g. password hash + active flag of an account): the
  token carries a digest of it and stops working once the state changes (used up, revoked);
* **key rotation** – tokens are signed with ``SECRET_KEY`` and also accepted when signed with a
  key in ``SECRET_KEY_FALLBACKS``; removing an old key from the fallbacks revokes its tokens.

Invalid tokens never raise anything else: callers turn :class:`LinkInvalid` (a 404
:class:`~ortswandel.core.errors.NotFound`) into a German message, never a 500.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from .errors import NotFound

SALT_PREFIX = "ortswandel.signed-link"
#: Longer input is rejected before any work (real tokens are about 100 characters).
MAX_TOKEN_LENGTH = 512


class LinkInvalid(NotFound):
    code = "invalid_token"
    default_message = _("Dieser Link ist ungültig oder abgelaufen.")


class LinkExpired(LinkInvalid):
    code = "expired_token"


def _salt(purpose: str) -> str:
    if not purpose:
        raise ValueError("a signed link needs a purpose")
    return f"{SALT_PREFIX}:{purpose}"


def _bind_digest(purpose: str, state: str) -> str:
    # A plain hash (not keyed by SECRET_KEY): the token is signed anyway, and a keyed digest would
    # break the tokens signed with a fallback key.
    return hashlib.sha256(f"{purpose}\x00{state}".encode()).hexdigest()[:32]


def make(payload: Any, *, purpose: str, bind: str | None = None) -> str:
    """A token for ``payload`` (JSON-serialisable), valid only for ``purpose``; with ``bind`` it
    is valid only while the same ``bind`` value is passed to :func:`read`."""
    data: dict[str, Any] = {"p": payload}
    if bind is not None:
        data["b"] = _bind_digest(purpose, bind)
    return signing.dumps(data, salt=_salt(purpose), compress=True)


def read(
    token: str,
    *,
    purpose: str,
    max_age: timedelta | int | None = None,
    bind: str | None = None,
) -> Any:
    """The payload of ``token``; raises :class:`LinkExpired` (genuine, older than ``max_age``)
    or :class:`LinkInvalid` (forged, truncated, other purpose, removed key, changed binding)."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkInvalid()
    try:
        data = signing.loads(token, salt=_salt(purpose), max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired() from exc
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as exc:
        raise LinkInvalid() from exc
    if not isinstance(data, dict) or "p" not in data:
        raise LinkInvalid()
    if bind is not None or "b" in data:
        expected = _bind_digest(purpose, bind) if bind is not None else ""
        if not constant_time_compare(str(data.get("b", "")), expected):
            raise LinkInvalid()
    return data["p"]
