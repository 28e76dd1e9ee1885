"""The content version of one call's jury data, for the cached meeting table
(:mod:`ortswandel.calls.meeting`).

A token per call (``calls:call-version:<pk>``) in :mod:`ortswandel.core.versions`; every service
that changes what the chair's ranking shows calls :func:`bump_call` inside its transaction, and
the token is replaced once that transaction commits (never when it rolls back).
"""

from __future__ import annotations

from ortswandel.core.versions import bump_on_commit, content_version


def call_version_key(call_id: int) -> str:
    return f"calls:call-version:{call_id}"


def bump_call(call_id: int) -> None:
    """Replace the call's token on commit: the next meeting page is built afresh."""
    bump_on_commit(call_version_key(call_id))


def call_version(call_id: int) -> str:
    """The call's current token (tests, diagnostics)."""
    return content_version(call_version_key(call_id))
