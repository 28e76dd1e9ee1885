"""Reader for Destatis period life tables (GENESIS 12621-0001, CSV, German decimals).

The file has, per sex, columns ``q(x), p(x), l(x), d(x), L(x), T(x), e(x)`` each
followed by a quality flag, rows ``"0 Jahre"`` ... ``"100 Jahre"``. The engine's
form is ``Lx`` for ages 0..99 plus ``T(100)`` for the open group 100+ (radix
100 000), which is exactly what Destatis publishes.

Attribution: "© Statistisches Bundesamt (Destatis), Sterbetafel 12621-0001, dl-de/by-2-0".
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np

from ortswandel.engine import LifeTable

__all__ = ["LifeTableFormatError", "parse_german_number", "read_destatis_life_tables"]

ATTRIBUTION = "© Statistisches Bundesamt (Destatis), Sterbetafel 12621-0001, dl-de/by-2-0"
_AGE_ROW = re.compile(r"^(\d+) Jahre?$")
_COLS = ("qx", "px", "lx", "dx", "Lx", "Tx", "ex")


class LifeTableFormatError(ValueError):
    """The file does not look like a GENESIS 12621-0001 table."""


def parse_german_number(text: str) -> float:
    """``"1.234,56"`` -> 1234.56; ``"-"``, ``"."``, ``"..."`` and ``""`` -> NaN."""
    t = text.strip()
    if t in {"", "-", ".", "...", "x", "/"}:
        return float("nan")
    return float(t.replace(".", "").replace(",", "."))


def read_destatis_life_tables(path: str | Path, *, open_age: int = 100) -> dict[str, LifeTable]:
    """Read one GENESIS 12621-0001 CSV into ``{"female": LifeTable, "male": LifeTable}``.

    Parameters
    ----------
    path : str or Path
        The CSV file (UTF-8 with BOM, ``;``-separated).
    open_age : int
        First age of the open group; ``Lx`` of 0..open_age-1 and ``T(open_age)`` are used.
    """
    rows: dict[int, list[str]] = {}
    sexes: list[str] = []
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter=";"):
            m = _AGE_ROW.match(row[0].strip()) if row else None
            if m:
                if int(m.group(1)) in rows:
                    raise LifeTableFormatError(
                        f"{path}: age {m.group(1)} appears twice; export one period per file"
                    )
                rows[int(m.group(1))] = row
            elif not rows and not sexes:
                sexes = [c.strip() for c in row if c.strip() in ("männlich", "weiblich")]
    if not rows or any(a not in rows for a in range(open_age + 1)):
        raise LifeTableFormatError(
            f"{path}: expected rows '0 Jahre' .. '{open_age} Jahre' of GENESIS table 12621-0001"
        )
    if sexes != ["männlich", "weiblich"]:
        raise LifeTableFormatError(f"{path}: expected the columns of 'männlich', then 'weiblich'")
    out = {}
    # values sit in columns 1, 3, 5, ... (each followed by a flag); male first, then female
    for offset, sex in ((0, "male"), (len(_COLS), "female")):
        col = {name: 1 + 2 * (offset + i) for i, name in enumerate(_COLS)}
        lx = np.array([parse_german_number(rows[a][col["Lx"]]) for a in range(open_age)])
        t_open = parse_german_number(rows[open_age][col["Tx"]])
        values = np.append(lx, t_open)
        if not np.isfinite(values).all():
            raise LifeTableFormatError(f"{path}: missing L(x)/T(x) values for {sex}")
        table = LifeTable(values, width=1, source=f"{Path(path).name} ({ATTRIBUTION})")
        published = parse_german_number(rows[0][col["ex"]])
        if not abs(table.e0 - published) < 0.01:  # the columns are what we think they are
            raise LifeTableFormatError(
                f"{path}: {sex} e0 from L(x) is {table.e0:.2f}, the file says {published}"
            )
        out[sex] = table
    return out
