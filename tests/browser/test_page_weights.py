"""Page weights of the public page types, first load, everything included, compressed.

Many municipal networks are slow and closed; every page type has a budget. The figures go to
``var/page-weights.jsonl`` (with those measured by other browser tests) and are printed.
"""

from __future__ import annotations

import pytest

from .conftest import measure_page_weight

pytestmark = pytest.mark.django_db(transaction=True)

#: Budget per page type in compressed bytes (the brief: keep pages light).
BUDGET = 150_000

PAGES = [
    ("Startseite", "/"),
    ("Programme", "/programme/"),
    ("Projektverzeichnis", "/projekte/"),
    ("Ergebnisse", "/ergebnisse/"),
    ("Veranstaltungen", "/veranstaltungen/"),
    ("Kommunen", "/kommunen/"),
    ("Kommune", "/kommunen/12069304/"),
    ("Suche", "/suche/?q=Kita"),
]


@pytest.mark.parametrize("page_type", PAGES, ids=[p for _, p in PAGES])
def test_page_weight_within_budget(live_server, page, portal, page_type):
    name, path = page_type
    record = measure_page_weight(page, live_server.url + path, name=name)
    assert record["bytes"] > 1_000, record  # the HTML itself was counted
    assert record["bytes"] <= BUDGET, f"{name}: {record['bytes']} bytes > {BUDGET}"
