"""Problems in a scenario file: one line each, naming the field and the fix, in English and German.

Every problem has a machine-readable ``code`` from :data:`MESSAGES`; its text is formatted from
the catalogue in both languages when the problem is made. ``str(problem)`` is the English line
the command line prints (``field: problem. Fix: fix``); :meth:`Problem.text` gives either
language. Problems the engine reports (code ``engine``) exist in English only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "MESSAGES",
    "Lang",
    "Localized",
    "Problem",
    "ScenarioError",
    "digits",
    "fmt_number",
    "json_type",
    "problem",
]

Lang = Literal["en", "de"]
DOCS = "docs/scenario-format.md"

#: code -> ((English problem, English fix), (German problem, German fix)); ``{name}``
#: placeholders are filled from the problem's parameters (see :func:`problem`).
MESSAGES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    # --- the file ---
    "unreadable": (
        ("cannot be read ({reason})", "check the path and permissions"),
        ("kann nicht gelesen werden ({reason})", "Pfad und Zugriffsrechte prüfen"),
    ),
    "not_utf8": (
        ("is not UTF-8 text (byte {byte})", "save the scenario file as UTF-8 JSON"),
        ("ist kein UTF-8-Text (Byte {byte})", "die Szenariodatei als UTF-8-JSON speichern"),
    ),
    "not_json": (
        ("is not valid JSON ({reason})", "fix the syntax (no comments or trailing commas in JSON)"),
        (
            "ist kein gültiges JSON ({reason})",
            "die Syntax korrigieren (JSON kennt keine Kommentare und kein Komma am Ende)",
        ),
    ),
    "number_too_long": (
        (
            "contains a number too long to be read ({digits} digits or more)",
            "give a plausible number",
        ),
        ("enthält eine zu lange Zahl ({digits} Stellen oder mehr)", "eine plausible Zahl angeben"),
    ),
    "too_deep": (
        ("is nested too deeply to be read", f"see {DOCS} for the structure"),
        ("ist zu tief verschachtelt, um gelesen zu werden", f"Aufbau siehe {DOCS}"),
    ),
    # --- structure (translated from the validation of the models) ---
    "not_object": (
        ("must be an object, got {got}", 'write it as {{"key": value, ...}}'),
        ("muss ein Objekt sein, ist {got}", 'als {{"Schlüssel": Wert, ...}} schreiben'),
    ),
    "not_list": (
        ("must be a list, got {got}", "write it as [...], e.g. {example}"),
        ("muss eine Liste sein, ist {got}", "als [...] schreiben, z. B. {example}"),
    ),
    "not_number_list": (
        ("must be a list of numbers, got {got}", "give a list of {count}{unit}"),
        ("muss eine Liste von Zahlen sein, ist {got}", "{count}{unit} als Liste angeben"),
    ),
    "not_text": (
        ("must be a text, got {got}", "write it in quotes"),
        ("muss ein Text sein, ist {got}", "in Anführungszeichen schreiben"),
    ),
    "id_text": (
        (
            "must be a non-empty text, got {got}",
            "write the id in quotes, e.g. {example} (numbers lose leading zeros)",
        ),
        (
            "muss ein nicht leerer Text sein, ist {got}",
            "die Kennung in Anführungszeichen schreiben, z. B. {example} (Zahlen verlieren "
            "führende Nullen)",
        ),
    ),
    "not_unicode": (
        (
            "is not valid Unicode text ({value})",
            "remove the escape of a lone surrogate (such as \\udcff)",
        ),
        (
            "ist kein gültiger Unicode-Text ({value})",
            "das Escape eines einzelnen Surrogats (etwa \\udcff) entfernen",
        ),
    ),
    "empty_text": (
        ("must be a non-empty text, got {got}", "e.g. {example}"),
        ("muss ein nicht leerer Text sein, ist {got}", "z. B. {example}"),
    ),
    "not_bool": (
        ("must be true or false, got {got}", "write true or false"),
        ("muss true oder false sein, ist {got}", "true oder false schreiben"),
    ),
    "not_number": (
        ("must be a number, got {got}", "give a plain number"),
        ("muss eine Zahl sein, ist {got}", "eine einfache Zahl angeben"),
    ),
    "not_finite": (
        ("must be finite", "replace NaN/Infinity by a number"),
        ("muss endlich sein", "NaN/Infinity durch eine Zahl ersetzen"),
    ),
    "too_large": (
        ("is far too large ({digits} digits)", "give a plausible number"),
        ("ist viel zu groß ({digits} Stellen)", "eine plausible Zahl angeben"),
    ),
    "not_whole": (
        ("must be a whole number, got {value}", "remove the decimals"),
        ("muss eine ganze Zahl sein, ist {value}", "die Nachkommastellen entfernen"),
    ),
    "out_of_range": (
        ("must be {rel} {limit}, got {value}", "use a value {allowed}"),
        ("muss {rel} {limit} sein, ist {value}", "einen Wert {allowed} verwenden"),
    ),
    "item_not_number": (
        (
            "must be a finite number, got {value}{more}",
            "give numbers only (no null, NaN, strings)",
        ),
        (
            "muss eine endliche Zahl sein, ist {value}{more}",
            "nur Zahlen angeben (kein null, NaN, Text)",
        ),
    ),
    "item_out_of_range": (
        ("must be {rel} {limit}, got {value}{more}", "use values {rel} {limit}"),
        ("muss {rel} {limit} sein, ist {value}{more}", "Werte {rel} {limit} verwenden"),
    ),
    "item_negative": (
        ("must be {rel} {limit}, got {value}{more}", "use non-negative numbers"),
        ("muss {rel} {limit} sein, ist {value}{more}", "nicht negative Zahlen verwenden"),
    ),
    "length": (
        ("has {got} values, expected {expected}", "give exactly {expected} {unit}"),
        ("hat {got} Werte, erwartet {expected}", "genau {expected} {unit} angeben"),
    ),
    "empty": (
        ("is empty", "give at least one of the {unit}"),
        ("ist leer", "mindestens einen Wert angeben ({unit})"),
    ),
    "empty_entries": (
        ("is empty", "give at least one entry, e.g. {example}"),
        ("ist leer", "mindestens einen Eintrag angeben, z. B. {example}"),
    ),
    "choice": (
        ("must be {options}, got {value}", "use {options}"),
        ("muss {options} sein, ist {value}", "{options} verwenden"),
    ),
    "unknown_choice": (
        ("unknown {noun} {value}", "use {options}"),
        ("{noun} {value} ist unbekannt", "{options} verwenden"),
    ),
    "unknown_field": (
        ("unknown field", "remove it or check the spelling; allowed here: {allowed}"),
        ("unbekanntes Feld", "entfernen oder die Schreibweise prüfen; hier erlaubt: {allowed}"),
    ),
    "missing": (
        ("missing required field", f"add it (see {DOCS})"),
        ("Pflichtfeld fehlt", f"ergänzen (siehe {DOCS})"),
    ),
    "missing_choice": (
        ("missing required field", "add it: {options}"),
        ("Pflichtfeld fehlt", "ergänzen: {options}"),
    ),
    "invalid": (
        ("is not valid here", f"see {DOCS}"),
        ("ist hier nicht gültig", f"siehe {DOCS}"),
    ),
    # --- meaning (rules across fields) ---
    "population_or_areas": (
        (
            "give either 'population' (one area) or 'areas' (several)",
            'use "population": {{"female": [...], "male": [...]}} or "areas": [{{"id": ...}}]',
        ),
        (
            "entweder 'population' (ein Gebiet) oder 'areas' (mehrere) angeben",
            '"population": {{"female": [...], "male": [...]}} oder "areas": [{{"id": ...}}]',
        ),
    ),
    "ids_not_unique": (
        ("ids are not unique ({ids})", "give every area its own id"),
        ("Kennungen sind nicht eindeutig ({ids})", "jedem Gebiet eine eigene Kennung geben"),
    ),
    "not_multiple": (
        ("{value} is not a multiple of step_width {width}", "use e.g. {example}"),
        ("{value} ist kein Vielfaches von step_width {width}", "z. B. {example} verwenden"),
    ),
    "lx_or_qx": (
        (
            "needs exactly one of 'Lx' or 'qx'",
            'give {{"Lx": [...]}} (person-years, last = T of the open group) or {{"qx": [...]}}',
        ),
        (
            "braucht genau eins von 'Lx' oder 'qx'",
            '{{"Lx": [...]}} (Personenjahre, letzter Wert = T der offenen Gruppe) oder '
            '{{"qx": [...]}} angeben',
        ),
    ),
    "qx_length": (
        ("has {got} values, expected {closed} or {groups}", "give {closed} {unit} or end with 1"),
        (
            "hat {got} Werte, erwartet {closed} oder {groups}",
            "{closed} {unit} angeben oder mit 1 enden",
        ),
    ),
    "qx_open": (
        (
            "the open group's value must be 1, got {value}",
            "give {closed} values (closed groups only) or end with 1",
        ),
        (
            "der Wert der offenen Gruppe muss 1 sein, ist {value}",
            "{closed} Werte (nur geschlossene Gruppen) angeben oder mit 1 enden",
        ),
    ),
    "qx_last_closed": (
        (
            "is 1 in the last closed group, which reads as the open group",
            "give a value below 1, or add the open group's 1 as value number {groups}",
        ),
        (
            "ist 1 in der letzten geschlossenen Gruppe und wird als offene Gruppe gelesen",
            "einen Wert unter 1 angeben oder die 1 der offenen Gruppe als {groups}. Wert anfügen",
        ),
    ),
    "fertility_form": (
        (
            "needs 'rates' or both 'tfr' and 'mean_age'",
            'give {{"first_age": 15, "rates": [...]}} or {{"tfr": 1.5, "mean_age": 31.5}}',
        ),
        (
            "braucht 'rates' oder 'tfr' und 'mean_age'",
            '{{"first_age": 15, "rates": [...]}} oder {{"tfr": 1.5, "mean_age": 31.5}} angeben',
        ),
    ),
    "off_grid": (
        ("{value} is not on the {width}-year grid", "use a multiple of {width}"),
        ("{value} liegt nicht im {width}-Jahres-Raster", "ein Vielfaches von {width} verwenden"),
    ),
    "rates_beyond_open": (
        (
            "covers ages {first}-{last}, beyond the last closed age group "
            "(open group starts at {open_age})",
            "give at most {most} rates or lower first_age",
        ),
        (
            "reicht über die Alter {first}-{last}, über die letzte geschlossene Altersgruppe "
            "hinaus (offene Gruppe ab {open_age})",
            "höchstens {most} Raten angeben oder first_age senken",
        ),
    ),
    "all_zero": (
        ("is all zero", "give relative weights by sex and age"),
        ("ist überall null", "relative Gewichte nach Geschlecht und Alter angeben"),
    ),
    "scenario_names": (
        ("names must be unique and not 'Basis' (the base run)", "rename the scenarios"),
        (
            "Namen müssen eindeutig sein und dürfen nicht 'Basis' (der Basislauf) heißen",
            "die Szenarien umbenennen",
        ),
    ),
    "occupants_needed": (
        (
            "missing for building type {value}",
            "give persons per dwelling, or use a building type with a default: {types}",
        ),
        (
            "fehlt für den Gebäudetyp {value}",
            "Personen je Wohnung angeben oder einen Gebäudetyp mit Vorgabewert verwenden: {types}",
        ),
    ),
    "unknown_areas": (
        ("unknown area ids {ids}", "use ids of 'areas', e.g. {known}"),
        ("unbekannte Gebietskennungen {ids}", "Kennungen aus 'areas' verwenden, z. B. {known}"),
    ),
    "not_above": (
        (
            "must be above from_age ({lower}), got {value}",
            "give the first age no longer in the group, or leave it out (open end)",
        ),
        (
            "muss größer als from_age ({lower}) sein, ist {value}",
            "das erste Alter angeben, das nicht mehr zur Gruppe gehört, oder weglassen "
            "(offenes Ende)",
        ),
    ),
    "lacks_kinds": (
        ("lacks {kinds}", "give a value for every kind of infrastructure listed in 'metres'"),
        ("es fehlt: {kinds}", "für jede in 'metres' genannte Infrastruktur einen Wert angeben"),
    ),
    "no_profile": (
        ("gives no usable age profile ({reason})", "use parameters like {example}"),
        ("ergibt kein brauchbares Altersprofil ({reason})", "Parameter wie {example} verwenden"),
    ),
    # --- the run and the output ---
    "memory_runs": (
        (
            "{areas} areas x {steps} steps x {runs} scenarios need about {gb} GB "
            "(limit {limit} GB)",
            "split the areas over several files, or use ortswandel.engine.distributed",
        ),
        (
            "{areas} Gebiete x {steps} Schritte x {runs} Szenarien brauchen etwa {gb} GB "
            "(Grenze {limit} GB)",
            "die Gebiete auf mehrere Dateien verteilen oder ortswandel.engine.distributed nutzen",
        ),
    ),
    "memory_trajectories": (
        (
            "{trajectories} trajectories of {areas} areas need about {gb} GB (limit {limit} GB)",
            "use fewer trajectories or areas, or ortswandel.engine.distributed",
        ),
        (
            "{trajectories} Pfade für {areas} Gebiete brauchen etwa {gb} GB (Grenze {limit} GB)",
            "weniger Pfade oder Gebiete verwenden oder ortswandel.engine.distributed nutzen",
        ),
    ),
    "overflow": (
        (
            "scenario {name}: the projection overflows (numbers beyond 1e308)",
            "check the magnitudes of population, fertility, migration and paths",
        ),
        (
            "Szenario {name}: die Vorausberechnung läuft über (Zahlen über 1e308)",
            "die Größenordnungen von Bevölkerung, Fertilität, Wanderung und Pfaden prüfen",
        ),
    ),
    "too_many_rows": (
        (
            "the result has {rows} rows, more than {fmt} output allows ({limit})",
            "use --format csv (written row by row, no limit)",
        ),
        (
            "das Ergebnis hat {rows} Zeilen, mehr als die {fmt}-Ausgabe erlaubt ({limit})",
            "--format csv verwenden (zeilenweise geschrieben, ohne Grenze)",
        ),
    ),
    # --- reported by the engine (English only) ---
    "engine": (("{problem}", "{fix}"), ("{problem}", "{fix}")),
}


@dataclass(frozen=True)
class Localized:
    """A parameter whose text differs by language."""

    en: str
    de: str


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario file: the field (JSON path), what is wrong and how to fix it.

    ``problem`` and ``fix`` are English; ``problem_de`` and ``fix_de`` German (empty: as the
    English text).
    """

    field: str
    problem: str
    fix: str
    code: str = "invalid"
    problem_de: str = ""
    fix_de: str = ""

    def text(self, lang: Lang = "en") -> str:
        """The one-line message ``field: problem. Fix: fix`` (``Korrektur:`` in German);
        characters that are not printable (a line break in a key, ...) are escaped."""
        if lang == "de":
            de_problem, de_fix = self.problem_de or self.problem, self.fix_de or self.fix
            return one_line(f"{self.field}: {de_problem}. Korrektur: {de_fix}")
        return one_line(f"{self.field}: {self.problem}. Fix: {self.fix}")

    def __str__(self) -> str:
        return self.text("en")


