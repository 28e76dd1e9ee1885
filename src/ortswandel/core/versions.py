"""Content versions: a token per domain, replaced on every change, for cache keys.

Cached page parts and in-memory indexes put the token of their domain into their key; any
save, delete or many-to-many change of the domain's models replaces it (signals connected by
``version_on_change`` in the app's ``ready()``). A random token rather than a counter: after the
cache is cleared or evicted, a counter would start again at a value an older entry was built for.
With a shared cache (``CACHE_URL``) every server process sees the new token at once; with the
per-process default, entries also expire after their own timeout.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save


def content_version(key: str) -> str:
    """The current token of ``key`` (created on first use)."""
    return str(cache.get_or_set(key, lambda: uuid.uuid4().hex, timeout=None))


def bump_content_version(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, timeout=None)


def version_on_change(
    key: str, *, senders: Iterable[type[models.Model]], m2m: Iterable[type[models.Model]] = ()
) -> None:
    """Replace the token of ``key`` on every save/delete of ``senders`` and change of ``m2m``."""

    def bump(**kwargs: object) -> None:
        bump_content_version(key)

    # weak=False: the receiver is a closure that nothing else holds on to
    for sender in senders:
        uid = f"{key}:{sender._meta.label_lower}"
        post_save.connect(bump, sender=sender, dispatch_uid=uid, weak=False)
        post_delete.connect(bump, sender=sender, dispatch_uid=f"{uid}:delete", weak=False)
    for through in m2m:
        m2m_changed.connect(
            bump, sender=through, dispatch_uid=f"{key}:{through._meta.label_lower}", weak=False
        )
