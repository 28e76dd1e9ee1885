"""Reader for the Destatis municipality register GV100AD (Gemeindeverzeichnis, fixed-width text).

GV100AD ("Gemeindeverzeichnis – Auszug, Datensatzbeschreibung") is one record per line,
220 characters wide, the first two characters being the record type (Satzart):

=======  =====================================================================
Satzart  content
=======  =====================================================================
10       Land (federal state)
20       Regierungsbezirk (administrative region)
30       Region (only Baden-Württemberg)
40       Kreis (district or district-free city)
50       Gemeindeverband (association of municipalities)
60       Gemeinde (municipality)
=======  =====================================================================

Columns used here (1-based, inclusive, as in the Destatis record description):

=========  ===  ================================================================
columns    len  field
=========  ===  ================================================================
1–2          2  Satzart
3–10         8  Gebietsstand (territorial status, ``YYYYMMDD``)
11–12        2  Land
13           1  Regierungsbezirk
14–15        2  Kreis
16–18        3  Gemeinde
19–22        4  Gemeindeverband
23–72       50  Name
73–122      50  Sitz der Verwaltung (records 10–50)
123–124      2  Textkennzeichen (type key, records 40–60)
129–139     11  Fläche in ha (records 60)
140–150     11  Bevölkerung insgesamt (records 60)
151–161     11  Bevölkerung männlich (records 60)
166–170      5  Postleitzahl (of the seat of the administration)
171–175      5  ``*****`` when the municipality has more than one postal code
=========  ===  ================================================================

So a municipality's 8-digit AGS (Amtlicher Gemeindeschlüssel) is columns 11–18 (Land,
Regierungsbezirk, Kreis, Gemeinde) and its 12-digit ARS (Amtlicher Regionalschlüssel) is
Land + Regierungsbezirk + Kreis + Gemeindeverband + Gemeinde (columns 11–15, 19–22, 16–18).
The population is the official update (Fortschreibung) of 31 December of the year before the
Gebietsstand (of that year for a 31 December edition); female = total − male.

This module is pure Python (no Django, no network): it turns the text into frozen dataclasses
and raises :class:`SourceFormatError` with the line number for every malformed line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

RECORD_WIDTH = 220
KNOWN_RECORD_TYPES = frozenset({"10", "20", "30", "40", "50", "60"})

LAND_CODES = frozenset(f"{n:02d}" for n in range(1, 17))

#: Textkennzeichen of record type 60 (Gemeinde) → German label.
MUNICIPALITY_TYPES: dict[str, str] = {
    "60": "Markt",
    "61": "Kreisfreie Stadt",
    "62": "Stadtkreis",
    "63": "Stadt",
    "64": "Gemeinde",
    "65": "gemeindefreies Gebiet, bewohnt",
    "66": "gemeindefreies Gebiet, unbewohnt",
    "67": "Große Kreisstadt",
}

#: Textkennzeichen of record type 40 (Kreis) → German label.
KREIS_TYPES: dict[str, str] = {
    "41": "Kreisfreie Stadt",
    "42": "Stadtkreis",
    "43": "Kreis",
    "44": "Landkreis",
    "45": "Regionalverband",
}

#: Kreis types that are district-free cities (the municipality is its own district).
DISTRICT_FREE_KREIS_TYPES = frozenset({"41", "42"})


class SourceFormatError(ValueError):
    """A line of an official file does not have the documented format.

    ``line`` is 1-based (``None`` when the whole file is affected); ``str(error)`` reads
    ``"Zeile 12: …"`` so that it can be shown to a person as it is.
    """

    def __init__(self, message: str, *, line: int | None = None, path: str | None = None):
        self.line = line
        self.reason = message
        self.path = path
        prefix = f"Zeile {line}: " if line is not None else ""
        super().__init__(prefix + message)


@dataclass(frozen=True, slots=True)
class GV100Municipality:
    """One Gemeinde (record type 60) with the names of its Land and Kreis.

    Areas in hectares (``area_ha``) and km² (``area_km2``); populations in persons.
    """

    line: int
    ags: str
    ars: str
    name: str
    type_code: str
    land_code: str
    land_name: str
    kreis_code: str
    kreis_name: str
    kreis_type_code: str
    area_ha: int
    population: int
    population_male: int
    postal_code: str
    postal_code_is_unique: bool
    reference_date: dt.date

    @property
    def type_name(self) -> str:
        return MUNICIPALITY_TYPES.get(self.type_code, "")

    @property
    def area_km2(self) -> float:
        return round(self.area_ha / 100, 2)

    @property
    def population_female(self) -> int:
        return self.population - self.population_male


@dataclass(frozen=True, slots=True)
class GV100Register:
    """The municipalities of one GV100AD file, in file order, with the file's Gebietsstand."""

    reference_date: dt.date
    municipalities: tuple[GV100Municipality, ...]
    kreis_count: int  # records of type 40
    land_count: int  # Länder with at least one municipality

    @property
    def population_date(self) -> dt.date:
        """Reference date of the population figures (see module docstring)."""
        return population_date_for(self.reference_date)


