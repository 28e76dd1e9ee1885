"""Activation links: Django's password-reset token machinery with its own salt and lifetime.

A token is ``<timestamp>-<hmac>`` over the user's id, password hash, last login, e-mail address
and active flag, so it stops working once the account is activated (used), and when the password
or address changes. Unlike Django's ``check_token`` it tells an expired link from a forged one, so
the page can say which.
"""

from __future__ import annotations

import enum
from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from . import conf


class TokenState(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "ortswandel.accounts.tokens.ActivationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{int(bool(user.is_active))}"

    def check(self, user: Any, token: str) -> TokenState:
        """``VALID``, ``EXPIRED`` (genuine but older than the configured validity) or ``INVALID``
        (forged, truncated, used, or the account changed since)."""
        if user is None or not token or len(token) > 64:
            return TokenState.INVALID
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return TokenState.INVALID
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in secrets
        ):
            return TokenState.INVALID
        if self._num_seconds(self._now()) - timestamp > conf.activation_seconds():
            return TokenState.EXPIRED
        return TokenState.VALID

    def check_token(self, user: Any, token: str | None) -> bool:
        return self.check(user, token or "") is TokenState.VALID


activation_token_generator = ActivationTokenGenerator()
