"""The WSGI entry's start-up settings: the garbage collector's freeze (see config/runtime.py)."""

from __future__ import annotations

import gc
import subprocess
import sys


def test_tune_gc_freezes_the_start_up_objects():
    before = gc.get_freeze_count()
    try:
        from ortswandel.config.runtime import tune_gc

        tune_gc()
        assert gc.get_freeze_count() > max(before, 10_000)
    finally:
        gc.unfreeze()


def test_the_wsgi_module_loads_and_freezes():
    code = (
        "import gc; from ortswandel.config import wsgi; "
        "assert callable(wsgi.application); print(gc.get_freeze_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 10_000
