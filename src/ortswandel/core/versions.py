"""Content versions: a token per domain, replaced after every committed change, for cache keys.

Cached values (:mod:`ortswandel.core.cache`) and cached page fragments put the tokens of the
domains they are built from into their keys. The services that change a domain's content call
:func:`bump_on_commit` — never a ``post_save`` signal: a token replaced *inside* the transaction
lets a reader in the window between the bump and the commit cache the old data under the new
token, where it would stay until it expires. Replaced on commit, a reader either still has the
old token (its entry is never read again) or the new one and reads committed data.

A random token rather than a counter: after the cache is cleared or evicted, a counter would start
again at a value an older entry was built for. With a shared cache (``CACHE_URL``) every server
process sees the new token at once; with the per-process default, the other processes' entries
expire after their own timeout.

When the cache backend fails, reading a token gives a fresh random one (so nothing cached is
reused) and a failed bump is logged; neither raises.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

#: The domains with a version (the key of each token in the cache).
CATALOGUE = "catalogue:content-version"
EVENTS = "events:content-version"
REGISTER = "municipalities:register-version"


def _new_token() -> str:
    return uuid.uuid4().hex


def content_versions(keys: Sequence[str]) -> tuple[str, ...]:
    """The current tokens of ``keys`` (created on first use), in the same order.

    Raises whatever the cache backend raises; :func:`content_version` and
    :func:`ortswandel.core.cache.versioned` catch it.
    """
    found = cache.get_many(list(keys))
    missing = [key for key in keys if key not in found]
    for key in missing:
        # add(): of two processes creating the token at once, both end up with the same one
        cache.add(key, _new_token(), timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    return tuple(str(found.get(key) or _new_token()) for key in keys)


def content_version(key: str) -> str:
    """The current token of ``key``; a fresh random one when the cache backend fails."""
    try:
        return content_versions([key])[0]
    except Exception:
        logger.warning("cache backend failed reading the version %s", key, exc_info=True)
        return _new_token()


def bump_content_version(*keys: str) -> None:
    """Replace the tokens of ``keys`` now (after a commit; see :func:`bump_on_commit`)."""
    try:
        cache.set_many({key: _new_token() for key in keys}, timeout=None)
    except Exception:
        # The change is committed; cached values of these domains stay until they expire.
        logger.exception("cache backend failed replacing the versions %s", ", ".join(keys))


def bump_on_commit(*keys: str, using: str | None = None) -> None:
    """Replace the tokens of ``keys`` once the current transaction commits (at once outside
    one; never if it rolls back). Called by every service that changes the domains' content."""
    wanted = tuple(dict.fromkeys(keys))
    if wanted:
        transaction.on_commit(lambda: bump_content_version(*wanted), using=using)
