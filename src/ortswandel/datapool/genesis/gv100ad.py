"""All territorial units of a GV100AD file: Länder, Kreise, Gemeindeverbände and Gemeinden.

:func:`ortswandel.sources.gv100ad.read_gv100ad` validates the file and returns the
municipalities; this module adds the records 10 (Land), 40 (Kreis) and 50 (Gemeindeverband),
whose names and keys the data pool needs for its hierarchy. The key of a Gemeindeverband is
Land + Regierungsbezirk + Kreis + Verband (9 digits, the first 9 of the ARS).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ortswandel.sources.gv100ad import GV100Register, decode_lines, read_gv100ad

from .table import Cell, Measure, ParsedTable
from .vocab import Period


@dataclass(frozen=True, slots=True)
class UnitRecord:
    level: str  # land, kreis, gemeindeverband, gemeinde
    code: str
    name: str
    type_code: str = ""
    ars: str = ""
    parent_code: str = ""  # kreis: land; gemeindeverband: kreis; gemeinde: verband or kreis
    line: int = 0


@dataclass(frozen=True, slots=True)
class RegisterUnits:
    reference_date: dt.date
    population_date: dt.date
    units: tuple[UnitRecord, ...]
    register: GV100Register


def read_register_units(path: str | Path) -> RegisterUnits:
    """Read a GV100AD file (raises :class:`~ortswandel.sources.gv100ad.SourceFormatError`)."""
    register = read_gv100ad(path)
    lines = decode_lines(Path(path).read_bytes())
    units: list[UnitRecord] = []
    verbands: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        kind = raw[0:2]
        name = raw[22:72].strip()
        if kind == "10":
            units.append(UnitRecord("land", raw[10:12], name, line=number))
        elif kind == "40":
            units.append(
                UnitRecord(
                    "kreis",
                    raw[10:15],
                    name,
                    raw[122:124].strip(),
                    parent_code=raw[10:12],
                    line=number,
                )
            )
        elif kind == "50":
            code = raw[10:15] + raw[18:22]
            verbands.add(code)
            units.append(
                UnitRecord(
                    "gemeindeverband",
                    code,
                    name,
                    raw[122:124].strip(),
                    parent_code=raw[10:15],
                    line=number,
                )
            )
    for item in register.municipalities:
        verband = item.ars[:9]
        units.append(
            UnitRecord(
                "gemeinde",
                item.ags,
                item.name,
                item.type_code,
                ars=item.ars,
                parent_code=verband if verband in verbands else item.kreis_code,
                line=item.line,
            )
        )
    return RegisterUnits(register.reference_date, register.population_date, tuple(units), register)


def register_values_table(units: RegisterUnits) -> ParsedTable:
    """The population (total and by sex, at the population date) and area (at the Gebietsstand)
    of every municipality, as a parsed table for the data pool."""
    table = ParsedTable(layout="gv100ad", encoding="utf-8", table_code="GV100AD")
    table.title = "Gemeindeverzeichnis GV100AD"
    table.stand = units.reference_date
    table.measures = {
        "bevoelkerung": Measure("Bevölkerung", "Personen"),
        "flaeche": Measure("Fläche", "km²"),
    }
    table.label_item("sex", "m", "männlich", "Geschlecht")
    table.label_item("sex", "w", "weiblich", "Geschlecht")
    population = Period(units.population_date, "stichtag")
    area = Period(units.reference_date, "stichtag")
    for item in units.register.municipalities:
        for breakdown, value in (
            ("", item.population),
            ("sex=m", item.population_male),
            ("sex=w", item.population_female),
        ):
            table.cells.append(
                Cell(item.line, "bevoelkerung", item.ags, population, breakdown, float(value), "")
            )
        table.cells.append(Cell(item.line, "flaeche", item.ags, area, "", item.area_km2, ""))
    return table
