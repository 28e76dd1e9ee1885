"""The assumptions of the coordinated population projection, from the footnote of GENESIS
12421-0002 (15. koordinierte Bevölkerungsvorausberechnung)::

    G2: Geburtenrate 1,55 Kinder je Frau
    L2: Lebenserwartung bei Geburt 2070 für Jungen 84,6 / Mädchen 88,2 Jahre
    W1: Rückgang von 1,1 Mill. in 2022 auf 150.000 in 2033, danach konstant
    W0: Wanderungssaldo Null (keine Außenwanderung)

Returns :class:`Assumption` rows (measure, breakdown, year, value); pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .vocab import parse_number


@dataclass(frozen=True, slots=True)
class Assumption:
    measure: str  # geburtenrate, lebenserwartung, wanderungssaldo
    breakdown: str  # e.g. "annahme=L2;sex=m"
    year: int
    value: float
    note: str = ""


_BIRTHS = re.compile(r"\b(G\d|GR): Geburtenrate (\d+(?:,\d+)?) Kinder je Frau")
_LIFE = re.compile(
    r"\b(L\d): Lebenserwartung bei Geburt (\d{4}) für Jungen (\d+(?:,\d+)?) ?/ ?"
    r"M\S*dchen (\d+(?:,\d+)?) Jahre"
)
_MIGRATION = re.compile(
    r"\b(W\d): R\S*ckgang von (\d+(?:,\d+)?) Mill\. in (\d{4}) auf (\d{1,3}(?:\.\d{3})*) in "
    r"(\d{4})(, danach konstant)?"
)
_ZERO = re.compile(r"\b(W0): Wanderungssaldo Null")
_BASE = re.compile(r"Basis: (\d{2}\.\d{2}\.\d{4})")


def _number(text: str) -> float:
    parsed = parse_number(text)
    if parsed is None or parsed.value is None:
        raise ValueError(f"„{text}“ ist keine Zahl")
    return parsed.value


def parse_assumptions(footer: str) -> tuple[list[Assumption], str]:
    """The assumptions found in ``footer`` and the base date text (``31.12.2021``)."""
    text = " ".join(footer.split())
    rows: list[Assumption] = []
    for code, rate in _BIRTHS.findall(text):
        rows.append(Assumption("geburtenrate", f"annahme={code}", 2070, _number(rate)))
    for code, year, boys, girls in _LIFE.findall(text):
        rows.append(
            Assumption("lebenserwartung", f"annahme={code};sex=m", int(year), _number(boys))
        )
        rows.append(
            Assumption("lebenserwartung", f"annahme={code};sex=w", int(year), _number(girls))
        )
    for code, start, start_year, end, end_year, constant in _MIGRATION.findall(text):
        note = "danach konstant" if constant else ""
        rows.append(
            Assumption("wanderungssaldo", f"annahme={code}", int(start_year), _number(start) * 1e6)
        )
        rows.append(
            Assumption("wanderungssaldo", f"annahme={code}", int(end_year), _number(end), note)
        )
    for (code,) in ((m,) for m in _ZERO.findall(text)):
        rows.append(
            Assumption("wanderungssaldo", f"annahme={code}", 2022, 0.0, "keine Außenwanderung")
        )
    base = _BASE.search(text)
    return rows, base.group(1) if base else ""
