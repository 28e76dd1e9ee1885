#!/usr/bin/env python
"""Cold start benchmark: the FIRST ``/kommunen/<AGS>/`` and ``/planen/<AGS>/`` request of a
fresh server process, against the same pages once the process is warm.

Each measurement runs in a new Python process (like a new gunicorn worker): it loads the WSGI
application (``ortswandel.config.wsgi``: settings, apps, URLconf), then times the first profile
request, the first workspace request, and then warm requests (profile of other AGS, whose
rendered page is not cached yet, and the same workspace again). Two cases:

* ``no stored arrays`` — ``ORTSWANDEL_DERIVED_DIR`` empty: boundaries parsed from GeoJSON and
  the age structure of all municipalities estimated from the tables (the behaviour before the
  arrays were kept on disk; also the very first process after a data or code change when no
  import command has run);
* ``stored arrays`` — the arrays written by the first case (normally by ``import_municipalities``
  / ``import_datapool``): what every later process does.

Database: ``var/bench/cold_start.sqlite3`` with the register and the full data pool, created on
the first run (``--rebuild`` to create it again). Reported: seconds and the ratio first / warm.

Usage: ``.venv/bin/python bench/bench_cold_start.py [--rebuild] [--warm 20]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench" / "cold_start.sqlite3"
AGS = "12070424"  # Wittenberge
OTHERS = ("12069616", "09162000", "03241001", "14612000", "01001000", "08111000", "05315000")


def _env(derived: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{DB}"
    env["ORTSWANDEL_DERIVED_DIR"] = str(derived)
    env["DJANGO_SETTINGS_MODULE"] = "ortswandel.config.settings"
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


def build_database(derived: Path) -> None:
    DB.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["import_municipalities"],
        ["import_datapool"],
    ):
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *command],
            env=_env(derived),
            check=True,
            stdout=subprocess.DEVNULL,
        )


def child(warm: int) -> None:
    """One fresh process: load the WSGI app, time the first and the warm requests."""
    started = time.perf_counter()
    from ortswandel.config.wsgi import application  # noqa: F401 - what a server loads

    boot = time.perf_counter() - started
    from django.test import Client
    from django.test.utils import override_settings

    client = Client(HTTP_ACCEPT_LANGUAGE="de")

    cpu: dict[str, list[float]] = {}

    def timed(url: str, name: str = "") -> float:
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: status {response.status_code}")
        cpu.setdefault(name, []).append(time.process_time() - c)
        return time.perf_counter() - t

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        first_profile = timed(f"/kommunen/{AGS}/", "first_profile")
        first_workspace = timed(f"/planen/{AGS}/", "first_workspace")
        profile = [timed(f"/kommunen/{OTHERS[i % len(OTHERS)]}/", "profile") for i in range(warm)]
        workspace = [timed(f"/planen/{AGS}/", "workspace") for _ in range(warm)]
    print(
        json.dumps(
            {
                "boot": boot,
                "first_profile": first_profile,
                "first_workspace": first_workspace,
                "warm_profile": statistics.median(profile),
                "warm_workspace": statistics.median(workspace),
                **{f"cpu_{k}": statistics.median(v) for k, v in cpu.items()},
            }
        )
    )


def run_child(derived: Path, warm: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--warm", str(warm)],
        env=_env(derived),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--warm", type=int, default=20, help="warm requests per page")
    parser.add_argument("--rebuild", action="store_true", help="create the database again")
    args = parser.parse_args()
    if args.child:
        child(args.warm)
        return
    with tempfile.TemporaryDirectory(prefix="ow-derived-") as tmp:
        if args.rebuild or not DB.exists():
            build_database(Path(tmp) / "import")
        derived = Path(tmp) / "derived"
        cases = {
            "no stored arrays": run_child(derived, args.warm),
            "stored arrays": run_child(derived, args.warm),
        }
    load = os.getloadavg()
    print(f"Cold start: first request of a fresh process (load average {load[0]:.1f}, ", end="")
    print(f"{os.cpu_count()} CPUs)")
    header = (
        f"{'case':18} {'boot s':>7} {'1st profile s':>14} {'warm ms':>8} {'ratio':>7} "
        f"{'1st workspace s':>16} {'warm ms':>8} {'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, r in cases.items():
        print(
            f"{name:18} {r['boot']:7.2f} {r['first_profile']:14.2f} "
            f"{r['warm_profile'] * 1000:8.1f} {r['first_profile'] / r['warm_profile']:7.1f} "
            f"{r['first_workspace']:16.2f} {r['warm_workspace'] * 1000:8.1f} "
            f"{r['first_workspace'] / r['warm_workspace']:7.1f}"
        )
    print()
    print(f"{'CPU seconds':18} {'':7} {'1st profile s':>14} {'warm ms':>8} {'ratio':>7} ", end="")
    print(f"{'1st workspace s':>16} {'warm ms':>8} {'ratio':>7}")
    for name, r in cases.items():
        print(
            f"{name:18} {'':7} {r['cpu_first_profile']:14.2f} {r['cpu_profile'] * 1000:8.1f} "
            f"{r['cpu_first_profile'] / r['cpu_profile']:7.1f} {r['cpu_first_workspace']:16.2f} "
            f"{r['cpu_workspace'] * 1000:8.1f} "
            f"{r['cpu_first_workspace'] / r['cpu_workspace']:7.1f}"
        )
    before, after = cases["no stored arrays"], cases["stored arrays"]
    print()
    print(
        "ratio = first request / median warm request of the same process. Stored arrays make "
        f"the first profile {before['first_profile'] / after['first_profile']:.1f}x and the "
        f"first workspace {before['first_workspace'] / after['first_workspace']:.1f}x faster."
    )


if __name__ == "__main__":
    main()
