"""Demo content of the planning app: the default challenges with the themes of the demo
catalogue (``challenges.yaml``). ``load()`` is idempotent (rows are matched by ``code``)."""

from __future__ import annotations

from typing import Any, TextIO

from django.db import transaction

from ortswandel.catalogue.models import Theme
from ortswandel.core.demo import DemoDataError, check_keys, read_demo_data, say, upsert
from ortswandel.planning.models import Challenge

FIELDS = ("name", "name_en", "description", "indicator", "direction", "threshold", "position")


def _themes(refs: Any, *, where: str) -> list[Theme]:
    if not isinstance(refs, list) or not all(isinstance(r, str) and "/" in r for r in refs):
        raise DemoDataError(f"{where}: themes must be a list of 'programme-slug/theme-slug'")
    pairs = [tuple(ref.split("/", 1)) for ref in refs]
    found = Theme.objects.filter(programme__slug__in={p for p, _t in pairs})
    by_key = {(t.programme.slug, t.slug): t for t in found.select_related("programme")}
    return [by_key[p] for p in pairs if p in by_key]


@transaction.atomic
def load(*, stdout: TextIO | None = None) -> None:
    data = read_demo_data(__name__, "challenges.yaml")
    records = data.get("challenges") or []
    for i, raw in enumerate(records):
        where = f"planning/demo/challenges.yaml, challenge {i + 1}"
        record = check_keys(raw, ("code", *FIELDS, "themes"), where=where)
        challenge = upsert(
            Challenge, key={"code": record["code"]}, record=record, fields=FIELDS, is_active=True
        )
        challenge.themes.set(_themes(record.get("themes", []), where=where))
    say(stdout, f"planning: {len(records)} challenges")