def population_date_for(reference_date: dt.date) -> dt.date:
    """31 Dec of the year before the Gebietsstand, or of the same year for a 31 Dec edition."""
    if (reference_date.month, reference_date.day) == (12, 31):
        return reference_date
    return dt.date(reference_date.year - 1, 12, 31)


def _number(value: str, *, field: str, lineno: int, width: int | None = None) -> int:
    text = value.strip()
    if not text.isascii() or not text.isdigit() or (width is not None and len(text) != width):
        what = f"{width}-stellige Zahl" if width else "Zahl (nur Ziffern)"
        raise SourceFormatError(f"{field} '{text}' ist keine {what}", line=lineno)
    return int(text)


def _date(value: str, *, lineno: int) -> dt.date:
    _number(value, field="Gebietsstand", lineno=lineno, width=8)
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise SourceFormatError(
            f"Gebietsstand '{value}' ist kein gültiges Datum (JJJJMMTT)", line=lineno
        ) from None


def decode_lines(data: bytes) -> list[str]:
    """Split a GV100AD file into lines. UTF-8 (with or without BOM) or, as published by
    Destatis, ISO-8859-1/Windows-1252."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.splitlines()


def read_gv100ad(path: str | Path) -> GV100Register:
    """Read a GV100AD file; raise :class:`SourceFormatError` (with ``path``) when malformed."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceFormatError(f"Datei nicht gefunden: {path}", path=str(path)) from None
    except OSError as exc:
        raise SourceFormatError(
            f"Datei kann nicht gelesen werden: {path} ({exc})", path=str(path)
        ) from None
    try:
        return parse_gv100ad(decode_lines(data))
    except SourceFormatError as exc:
        exc.path = str(path)
        raise


