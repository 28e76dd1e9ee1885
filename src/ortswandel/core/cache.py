"""Cached values under versioned keys, through Django's cache framework — the one cache helper.

``versioned("facets:projects", build, versions=[CATALOGUE], parts=[...])`` returns the value
cached under a key made of the name, the current tokens of the content versions it depends on
(:mod:`ortswandel.core.versions`) and the ``parts``; on a miss it calls ``build()`` and stores
the result. A change to the content replaces a token on commit, so the next call builds afresh;
``timeout`` bounds how long another server process with its own per-process cache may serve an
entry built before a change it did not see.

The tokens are read *before* ``build()`` runs: a value is therefore never newer-keyed than the
data it was built from (see ``versions`` on why tokens are replaced on commit).

``local=True`` keeps the value in this process as well (a small LRU keyed by the same versioned
key and honouring the same timeout), for values that are expensive to unpickle on every request
(the facet index, the register arrays). It is still invalidated by the version tokens alone.

When the cache backend fails (a Redis that is down, a full disk), the helper logs a warning and
serves the value built afresh, uncached: a slow page, never an error page.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.core.cache import cache

from .versions import content_versions

logger = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_TIMEOUT = 60
LOCAL_MAX_ENTRIES = 16
_MISSING = object()

_local: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_local_lock = threading.Lock()


def cache_key(name: str, tokens: Iterable[str], parts: Iterable[object] = ()) -> str:
    """``ow:<name>:<digest>``: short and free of characters some backends reject."""
    raw = "\x1f".join([*tokens, *(repr(p) for p in parts)])
    return f"ow:{name}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def versioned(
    name: str,
    build: Callable[[], T],
    *,
    versions: Sequence[str],
    parts: Iterable[object] = (),
    timeout: int = DEFAULT_TIMEOUT,
    local: bool = False,
) -> T:
    """The cached value of ``build()`` for the current ``versions`` and ``parts``."""
    try:
        tokens = content_versions(versions)
    except Exception:
        logger.warning("cache backend failed; %s built uncached", name, exc_info=True)
        return build()
    key = cache_key(name, tokens, parts)
    if local:
        hit = _local_get(key)
        if hit is not _MISSING:
            return hit
    try:
        value = cache.get(key, _MISSING)
    except Exception:
        logger.warning("cache backend failed; %s built uncached", name, exc_info=True)
        return build()
    if value is _MISSING:
        value = build()
        try:
            cache.set(key, value, timeout)
        except Exception:
            logger.warning("cache backend failed storing %s", name, exc_info=True)
    if local:
        _local_put(key, value, timeout)
    return value


def _local_get(key: str) -> Any:
    with _local_lock:
        entry = _local.get(key)
        if entry is None:
            return _MISSING
        if entry[0] < time.monotonic():
            del _local[key]
            return _MISSING
        _local.move_to_end(key)
        return entry[1]


def _local_put(key: str, value: Any, timeout: int) -> None:
    with _local_lock:
        _local[key] = (time.monotonic() + timeout, value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_MAX_ENTRIES:
            _local.popitem(last=False)


def clear_local() -> None:
    """Forget the values kept in this process (tests; ``cache.clear()`` also makes them
    unreachable, as it drops the version tokens)."""
    with _local_lock:
        _local.clear()
