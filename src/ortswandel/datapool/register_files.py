"""A municipality's own register data as a file: the downloadable templates (CSV and XLSX) and
the reader that checks an upload line by line.

Population (Melderegister)::

    Gemeindeschlüssel (AGS);03159016
    Stichtag (TT.MM.JJJJ);31.12.2024
    Alter;weiblich;männlich;insgesamt
    0;812;851;1663
    …
    100 und älter;40;9;49
    Insgesamt;…;…;…            (optional; checked against the sums)

Facilities (Kita, Schule, Pflege)::

    Gemeindeschlüssel (AGS);03159016
    Stichtag (TT.MM.JJJJ);01.03.2025
    Art;Einrichtung;Plätze;belegt
    Kita;Kita Sonnenschein;80;76
    Kita;Insgesamt;…;…          (optional sums per kind)

Every problem is reported with its line (the row number in Excel); nothing is stored when
there is one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .genesis.table import TableError, decode
from .models import RegisterKind

OPEN_AGE = 100
MAX_ROWS = 5000
FACILITY_KINDS = {
    "kita": "kita",
    "kindertagesstätte": "kita",
    "kindertageseinrichtung": "kita",
    "krippe": "kita",
    "kindergarten": "kita",
    "schule": "schule",
    "grundschule": "schule",
    "pflege": "pflege",
    "pflegeheim": "pflege",
    "pflegeeinrichtung": "pflege",
}
FACILITY_LABELS = {"kita": "Kita", "schule": "Schule", "pflege": "Pflege"}


class RegisterFileError(ValueError):
    """The upload cannot be stored; ``errors`` are ``(line, message)`` pairs."""

    def __init__(self, errors: list[tuple[int | None, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(_line_text(line, msg) for line, msg in errors[:5]))


def _line_text(line: int | None, message: str) -> str:
    if line is None:
        return message
    return _("Zeile %(line)d: %(message)s") % {"line": line, "message": message}


@dataclass
class RegisterData:
    ags: str
    reference_date: dt.date
    rows: int
    # population: (age, sex) -> persons; facilities: (kind, name) -> (places, occupied)
    population: dict[tuple[int, str], int] = field(default_factory=dict)
    facilities: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)


# ----------------------------------------------------------------------------- reading


def read_rows(name: str, data: bytes) -> list[tuple[int, list[str]]]:
    """(line, cells) of a CSV (``;`` or ``,``) or of the first sheet of an XLSX file."""
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(data)
    try:
        text, _encoding = decode(data)
    except TableError as exc:
        raise RegisterFileError([(exc.line, exc.reason)]) from None
    first = "\n".join(text.splitlines()[:10])
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for cells in reader:
        rows.append((reader.line_num, [c.strip() for c in cells]))
        if len(rows) > MAX_ROWS:
            raise RegisterFileError(
                [(None, _("Die Datei hat mehr als %(n)d Zeilen.") % {"n": MAX_ROWS})]
            )
    return rows


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError):
        raise RegisterFileError(
            [(None, _("Die Datei ist keine gültige Excel-Datei (XLSX)."))]
        ) from None
    sheet = workbook.worksheets[0]
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise RegisterFileError(
                [(None, _("Die Datei hat mehr als %(n)d Zeilen.") % {"n": MAX_ROWS})]
            )
        rows.append((number, [_xlsx_text(v) for v in values]))
    workbook.close()
    return rows


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("ä", "ae").replace("ü", "ue").replace("ö", "oe").split())


_COUNT = re.compile(r"\A(\d{1,3}(\.\d{3})+|\d+)\Z")


def _count(raw: str, errors: list[tuple[int | None, str]], line: int, what: str) -> int | None:
    text = raw.strip().replace(" ", "")
    if not text:
        errors.append(
            (
                line,
                _("%(what)s ist leer; bitte eine Zahl eintragen (0 für keine).") % {"what": what},
            )
        )
        return None
    if not _COUNT.match(text):
        errors.append(
            (
                line,
                _("%(what)s „%(raw)s“ ist keine ganze Zahl ≥ 0.") % {"what": what, "raw": raw[:20]},
            )
        )
        return None
    return int(text.replace(".", ""))


def _meta(
    rows: list[tuple[int, list[str]]], errors: list[tuple[int | None, str]]
) -> tuple[str, dt.date | None]:
    ags, date = "", None
    for line, cells in rows:
        key = _fold(cells[0]) if cells else ""
        value = cells[1].strip() if len(cells) > 1 else ""
        if key.startswith("gemeindeschluessel") or key == "ags":
            ags = value.zfill(8) if value.isdigit() and len(value) in (7, 8) else value
        elif key.startswith("stichtag"):
            date = _date(value, errors, line)
    if not ags:
        errors.append(
            (None, _("Der Gemeindeschlüssel (AGS) fehlt (Zeile „Gemeindeschlüssel (AGS)“)."))
        )
    if date is None and not any(_fold(c[0]).startswith("stichtag") for _l, c in rows if c):
        errors.append((None, _("Der Stichtag fehlt (Zeile „Stichtag (TT.MM.JJJJ)“).")))
    return ags, date


def _date(value: str, errors: list[tuple[int | None, str]], line: int) -> dt.date | None:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            date = dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
        if date > timezone.localdate() or date.year < 1990:
            errors.append(
                (
                    line,
                    _("Der Stichtag %(date)s liegt in der Zukunft oder vor 1990.")
                    % {"date": value},
                )
            )
            return None
        return date
    errors.append(
        (line, _("Stichtag „%(value)s“ ist kein Datum (TT.MM.JJJJ).") % {"value": value[:20]})
    )
    return None


def _header(rows: list[tuple[int, list[str]]], first: str) -> int | None:
    for position, (_line, cells) in enumerate(rows):
        if cells and _fold(cells[0]) == first:
            return position
    return None


_POPULATION_COLUMNS = {"weiblich": "w", "maennlich": "m", "insgesamt": "total"}


def _age(label: str) -> int | None:
    text = _fold(label)
    if text.isdigit() and int(text) < OPEN_AGE:
        return int(text)
    if re.fullmatch(r"100( und aelter| und mehr|\+| jahre und (aelter|mehr))?", text):
        return OPEN_AGE
    return None


def parse_population(name: str, data: bytes, *, ags: str) -> RegisterData:
    """Check and read a population upload for the municipality ``ags``."""
    rows = read_rows(name, data)
    errors: list[tuple[int | None, str]] = []
    file_ags, date = _meta(rows, errors)
    _check_ags(file_ags, ags, errors)
    start = _header(rows, "alter")
    if start is None:
        errors.append((None, _("Die Kopfzeile „Alter;weiblich;männlich;insgesamt“ fehlt.")))
        raise RegisterFileError(errors)
    columns = _population_columns(rows[start], errors)
    counts: dict[tuple[int, str], int] = {}
    seen: dict[int, int] = {}
    totals: tuple[int, dict[str, int | None]] | None = None
    for line, cells in rows[start + 1 :]:
        if not any(cells):
            continue
        values = {key: (cells[i] if i < len(cells) else "") for key, i in columns.items()}
        if _fold(cells[0]) in ("insgesamt", "summe"):
            totals = (line, {k: _count(v, errors, line, k) for k, v in values.items()})
        else:
            _population_row(line, cells[0], values, counts, seen, errors)
    missing = [str(a) for a in range(OPEN_AGE + 1) if a not in seen]
    if missing:
        errors.append(
            (
                None,
                _("Es fehlen Zeilen für das Alter: %(ages)s.")
                % {"ages": ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")},
            )
        )
    if totals is not None and not errors:
        _check_population_totals(totals, counts, errors)
    if errors or date is None:
        raise RegisterFileError(errors)
    return RegisterData(ags=ags, reference_date=date, rows=len(seen), population=counts)


def _population_columns(
    header_row: tuple[int, list[str]], errors: list[tuple[int | None, str]]
) -> dict[str, int]:
    header_line, header = header_row
    columns: dict[str, int] = {}
    for index, label in enumerate(header[1:], start=1):
        if not label:
            continue
        key = _POPULATION_COLUMNS.get(_fold(label))
        if key is None:
            errors.append(
                (
                    header_line,
                    _(
                        "Spalte „%(label)s“ ist unbekannt; erwartet: Alter, weiblich, männlich, "
                        "insgesamt."
                    )
                    % {"label": label[:30]},
                )
            )
        else:
            columns[key] = index
    if "w" not in columns or "m" not in columns:
        errors.append((header_line, _("Die Spalten „weiblich“ und „männlich“ sind Pflicht.")))
        raise RegisterFileError(errors)
    return columns


def _population_row(  # noqa: PLR0917 - private helper of parse_population
    line: int,
    label: str,
    values: dict[str, str],
    counts: dict[tuple[int, str], int],
    seen: dict[int, int],
    errors: list[tuple[int | None, str]],
) -> None:
    age = _age(label)
    if age is None:
        errors.append(
            (
                line,
                _("„%(label)s“ ist kein Alter (0 bis 99 oder „100 und älter“).")
                % {"label": label[:20]},
            )
        )
        return
    if age in seen:
        errors.append(
            (
                line,
                _("Alter %(age)s kommt doppelt vor (schon in Zeile %(first)d).")
                % {"age": label, "first": seen[age]},
            )
        )
        return
    seen[age] = line
    female = _count(values["w"], errors, line, _("weiblich"))
    male = _count(values["m"], errors, line, _("männlich"))
    if female is None or male is None:
        return
    if values.get("total", "").strip():
        total = _count(values["total"], errors, line, _("insgesamt"))
        if total is not None and total != female + male:
            errors.append(
                (
                    line,
                    _("insgesamt (%(total)d) ist nicht weiblich + männlich (%(sum)d).")
                    % {"total": total, "sum": female + male},
                )
            )
    counts[(age, "w")] = female
    counts[(age, "m")] = male


def _check_population_totals(
    totals: tuple[int, dict[str, int | None]],
    counts: dict[tuple[int, str], int],
    errors: list[tuple[int | None, str]],
) -> None:
    line, given = totals
    sums = {
        "w": sum(v for (_a, s), v in counts.items() if s == "w"),
        "m": sum(v for (_a, s), v in counts.items() if s == "m"),
    }
    sums["total"] = sums["w"] + sums["m"]
    labels = {"w": _("weiblich"), "m": _("männlich"), "total": _("insgesamt")}
    for key, value in given.items():
        if value is not None and value != sums[key]:
            errors.append(
                (
                    line,
                    _("Summe %(column)s: angegeben %(given)d, die Zeilen ergeben %(sum)d.")
                    % {"column": labels[key], "given": value, "sum": sums[key]},
                )
            )


def _check_ags(file_ags: str, ags: str, errors: list[tuple[int | None, str]]) -> None:
    if file_ags and file_ags != ags:
        errors.append(
            (
                None,
                _("Die Datei gehört zur Gemeinde %(file)s, hochgeladen wird für %(ags)s.")
                % {"file": file_ags[:12], "ags": ags},
            )
        )


def parse_facilities(name: str, data: bytes, *, ags: str) -> RegisterData:
    """Check and read a facilities upload (Kita, Schule, Pflege) for ``ags``."""
    rows = read_rows(name, data)
    errors: list[tuple[int | None, str]] = []
    file_ags, date = _meta(rows, errors)
    _check_ags(file_ags, ags, errors)
    start = _header(rows, "art")
    if start is None:
        errors.append((None, _("Die Kopfzeile „Art;Einrichtung;Plätze;belegt“ fehlt.")))
        raise RegisterFileError(errors)
    header_line, header = rows[start]
    if [_fold(h) for h in header[:4]] != ["art", "einrichtung", "plaetze", "belegt"]:
        errors.append(
            (header_line, _("Die Spalten müssen „Art;Einrichtung;Plätze;belegt“ heißen."))
        )
        raise RegisterFileError(errors)
    facilities: dict[tuple[str, str], tuple[int, int]] = {}
    seen: dict[tuple[str, str], int] = {}
    totals: list[tuple[int, str, int | None, int | None]] = []
    for line, raw in rows[start + 1 :]:
        if not any(raw):
            continue
        cells = [*raw, "", "", "", ""]
        kind = FACILITY_KINDS.get(_fold(cells[0]))
        if kind is None:
            errors.append(
                (
                    line,
                    _("Art „%(kind)s“ ist unbekannt; erlaubt: Kita, Schule, Pflege.")
                    % {"kind": cells[0][:30]},
                )
            )
            continue
        facility = " ".join(cells[1].split())[:80]
        places = _count(cells[2], errors, line, _("Plätze"))
        used = _count(cells[3], errors, line, _("belegt"))
        if _fold(facility) in ("insgesamt", "summe"):
            totals.append((line, kind, places, used))
            continue
        if not facility:
            errors.append((line, _("Der Name der Einrichtung fehlt.")))
            continue
        if (kind, facility) in seen:
            errors.append(
                (
                    line,
                    _("„%(name)s“ kommt doppelt vor (schon in Zeile %(first)d).")
                    % {"name": facility, "first": seen[(kind, facility)]},
                )
            )
            continue
        seen[(kind, facility)] = line
        if places is not None and used is not None:
            facilities[(kind, facility)] = (places, used)
    if not seen and not errors:
        errors.append((None, _("Die Datei enthält keine Einrichtungen.")))
    if not errors:
        _check_facility_totals(totals, facilities, errors)
    if errors or date is None:
        raise RegisterFileError(errors)
    return RegisterData(ags=ags, reference_date=date, rows=len(seen), facilities=facilities)


def _check_facility_totals(
    totals: list[tuple[int, str, int | None, int | None]],
    facilities: dict[tuple[str, str], tuple[int, int]],
    errors: list[tuple[int | None, str]],
) -> None:
    for line, kind, places, used in totals:
        sums = [sum(v[i] for (k, _n), v in facilities.items() if k == kind) for i in (0, 1)]
        for label, given, summed in ((_("Plätze"), places, sums[0]), (_("belegt"), used, sums[1])):
            if given is not None and given != summed:
                errors.append(
                    (
                        line,
                        _(
                            "Summe %(column)s %(kind)s: angegeben %(given)d, die Zeilen ergeben "
                            "%(sum)d."
                        )
                        % {
                            "column": label,
                            "kind": FACILITY_LABELS[kind],
                            "given": given,
                            "sum": summed,
                        },
                    )
                )


def parse_register_file(kind: str, name: str, data: bytes, *, ags: str) -> RegisterData:
    if kind == RegisterKind.POPULATION:
        return parse_population(name, data, ags=ags)
    return parse_facilities(name, data, ags=ags)