def _records(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if len(line) > RECORD_WIDTH:
            raise SourceFormatError(
                f"Satz ist {len(line)} Zeichen lang, erlaubt sind {RECORD_WIDTH}", line=lineno
            )
        # Trailing blanks are sometimes stripped by editors; the layout is still unambiguous.
        yield lineno, line.ljust(RECORD_WIDTH)


def parse_gv100ad(lines: Iterable[str]) -> GV100Register:
    """Parse GV100AD records.

    Parameters
    ----------
    lines
        The lines of the file (without or with line ends); blank lines are ignored.

    Returns
    -------
    GV100Register
        All municipalities (record type 60) in file order.

    Raises
    ------
    SourceFormatError
        On the first malformed line: unknown record type, bad key, date or number, a different
        Gebietsstand than the first record, a duplicate AGS/ARS, a municipality whose Land or
        Kreis record is missing, or a file without municipalities.
    """
    lands: dict[str, str] = {}
    kreise: dict[str, tuple[str, str]] = {}
    pending: list[tuple[int, str]] = []
    reference: dt.date | None = None
    reference_line = 0

    for lineno, rec in _records(lines):
        kind = rec[0:2]
        if kind not in KNOWN_RECORD_TYPES:
            raise SourceFormatError(
                f"unbekannte Satzart '{kind.strip()}' (erwartet 10, 20, 30, 40, 50 oder 60)",
                line=lineno,
            )
        date = _date(rec[2:10], lineno=lineno)
        if reference is None:
            reference, reference_line = date, lineno
        elif date != reference:
            raise SourceFormatError(
                f"Gebietsstand {date:%d.%m.%Y} weicht vom Gebietsstand {reference:%d.%m.%Y} "
                f"in Zeile {reference_line} ab",
                line=lineno,
            )
        land = rec[10:12]
        if land not in LAND_CODES:
            raise SourceFormatError(
                f"Land '{land.strip()}' ist kein Länderschlüssel (01 bis 16)", line=lineno
            )
        name = rec[22:72].strip()
        if kind in {"10", "40", "60"} and not name:
            raise SourceFormatError("der Name fehlt (Spalten 23–72)", line=lineno)
        if kind == "10":
            lands[land] = name
        elif kind == "40":
            _number(rec[10:15], field="Kreisschlüssel", lineno=lineno, width=5)
            kreise[rec[10:15]] = (name, rec[122:124].strip())
        elif kind == "60":
            pending.append((lineno, rec))

    if reference is None or not pending:
        raise SourceFormatError("die Datei enthält keine Gemeinden (Satzart 60)")

    municipalities = [_municipality(lineno, rec, lands, kreise) for lineno, rec in pending]
    _check_unique(municipalities)
    return GV100Register(
        reference_date=reference,
        municipalities=tuple(municipalities),
        kreis_count=len(kreise),
        land_count=len({m.land_code for m in municipalities}),
    )


def _check_unique(municipalities: list[GV100Municipality]) -> None:
    seen_ags: dict[str, int] = {}
    seen_ars: dict[str, int] = {}
    for item in municipalities:
        for label, key, seen in (("AGS", item.ags, seen_ags), ("ARS", item.ars, seen_ars)):
            if key in seen:
                raise SourceFormatError(
                    f"{label} '{key}' kommt doppelt vor (schon in Zeile {seen[key]})",
                    line=item.line,
                )
            seen[key] = item.line


def _municipality(
    lineno: int, rec: str, lands: dict[str, str], kreise: dict[str, tuple[str, str]]
) -> GV100Municipality:
    ags = rec[10:18]
    ars = rec[10:15] + rec[18:22] + rec[15:18]
    if not (ags.isascii() and ags.isdigit()):
        raise SourceFormatError(f"AGS '{ags.strip()}' ist keine 8-stellige Zahl", line=lineno)
    if not (ars.isascii() and ars.isdigit()):
        raise SourceFormatError(f"ARS '{ars.strip()}' ist keine 12-stellige Zahl", line=lineno)
    type_code = rec[122:124].strip()
    if type_code not in MUNICIPALITY_TYPES:
        raise SourceFormatError(
            f"Textkennzeichen '{type_code}' ist kein Gemeindetyp (60 bis 67)", line=lineno
        )
    area = _number(rec[128:139], field="Fläche (ha)", lineno=lineno)
    population = _number(rec[139:150], field="Bevölkerung insgesamt", lineno=lineno)
    male = _number(rec[150:161], field="Bevölkerung männlich", lineno=lineno)
    if male > population:
        raise SourceFormatError(
            f"Bevölkerung männlich ({male}) ist größer als insgesamt ({population})", line=lineno
        )
    postal = rec[165:170].strip()
    if postal:
        _number(postal, field="Postleitzahl", lineno=lineno, width=5)
    multi = rec[170:175].strip()
    if multi not in {"", "*****"}:
        raise SourceFormatError(
            f"Kennzeichen mehrerer Postleitzahlen '{multi}' ist weder leer noch '*****'",
            line=lineno,
        )
    land_code, kreis_code = ags[:2], ags[:5]
    if land_code not in lands:
        raise SourceFormatError(
            f"zum Land {land_code} fehlt der Satz der Satzart 10 (Land)", line=lineno
        )
    if kreis_code in kreise:
        kreis_name, kreis_type = kreise[kreis_code]
    elif kreis_code[2:] == "000":
        # Areas directly under the Land, e.g. the German-Luxembourg condominium 07000999.
        kreis_name, kreis_type = "", ""
    else:
        raise SourceFormatError(
            f"zum Kreis {kreis_code} fehlt der Satz der Satzart 40 (Kreis)", line=lineno
        )
    return GV100Municipality(
        line=lineno,
        ags=ags,
        ars=ars,
        name=rec[22:72].strip(),
        type_code=type_code,
        land_code=land_code,
        land_name=lands[land_code],
        kreis_code=kreis_code,
        kreis_name=kreis_name,
        kreis_type_code=kreis_type,
        area_ha=area,
        population=population,
        population_male=male,
        postal_code=postal,
        postal_code_is_unique=multi == "",
        reference_date=_date(rec[2:10], lineno=lineno),
    )
