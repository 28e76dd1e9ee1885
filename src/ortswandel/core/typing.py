"""Types shared by every app's services.

``ActingUser`` is who performs a write: a signed-in account or the anonymous visitor (public
registration forms). Services take it as ``acting_user`` / ``actor``; ``None`` means the system
itself (a scheduled job, an import command).
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

#: A signed-in account (our user model is Django's ``auth.User``) or the anonymous visitor.
ActingUser: TypeAlias = User | AnonymousUser


def account_of(actor: ActingUser | None) -> User | None:
    """The signed-in account behind ``actor``, or ``None`` (anonymous visitor, the system)."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None
