#!/usr/bin/env python
"""Run every ``bench/bench_*.py`` in turn, each in its own subprocess, and print its output.

``run_all.py [NAME …] [-- ARG …]``: optional NAMEs select only the scripts whose file name
contains one of them (``run_all.py portal``); arguments after ``--`` are passed to every script.
The environment (``DATABASE_URL`` …) is inherited. Exit code: the number of failed scripts.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    split = argv.index("--") if "--" in argv else len(argv)
    names, extra = argv[:split], argv[split + 1 :]
    scripts = [
        path
        for path in sorted(BENCH_DIR.glob("bench_*.py"))
        if not names or any(name in path.name for name in names)
    ]
    failed = 0
    for script in scripts:
        print(f"=== {script.name} ===", flush=True)
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(script), *extra],
            cwd=BENCH_DIR.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            failed += 1
            sys.stdout.write(proc.stderr)
            print(f"!!! {script.name} failed with exit code {proc.returncode}")
        print(f"--- {script.name}: {time.perf_counter() - started:.1f} s\n", flush=True)
    print(f"{len(scripts) - failed}/{len(scripts)} benchmarks completed.")
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
