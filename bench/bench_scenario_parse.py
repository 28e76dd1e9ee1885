#!/usr/bin/env python
"""Time reading a scenario file (JSON decoding + validation + engine inputs).

Files: the examples in ``docs/`` and a synthetic district of ``--areas`` municipalities (the
full example's first area repeated under new ids). Prints the median of ``--repeat`` runs.
``--module`` names the package that provides ``load_scenario`` (default
``ortswandel.scenario``), so an older copy can be timed the same way.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import statistics
import tempfile
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _district(areas: int) -> dict:
    doc = json.loads((DOCS / "scenario-example-full.json").read_text(encoding="utf-8"))
    first = doc["areas"][0]
    doc["areas"] = [{**copy.deepcopy(first), "id": f"09{i:06d}"} for i in range(areas)]
    doc["budget"]["facilities"][0]["capacity"] = 30
    doc["scenarios"][0]["changes"][0]["areas"] = ["09000000"]
    return doc


def _median_ms(load: object, path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        load(path)  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--module", default="ortswandel.scenario")
    ap.add_argument("--areas", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    load = importlib.import_module(args.module).load_scenario
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "district.json"
        big.write_text(json.dumps(_district(args.areas)), encoding="utf-8")
        files = [*sorted(DOCS.glob("scenario-example-*.json")), big]
        for path in files:
            ms = _median_ms(load, path, args.repeat)
            kib = path.stat().st_size / 1024
            print(f"{path.name:36s} {kib:8.1f} KiB  {ms:8.2f} ms (median of {args.repeat})")


if __name__ == "__main__":
    main()
