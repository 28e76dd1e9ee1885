#!/usr/bin/env python
"""Time reading a scenario file (JSON decoding + validation + engine inputs).

Files: the examples in ``docs/`` and a synthetic district of ``--areas`` municipalities (the
full example's first area repeated under new ids). Prints the minimum and median of
``--repeat`` runs. ``--module`` names the packages that provide ``load_scenario`` (default
``ortswandel.scenario``); with several, their runs are interleaved (same machine load) and
the ratio to the first is printed, e.g. ``--module old_copy ortswandel.scenario``.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _district(areas: int) -> dict[str, Any]:
    doc = json.loads((DOCS / "scenario-example-full.json").read_text(encoding="utf-8"))
    first = doc["areas"][0]
    doc["areas"] = [{**copy.deepcopy(first), "id": f"09{i:06d}"} for i in range(areas)]
    doc["scenarios"][0]["changes"][0]["areas"] = ["09000000"]
    return doc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--module", nargs="+", default=["ortswandel.scenario"])
    ap.add_argument("--areas", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    loads: list[Callable[[Path], Any]] = [
        importlib.import_module(m).load_scenario for m in args.module
    ]
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / f"district-{args.areas}-areas.json"
        big.write_text(json.dumps(_district(args.areas)), encoding="utf-8")
        for path in [*sorted(DOCS.glob("scenario-example-*.json")), big]:
            times: list[list[float]] = [[] for _ in loads]
            for _ in range(args.repeat):
                for i, load in enumerate(loads):
                    t0 = time.perf_counter()
                    load(path)
                    times[i].append(time.perf_counter() - t0)
            kib = path.stat().st_size / 1024
            for name, t in zip(args.module, times, strict=True):
                ratio = min(t) / min(times[0])
                print(
                    f"{path.name:30s} {kib:7.1f} KiB  {name:22s} min {min(t) * 1e3:7.2f} ms  "
                    f"median {statistics.median(t) * 1e3:7.2f} ms  ratio {ratio:4.2f}"
                )


if __name__ == "__main__":
    main()
