"""Cells of CSV and XLSX exports: text that people typed never becomes a spreadsheet formula.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by Excel and LibreOffice (CSV/formula injection, OWASP); such text gets a leading apostrophe,
which the programs show as plain text. Numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, with text that would start a formula prefixed by an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """:func:`safe_cell` for every value of a row."""
    return [safe_cell(value) for value in values]
