"""``manage.py rebuild_search_index``: rebuild the full-text index from the catalogue."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from ortswandel.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Baut den Suchindex aus allen veröffentlichten Inhalten neu auf."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counts = search_index_rebuild()
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{kind}: {n}" for kind, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Suchindex neu aufgebaut ({sum(counts.values())} Dokumente; {summary}) "
                f"in {elapsed:.1f} s."
            )
        )
