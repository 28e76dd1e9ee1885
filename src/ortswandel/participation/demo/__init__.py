"""Demo content of the participation app (see ortswandel.core.demo)."""

from __future__ import annotations

from typing import Any, TextIO


def accounts(*, password: str) -> list[Any]:
    return []


def load(*, stdout: TextIO | None = None) -> None:
    return None
