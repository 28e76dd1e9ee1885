"""The search app's part in loading demo content (``SearchConfig.demo_context``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .services import search_index_rebuild, search_indexing_paused


@contextmanager
def bulk_load() -> Iterator[None]:
    """Index nothing per save while the demo content loads; rebuild the index once afterwards
    (about ten times faster than indexing every save)."""
    with search_indexing_paused():
        yield
    search_index_rebuild()