def one_line(text: str) -> str:
    """``text`` with every non-printable character escaped (``\\n``, ``\\x1b``, ``\\u2028``)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def problem(field: str, code: str, **params: Any) -> Problem:
    """A :class:`Problem` with the catalogue text of ``code``; ``params`` fill its placeholders
    (a :class:`Localized` value gives a different text per language)."""
    (en_p, en_f), (de_p, de_f) = MESSAGES[code]
    en = {k: v.en if isinstance(v, Localized) else v for k, v in params.items()}
    de = {k: v.de if isinstance(v, Localized) else v for k, v in params.items()}
    return Problem(
        field or "(top level)",
        en_p.format(**en),
        en_f.format(**en),
        code,
        de_p.format(**de),
        de_f.format(**de),
    )


class ScenarioError(ValueError):
    """A scenario file has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def lines(self, lang: Lang = "en") -> list[str]:
        """One line per problem in ``lang``."""
        return [p.text(lang) for p in self.problems]


_JSON_TYPES = (
    (type(None), Localized("null", "null")),
    (bool, Localized("true/false", "true/false")),
    (str, Localized("a string", "ein Text")),
    (list, Localized("a list", "eine Liste")),
    (dict, Localized("an object", "ein Objekt")),
    (int, Localized("int", "eine ganze Zahl")),
    (float, Localized("float", "eine Zahl")),
)


def json_type(value: Any) -> Localized:
    """JSON name of a Python value's type, in English and German."""
    for kind, name in _JSON_TYPES:
        if isinstance(value, kind):
            return name
    return Localized(type(value).__name__, type(value).__name__)


def digits(value: int) -> int:
    """Decimal digits of ``abs(value)`` (without converting huge numbers to text)."""
    n = abs(value)
    if n < 10**15:
        return len(str(n))
    est = int(n.bit_length() * math.log10(2))  # digits - 1 or digits
    return est + 1 if n >= 10**est else est


def fmt_number(value: float) -> str:
    """A number as the messages show it (``%g``); ``nan``/``inf`` as such; integers beyond
    the float range by their number of digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return f"{float(value):g}"
        except OverflowError:
            return f"an integer of {digits(value)} digits"
    return f"{value:g}" if math.isfinite(value) else repr(value)
