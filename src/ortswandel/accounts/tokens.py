"""Activation links, built on :mod:`ortswandel.core.signed_links` (purpose
``accounts.activation``, expiry ``ORTSWANDEL_ACCOUNTS_ACTIVATION_DAYS``, key rotation through
``SECRET_KEY_FALLBACKS``).

The token is bound to the account's id, password hash, last login, e-mail address and active
flag, so it stops working once the account is activated (used), and when the password or address
changes. It tells an expired link from a forged one, so the page can say which.
"""

from __future__ import annotations

import enum
from typing import Any

from ortswandel.core import signed_links

from . import conf

PURPOSE = "accounts.activation"


class TokenState(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


def _state(user: Any) -> str:
    login = "" if user.last_login is None else user.last_login.replace(microsecond=0).isoformat()
    return f"{user.pk}|{user.password}|{login}|{user.email}|{int(bool(user.is_active))}"


class ActivationTokenGenerator:
    def make_token(self, user: Any) -> str:
        return signed_links.make(user.pk, purpose=PURPOSE, bind=_state(user))

    def check(self, user: Any, token: str) -> TokenState:
        """``VALID``, ``EXPIRED`` (genuine but older than the configured validity) or ``INVALID``
        (forged, truncated, used, signed with a removed key, or the account changed since)."""
        if user is None:
            return TokenState.INVALID
        try:
            pk = signed_links.read(
                token, purpose=PURPOSE, max_age=conf.activation_seconds(), bind=_state(user)
            )
        except signed_links.LinkExpired:
            return TokenState.EXPIRED
        except signed_links.LinkInvalid:
            return TokenState.INVALID
        return TokenState.VALID if pk == user.pk else TokenState.INVALID

    def check_token(self, user: Any, token: str | None) -> bool:
        return self.check(user, token or "") is TokenState.VALID


activation_token_generator = ActivationTokenGenerator()
