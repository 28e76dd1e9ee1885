"""Words and numbers of official tables: values with GENESIS signs, periods, sex, age, regions.

Pure Python (no Django). Every function returns ``None`` for "not this kind of thing" and
raises :class:`ValueError` with a German message for "this kind of thing, but malformed".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ortswandel.sources.lands import LAND_NAMES

#: GENESIS special signs. ``-`` = nothing (exactly zero); the others mean unknown, secret,
#: not meaningful or not reliable enough and carry no number.
ZERO_SIGN = "-"
UNKNOWN_SIGNS = frozenset({".", "x", "...", "…", "/"})
SPECIAL_SIGNS = UNKNOWN_SIGNS | {ZERO_SIGN}


_GERMAN_NUMBER = re.compile(r"\A[+-]?(?:\d+|\d{1,3}(?:\.\d{3})+)(?:,\d+)?\Z")
_POINT_NUMBER = re.compile(r"\A[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?\Z")


@dataclass(frozen=True, slots=True)
class Number:
    """A parsed cell: ``value`` (``None`` when the sign means unknown) and the GENESIS sign."""

    value: float | None
    sign: str = ""


def parse_number(raw: str, *, decimal: str = ",") -> Number | None:
    """A table cell as a number. ``None`` for an empty cell.

    ``decimal=","`` (German, the default of GENESIS and Regionalstatistik): ``1.234,5``,
    ``1234,5``, ``1234``; ``decimal="."``: ``1,234.5``, ``1234.5``. The thousands separator must
    group by three, so ``1.3`` is rejected in German mode instead of being read as 13.
    """
    if raw.isdigit() and raw.isascii():  # the common case: a plain count
        return Number(float(raw))
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if text in SPECIAL_SIGNS:
        return Number(0.0 if text == ZERO_SIGN else None, "..." if text == "…" else text)
    pattern = _GERMAN_NUMBER if decimal == "," else _POINT_NUMBER
    if not pattern.match(text):
        if decimal == ",":
            hint = "erwartet deutsches Zahlenformat wie 1.234,5"
        else:
            hint = "erwartet Zahlenformat wie 1234.5"
        raise ValueError(f"„{raw.strip()[:40]}“ ist keine Zahl ({hint}) und kein Sonderzeichen")
    text = text.replace(".", "").replace(",", ".") if decimal == "," else text.replace(",", "")
    return Number(float(text))


# ----------------------------------------------------------------------------- periods


@dataclass(frozen=True, slots=True)
class Period:
    """A reference date (``stichtag``), a calendar year (``jahr``, stored as 31 December) or a
    span of years (``zeitraum``, e.g. the life table 2022/24, stored as its last day)."""

    date: dt.date
    kind: str
    label: str = ""


_DMY = re.compile(r"\A(\d{2})\.(\d{2})\.(\d{4})\Z")
_YMD = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})\Z")
_YEAR = re.compile(r"\A(1[89]\d{2}|2[01]\d{2})\Z")
_SPAN = re.compile(r"\A(1[89]\d{2}|2[01]\d{2})\s*[/-]\s*(\d{2}|\d{4})\Z")


def parse_period(raw: str) -> Period | None:
    """``31.12.2020``/``2020-12-31`` → date, ``2020`` → year, ``2022/24`` → span; else ``None``."""
    text = raw.strip()
    match = _DMY.match(text) or _YMD.match(text)
    if match:
        parts = match.groups()
        day, month, year = (parts[0], parts[1], parts[2]) if _DMY.match(text) else parts[::-1]
        try:
            return Period(dt.date(int(year), int(month), int(day)), "stichtag")
        except ValueError:
            raise ValueError(f"„{text}“ ist kein gültiges Datum") from None
    if _YEAR.match(text):
        return Period(dt.date(int(text), 12, 31), "jahr")
    match = _SPAN.match(text)
    if match:
        start, end = int(match.group(1)), match.group(2)
        end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if end_year < start:
            end_year += 100
        return Period(dt.date(end_year, 12, 31), "zeitraum", text.replace(" ", ""))
    return None


# ----------------------------------------------------------------------------- breakdowns

TOTAL = ""  # an item that means "all" (Insgesamt): the dimension is left out of the key
_TOTAL_WORDS = frozenset({"insgesamt", "zusammen", "gesamt", "total", "alle", "summe"})


def _fold(text: str) -> str:
    """Lower case, single spaces; the replacement character (U+FFFD, left where a file lost its
    umlauts) matches any one or two characters in the patterns below."""
    return " ".join(text.replace("\ufffd", "?").lower().split())


_MALE = re.compile(r"\A(m(ä|ae|\?{1,2})nnlich|m|male|gesm)\Z")
_FEMALE = re.compile(r"\A(weiblich|w|f|female|gesw)\Z")


def sex_item(label: str) -> str | None:
    """``m``, ``w``, :data:`TOTAL` or ``None`` (not a sex label)."""
    folded = _fold(label)
    if folded in _TOTAL_WORDS or folded == "gesi":
        return TOTAL
    if _MALE.match(folded):
        return "m"
    if _FEMALE.match(folded):
        return "w"
    return None


_AGE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\Aunter 1 jahr\Z"), "0"),
    (re.compile(r"\Aunter (\d+) jahren?\Z"), "0-{0}"),
    (re.compile(r"\A(\d+) bis unter (\d+) jahren?\Z"), "{0}-{1}"),
    (re.compile(r"\A(\d+) (?:jahre|jahr|years|year) und (?:mehr|(?:ä|ae|\?{1,2})lter)\Z"), "{0}+"),
    (re.compile(r"\A(\d+) (?:years|year) and (?:over|older)\Z"), "{0}+"),
    (re.compile(r"\A(\d+)\s?\+\Z"), "{0}+"),
    (re.compile(r"\A(\d+)-j(?:ä|ae|\?{1,2})hrige\Z"), "{0}"),
    (re.compile(r"\A(\d+) (?:jahre|jahr|years|year)\Z"), "{0}"),
    (re.compile(r"\Aalt(\d{3})\Z"), "{0}"),
    (re.compile(r"\Aalt(\d{3})um\Z"), "{0}+"),
    (re.compile(r"\Aalt(\d{3})b(\d{2,3})\Z"), "{0}-{1}"),
    (re.compile(r"\Aaltu(\d{2,3})\Z"), "0-{0}"),
    (re.compile(r"\Aalter unbekannt\Z"), "unbekannt"),
)


def age_item(label: str) -> str | None:
    """``27``, ``85+``, ``15-50`` (15 to under 50), ``unbekannt``, :data:`TOTAL` or ``None``."""
    folded = _fold(label)
    if folded in _TOTAL_WORDS:
        return TOTAL
    for pattern, template in _AGE_PATTERNS:
        match = pattern.match(folded)
        if match:
            return template.format(*(str(int(g)) for g in match.groups()))
    return None


_NATIONALITY = {"deutsche": "D", "natd": "D", "ausländer": "A", "auslaender": "A", "nata": "A"}


def nationality_item(label: str) -> str | None:
    folded = _fold(label)
    if folded in _TOTAL_WORDS:
        return TOTAL
    return _NATIONALITY.get(folded.replace("?", "ä"))


#: Known dimensions: name → (German label, item parser).
KNOWN_DIMENSIONS = {
    "sex": ("Geschlecht", sex_item),
    "age": ("Alter", age_item),
    "nat": ("Nationalität", nationality_item),
}


def detect_dimension(labels: list[str]) -> str | None:
    """The known dimension that reads every label (at least one of them not a total)."""
    present = [label for label in labels if label.strip()]
    for name, (_label, parse) in KNOWN_DIMENSIONS.items():
        items = [parse(label) for label in present]
        if present and all(item is not None for item in items) and any(items):
            return name
    return None


def clean_item(label: str) -> str:
    """A free-text breakdown item usable in a key (no ``;``/``=``), at most 60 characters."""
    return " ".join(label.replace(";", ",").replace("=", ":").split())[:60]


def breakdown_key(parts: dict[str, str]) -> str:
    """Canonical key: dimensions sorted by name, totals left out: ``age=27;sex=w``."""
    return ";".join(f"{name}={item}" for name, item in sorted(parts.items()) if item != TOTAL)


def is_total_label(label: str) -> bool:
    return _fold(label) in _TOTAL_WORDS


# ----------------------------------------------------------------------------- regions


def _letters(text: str) -> str:
    """Only the ASCII letters: ``Baden-W\ufffdrttemberg`` and ``Baden-Württemberg`` agree."""
    return re.sub(r"[^a-z]", "", text.lower())


_LAND_BY_LETTERS = {_letters(name): code for code, name in LAND_NAMES.items()}


def land_code_for_name(label: str) -> str | None:
    """``Baden-Württemberg`` → ``08`` (also with lost umlauts); ``Deutschland`` → ``DG``."""
    letters = _letters(label)
    if letters in {"deutschland", "deutschlandinsgesamt"}:
        return "DG"
    return _LAND_BY_LETTERS.get(letters)


_REGION_CODE = re.compile(r"\A(DG|\d{2}|\d{3}|\d{5}|\d{8}|\d{9}|\d{12})\Z")

#: Levels of region keys by length (``regbez`` = Regierungsbezirk/statistical region: not kept).
REGION_LEVELS = {2: "land", 3: "regbez", 5: "kreis", 8: "gemeinde", 9: "gemeindeverband"}


def region_level(code: str) -> str | None:
    """Level of a region key: ``bund``, ``land``, ``regbez``, ``kreis``, ``gemeindeverband``,
    ``gemeinde`` or ``ars`` (12-digit ARS of a municipality); ``None`` if it is no key."""
    text = code.strip()
    if not _REGION_CODE.match(text):
        return None
    if text == "DG":
        return "bund"
    if len(text) == 12:
        return "ars"
    if len(text) == 2 and not ("01" <= text <= "16"):
        return None
    return REGION_LEVELS[len(text)]


def looks_like_region_code(code: str) -> bool:
    return region_level(code) is not None


# ----------------------------------------------------------------------------- headers

_UNIT_WORDS = frozenset(
    {
        "anzahl",
        "ziffer",
        "jahre",
        "jahr",
        "prozent",
        "%",
        "tsd.",
        "tsd",
        "1000",
        "1 000",
        "eur",
        "euro",
        "tsd. eur",
        "km²",
        "km2",
        "ha",
        "personen",
        "mill.",
        "mio.",
        "je frau",
        "je 1000",
        "promille",
    }
)


def is_unit_label(label: str) -> bool:
    return _fold(label) in _UNIT_WORDS


def is_quality_flag(text: str) -> bool:
    """GENESIS quality flags (``e`` final, ``p``/``v`` provisional, ``r`` revised, ``s``
    estimated …): one lower-case letter other than the sign ``x``."""
    value = text.strip()
    return len(value) == 1 and "a" <= value <= "z" and value != "x"


_TITLE_MEASURE = re.compile(r"\A(?P<name>.+?)\s*\((?P<unit>[^()]+)\)\s*\Z")


def measure_from_title(line: str) -> tuple[str, str] | None:
    """``Bevölkerungsstand (Anzahl)`` → ``("Bevölkerungsstand", "Anzahl")``."""
    match = _TITLE_MEASURE.match(line.strip())
    if not match:
        return None
    return match.group("name").strip(), match.group("unit").strip()


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "\ufffd": ""})


def slug(label: str, *, max_length: int = 60) -> str:
    """``Pflegebedürftige der Pflegeheime`` → ``pflegebeduerftige-der-pflegeheime``."""
    text = label.lower().translate(_TRANSLIT)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:max_length].strip("-") or "wert"
