"""Readers for births and deaths: GENESIS 12613-0003, 12612-0009, 12612-0104, 12612-0008.

* :func:`read_deaths` — 12613-0003 "Gestorbene: Deutschland, Jahre, Geschlecht,
  Altersjahre" (GENESIS layout, rows ``sex;age;<years>``): ``[2, 101]`` per year (female,
  male; ages 0..99, 100+). Deaths of unknown age (only before 1990) are spread
  proportionally over the ages.
* :func:`read_tfr` — 12612-0009 (Germany) and 12612-0104 (Länder), GENESIS "flat" CSV:
  the total fertility rate of women aged 15–49 (``ALT015B50``) per year (and Land).
* :func:`read_asfr` — 12612-0008 (wide, rows ``15 years`` .. ``49 years``, columns years):
  live births per woman and year by single year of age 15..49 (the file gives them per
  1,000 women).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .genesis import age_of_label, read_text
from .gv100ad import SourceFormatError

__all__ = ["AgeSpecificFertility", "Deaths", "read_asfr", "read_deaths", "read_tfr"]

F64 = NDArray[np.float64]
_SEX = {"mnnlich": 1, "weiblich": 0}
_YEAR = re.compile(r"^\d{4}$")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


@dataclass(frozen=True)
class Deaths:
    """Deaths by year: ``counts[year]`` ``[2, open_age + 1]`` (female, male)."""

    open_age: int
    counts: dict[int, F64]
    source: str

    @property
    def years(self) -> list[int]:
        return sorted(self.counts)


def read_deaths(path: str | Path) -> Deaths:
    """Read GENESIS 12613-0003 (see module docstring)."""
    p = Path(path)
    years: list[int] = []
    cells: dict[tuple[int, int], F64] = {}
    unknown: dict[int, F64] = {}
    totals: dict[int, F64] = {}
    open_age = -1
    for line, row in enumerate(read_text(p).splitlines(), start=1):
        c = row.split(";")
        if not years and len(c) > 3 and all(_YEAR.match(x.strip()) for x in c[2:] if x.strip()):
            years = [int(x) for x in c[2:] if x.strip()]
            continue
        sex = _SEX.get(_norm(c[0])) if c else None
        if sex is None or not years or len(c) < 2 + len(years):
            continue
        vals = np.array([_num(x, p, line) for x in c[2 : 2 + len(years)]])
        label = c[1].strip()
        age = age_of_label(label)
        if age is not None:
            cells[(sex, age[0])] = vals
            if age[1]:
                open_age = age[0]
        elif "unbekannt" in label:
            unknown[sex] = vals
        elif label.startswith("Insgesamt"):
            totals[sex] = vals
    if not years or open_age < 0 or len(totals) != 2:
        raise SourceFormatError(f"{p.name}: does not look like GENESIS table 12613-0003")
    arr = np.zeros((len(years), 2, open_age + 1))
    for (sex, a), vals in cells.items():
        arr[:, sex, a] = vals
    for sex, vals in unknown.items():
        share = arr[:, sex] / arr[:, sex].sum(axis=-1, keepdims=True)
        arr[:, sex] += share * vals[:, None]
    for sex in (0, 1):
        if not (np.abs(arr[:, sex].sum(axis=-1) - totals[sex]) < 0.5).all():
            raise SourceFormatError(f"{p.name}: ages do not add up to 'Insgesamt' (sex {sex})")
    return Deaths(open_age, {y: arr[i] for i, y in enumerate(years)}, p.name)


def _num(text: str, path: Path, line: int) -> float:
    t = text.strip()
    if t in {"-", ""}:
        return 0.0
    try:
        return float(t.replace(",", "."))
    except ValueError as exc:
        raise SourceFormatError(f"{path.name} line {line}: not a number: {text!r}") from exc


def read_tfr(path: str | Path) -> dict[str, dict[int, float]]:
    """TFR (15–49) from a GENESIS flat CSV: ``{"DG" or Land "01".."16": {year: tfr}}``.

    Cells ``.`` (not available) are left out.
    """
    p = Path(path)
    reader = csv.DictReader(io.StringIO(read_text(p)), delimiter=";")
    need = {"time", "1_variable_attribute_code", "2_variable_attribute_code", "value"}
    if not need <= set(reader.fieldnames or ()):
        raise SourceFormatError(f"{p.name}: not a GENESIS flat CSV with {sorted(need)}")
    out: dict[str, dict[int, float]] = {}
    for row in reader:
        if row["2_variable_attribute_code"] != "ALT015B50":
            continue
        value = row["value"].strip()
        if value in {".", "...", "x", "/", "-", ""}:
            continue
        area = row["1_variable_attribute_code"].strip()
        try:
            out.setdefault(area, {})[int(row["time"])] = float(value.replace(",", "."))
        except ValueError as exc:
            raise SourceFormatError(f"{p.name}: bad row {row}") from exc
    if not out:
        raise SourceFormatError(f"{p.name}: no TFR values (ALT015B50)")
    return out


@dataclass(frozen=True)
class AgeSpecificFertility:
    """Births per woman and year by single year of age ``first_age..`` per calendar year."""

    first_age: int
    rates: dict[int, F64]
    source: str

    def mean_age(self, year: int) -> float:
        """Mean age of the fertility schedule (age + 0.5, weighted by the rates)."""
        r = self.rates[year]
        ages = self.first_age + np.arange(r.size) + 0.5
        return float((r * ages).sum() / r.sum())


def read_asfr(path: str | Path) -> AgeSpecificFertility:
    """Read 12612-0008 in the wide form (see module docstring)."""
    p = Path(path)
    rows = [r.split(";") for r in read_text(p).splitlines() if r.strip()]
    header = [x.strip() for x in rows[0]]
    years = [int(x) for x in header[1:] if _YEAR.match(x)]
    ages: list[int] = []
    values: list[list[float]] = []
    for line, r in enumerate(rows[1:], start=2):
        m = re.match(r"^(\d+) years?$", r[0].strip())
        if not m:
            continue
        ages.append(int(m.group(1)))
        values.append([_num(x, p, line) / 1000.0 for x in r[1 : 1 + len(years)]])
    if not years or not ages or ages != list(range(ages[0], ages[0] + len(ages))):
        raise SourceFormatError(f"{p.name}: expected rows '15 years' .. '49 years' and years")
    arr = np.array(values)  # [age, year]
    return AgeSpecificFertility(ages[0], {y: arr[:, i] for i, y in enumerate(years)}, p.name)
