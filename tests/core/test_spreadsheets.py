"""Cells of CSV/XLSX exports never start a formula; numbers and harmless text stay as they are."""

from __future__ import annotations

import pytest

from ortswandel.core.spreadsheets import safe_cell, safe_row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 30 123", "'+49 30 123"),
        ("-Rabatt", "'-Rabatt"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Radwege = wichtig", "Radwege = wichtig"),
        ("", ""),
        (-5, -5),
        (2.5, 2.5),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_safe_row_keeps_order_and_numbers():
    assert safe_row(["=A1", 3, "Bank"]) == ["'=A1", 3, "Bank"]
