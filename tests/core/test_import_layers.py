"""The layer contracts in ``.importlinter`` hold, and they do fail on a forbidden import.

``scripts/run_tests.sh`` runs ``lint-imports`` on the tree; these tests run it on a copy of the
package with one forbidden import added, to show that each kind of breach is caught.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_package(tmp_path: Path) -> Path:
    """The Python modules of ``src/ortswandel`` and the contracts, copied under ``tmp_path``."""

    def skip(directory: str, names: list[str]) -> list[str]:
        return [
            name
            for name in names
            if name == "__pycache__"
            or (not name.endswith(".py") and not Path(directory, name).is_dir())
        ]

    shutil.copytree(ROOT / "src" / "ortswandel", tmp_path / "src" / "ortswandel", ignore=skip)
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path / "src" / "ortswandel"


def _lint_imports(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src"), "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tmp_path / ".importlinter"), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_unchanged_copy_keeps_every_contract(tmp_path):
    _copy_package(tmp_path)
    result = _lint_imports(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        # core imports no app (it used to: the demo content command imported four)
        (
            "core/_breach.py",
            "import ortswandel.catalogue.models\n",
            "ortswandel.core is not allowed to import ortswandel.catalogue",
        ),
        # the old cycle: the municipality register importing the catalogue
        (
            "municipalities/_breach.py",
            "from ortswandel.catalogue import models\n",
            "ortswandel.municipalities is not allowed to import ortswandel.catalogue",
        ),
        # independent apps in one layer do not import each other
        (
            "search/_breach.py",
            "import ortswandel.events.models\n",
            "ortswandel.search is not allowed to import ortswandel.events",
        ),
        # the scenario builder reads official files; the readers know no scenario
        (
            "sources/_breach.py",
            "from ortswandel.scenario import build\n",
            "ortswandel.sources is not allowed to import ortswandel.scenario",
        ),
        # the engine imports nothing of ours, and no Django
        (
            "engine/_breach.py",
            "import django.db\n",
            "ortswandel.engine is not allowed to import django",
        ),
        (
            "engine/_breach.py",
            "def f():\n    from ortswandel.sources import zensus\n",
            "ortswandel.engine is not allowed to import ortswandel.sources",
        ),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tmp_path, module, source, expected):
    package = _copy_package(tmp_path)
    (package / module).write_text(source, encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in " ".join(result.stdout.split())
    assert f"ortswandel.{module[:-3].replace('/', '.')}" in result.stdout  # the copy was read


def test_a_new_app_must_be_placed_in_a_layer(tmp_path):
    package = _copy_package(tmp_path)
    (package / "newapp").mkdir()
    (package / "newapp" / "__init__.py").write_text("", encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ortswandel.newapp" in result.stdout
    assert "not listed as layers" in " ".join(result.stdout.split())
