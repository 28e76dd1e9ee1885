"""The import's report: what a run read, changed, created, skipped and could not match; the
payload is audited (``catalogue.content.imported``) and shown in the back office."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ortswandel.catalogue.content_matching import UnresolvedPlace

AUDIT_ACTION = "catalogue.content.imported"


@dataclass
class ImportReport:
    records: int = 0
    changed: int = 0
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unresolved: list[UnresolvedPlace] = field(default_factory=list)
    inferred_land: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def as_payload(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "changed": self.changed,
            "created": dict(self.created),
            "unresolved": [u.__dict__ for u in self.unresolved],
            "inferred_land": self.inferred_land,
            "skipped": dict(self.skipped),
        }


def last_import_report() -> dict[str, Any] | None:
    """The payload of the latest import that changed something (for the back office)."""
    from ortswandel.core.models import AuditEntry

    entry = AuditEntry.objects.filter(action=AUDIT_ACTION).order_by("-id").first()
    return entry.payload if entry else None
