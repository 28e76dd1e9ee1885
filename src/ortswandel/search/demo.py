"""The search app's part in loading demo content (``SearchConfig.demo_context``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .services import search_index_rebuild


@contextmanager
def bulk_load() -> Iterator[None]:
    """Rebuild the index once after the demo content has loaded (the services' own index updates
    run on commit too; the rebuild makes the index whole whatever the loaders did)."""
    yield
    search_index_rebuild()
