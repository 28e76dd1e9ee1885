"""What every reader returns: cells with line numbers, metadata of the table, and problems.

Also decoding of the bytes (UTF-8 with or without BOM, or ISO-8859-1/Windows-1252 as GENESIS
exports its classic CSV) with the checks that reject a file in a wrong encoding.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .vocab import Period

#: At most this many problems are collected (a broken file does not produce 100,000 lines).
MAX_PROBLEMS = 200


class TableError(ValueError):
    """The file as a whole cannot be read (encoding, no recognisable structure)."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        self.reason = message
        super().__init__(f"Zeile {line}: {message}" if line is not None else message)


@dataclass(frozen=True, slots=True)
class Problem:
    """A line-level message (``line`` 1-based; ``None`` for the whole file)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"Zeile {self.line}: {self.message}" if self.line is not None else self.message

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "message": self.message}


@dataclass(frozen=True, slots=True)
class Cell:
    """One number of the table with everything that identifies it."""

    line: int
    measure: str
    region: str | None
    period: Period
    breakdown: str
    value: float | None
    sign: str
    region_name: str = ""
    note: str = ""


@dataclass
class Measure:
    label: str
    unit: str = ""


@dataclass
class ParsedTable:
    layout: str
    encoding: str
    table_code: str = ""
    title: str = ""
    stand: dt.date | None = None
    copyright: str = ""
    footer: str = ""
    measures: dict[str, Measure] = field(default_factory=dict)
    dimensions: dict[str, dict[str, object]] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def problem(self, line: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(line, message))

    def note(self, line: int | None, message: str) -> None:
        if len(self.notes) < MAX_PROBLEMS:
            self.notes.append(Problem(line, message))

    def label_item(self, dimension: str, item: str, label: str, dim_label: str = "") -> None:
        """Remember the German label of a breakdown item (shown by the API)."""
        entry = self.dimensions.setdefault(dimension, {"label": dim_label or dimension})
        items = entry.setdefault("items", {})
        if isinstance(items, dict) and item and item not in items:
            items[item] = label.strip()[:100]


# ----------------------------------------------------------------------------- decoding

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: UTF-8 read as Latin-1 and saved again ("Ã¤" for "ä"): the file was converted twice.
_DOUBLE_ENCODED = re.compile(r"Ã[\u0080-\u00bf]|Â[©°§]")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """The text of a CSV file and the encoding used.

    ``encoding``: ``auto`` (UTF-8, else Windows-1252/ISO-8859-1), ``utf-8`` or ``iso-8859-1``.
    Raises :class:`TableError` for NUL bytes (UTF-16 or binary files), bytes that are invalid in
    the requested encoding, control characters and doubly encoded UTF-8.
    """
    if not data.strip():
        raise TableError("Die Datei ist leer.")
    if b"\x00" in data[:65536]:
        raise TableError(
            "Die Datei enthält Nullbytes: vermutlich UTF-16 oder keine Textdatei. "
            "Bitte als CSV in UTF-8 oder ISO-8859-1 speichern.",
            line=_line_of(data, data.index(b"\x00")),
        )
    if encoding in ("auto", "utf-8"):
        try:
            text, used = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError as exc:
            if encoding == "utf-8":
                raise TableError(
                    f"Die Datei ist nicht UTF-8-kodiert (ungültiges Byte 0x{data[exc.start]:02X}).",
                    line=_line_of(data, exc.start),
                ) from None
            text, used = _decode_latin(data), "iso-8859-1"
    elif encoding in ("iso-8859-1", "latin-1", "cp1252", "windows-1252"):
        text, used = _decode_latin(data), "iso-8859-1"
    else:
        raise TableError(f"Unbekannte Zeichenkodierung „{encoding}“.")
    control = _CONTROL.search(text)
    if control:
        raise TableError(
            "Die Datei enthält Steuerzeichen; ist die Zeichenkodierung richtig gewählt?",
            line=text.count("\n", 0, control.start()) + 1,
        )
    double = _DOUBLE_ENCODED.search(text)
    if double:
        raise TableError(
            f"Die Datei ist doppelt kodiert („{double.group(0)}“ statt eines Umlauts). Bitte die "
            "Originaldatei hochladen oder mit der richtigen Zeichenkodierung speichern.",
            line=text.count("\n", 0, double.start()) + 1,
        )
    return text, used


def _decode_latin(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# ----------------------------------------------------------------------------- footers

_STAND = re.compile(r"Stand:\s*(\d{2})\.(\d{2})\.(\d{4})")
_TABLE_CODE = re.compile(r"(?:GENESIS-)?Tabelle:\s*([0-9A-Za-z][0-9A-Za-z.-]*)")


def stand_from(text: str) -> dt.date | None:
    """The ``Stand: 20.06.2024 / 11:26:40`` line of a GENESIS footer."""
    match = _STAND.search(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def table_code_from(text: str) -> str:
    match = _TABLE_CODE.search(text)
    return match.group(1) if match else ""


def copyright_from(text: str) -> str:
    for line in text.splitlines():
        cleaned = line.strip().strip('"').strip()
        if cleaned.startswith(("©", "\ufffd Statist", "(C)")):
            return cleaned.replace("\ufffd", "©", 1)
    return ""
