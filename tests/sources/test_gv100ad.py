"""GV100AD reader: layout, validation with line numbers, and agreement with the derived CSV."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from ortswandel.sources.gv100ad import (
    SourceFormatError,
    parse_gv100ad,
    population_date_for,
    read_gv100ad,
)

from .gvfiles import gemeinde, kreis, land, record, small_register

DATA = Path(settings.ORTSWANDEL_DATA_DIR) / "gv100ad"
REAL_TXT = DATA / "GV100AD_301123.txt"
REAL_CSV = DATA / "gv100ad_20231130_gemeinden.csv"
needs_data = pytest.mark.skipif(not REAL_TXT.is_file(), reason="official data not available")


def test_crafted_register_fields():
    register = parse_gv100ad(small_register())
    assert register.reference_date == dt.date(2023, 11, 30)
    assert register.population_date == dt.date(2022, 12, 31)
    assert register.kreis_count == 3
    assert register.land_count == 2
    by_ags = {m.ags: m for m in register.municipalities}
    assert len(by_ags) == 10
    klein = by_ags["12069304"]
    assert klein.ars == "120690304304"
    assert klein.name == "Kleinmachnow"
    assert (klein.land_code, klein.land_name) == ("12", "Brandenburg")
    assert (klein.kreis_code, klein.kreis_name, klein.kreis_type_code) == (
        "12069",
        "Potsdam-Mittelmark",
        "44",
    )
    assert klein.type_code == "64"
    assert klein.type_name == "Gemeinde"
    assert klein.area_ha == 1196
    assert klein.area_km2 == pytest.approx(11.96)
    assert (klein.population, klein.population_male, klein.population_female) == (
        20341,
        9900,
        10441,
    )
    assert (klein.postal_code, klein.postal_code_is_unique) == ("14532", True)
    potsdam = by_ags["12054000"]
    assert potsdam.type_name == "Kreisfreie Stadt"
    assert potsdam.kreis_type_code == "41"
    assert potsdam.postal_code_is_unique is False
    assert potsdam.line == 9


def test_blank_lines_crlf_and_stripped_trailing_blanks_are_accepted():
    lines = [line.rstrip() + "\r\n" for line in small_register()]
    lines.insert(3, "   \r\n")
    register = parse_gv100ad(lines)
    assert len(register.municipalities) == 10


def test_latin1_file_as_published_by_destatis(tmp_path):
    lines = [land("09", "Bayern"), kreis("09184", "München"), gemeinde("09184123", "Höhenkirchen")]
    path = tmp_path / "GV100AD_301123.txt"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    register = read_gv100ad(path)
    assert register.municipalities[0].name == "Höhenkirchen"
    assert register.municipalities[0].kreis_name == "München"


def test_area_without_kreis_record_is_allowed_for_kreis_000():
    lines = [
        land("07", "Rheinland-Pfalz"),
        gemeinde(
            "07000999",
            "Gemeinsames deutsch-luxemburgisches Hoheitsgebiet",
            verband="9999",
            type_code="66",
            population=0,
            male=0,
        ),
    ]
    (item,) = parse_gv100ad(lines).municipalities
    assert item.kreis_code == "07000"
    assert item.kreis_name == ""


def _replace(index: int, line: str) -> list[str]:
    lines = small_register()
    lines[index] = line
    return lines


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            _replace(3, gemeinde("0918412A", "Haar", verband="0123")),
            "Zeile 4: AGS '0918412A' ist keine 8-stellige Zahl",
        ),
        (
            _replace(3, gemeinde("09184123", "Haar", verband="01x3")),
            "Zeile 4: ARS '0918401x3123' ist keine 12-stellige Zahl",
        ),
        (
            _replace(4, gemeinde("09184148", "Unterhaching", population="12 45")),
            "Zeile 5: Bevölkerung insgesamt '12 45' ist keine Zahl (nur Ziffern)",
        ),
        (
            _replace(4, gemeinde("09184148", "Unterhaching", area_ha="-5")),
            "Zeile 5: Fläche (ha) '-5' ist keine Zahl (nur Ziffern)",
        ),
        (
            _replace(4, gemeinde("09184148", "Unterhaching", population=10, male=11)),
            "Zeile 5: Bevölkerung männlich (11) ist größer als insgesamt (10)",
        ),
        (
            _replace(4, gemeinde("09184148", "Unterhaching", type_code="69")),
            "Zeile 5: Textkennzeichen '69' ist kein Gemeindetyp (60 bis 67)",
        ),
        (
            _replace(4, gemeinde("09184148", "Unterhaching", plz="8200")),
            "Zeile 5: Postleitzahl '8200' ist keine 5-stellige Zahl",
        ),
        (
            _replace(4, gemeinde("09184148", "", verband="0148")),
            "Zeile 5: der Name fehlt (Spalten 23–72)",
        ),
        (
            _replace(4, gemeinde("09184123", "Haar 2", verband="0124")),
            "Zeile 5: AGS '09184123' kommt doppelt vor (schon in Zeile 4)",
        ),
        (
            _replace(4, gemeinde("09184148", "Unterhaching", date="20231131")),
            "Zeile 5: Gebietsstand '20231131' ist kein gültiges Datum (JJJJMMTT)",
        ),
        (
            _replace(4, gemeinde("09184148", "Unterhaching", date="20230630")),
            "Zeile 5: Gebietsstand 30.06.2023 weicht vom Gebietsstand 30.11.2023 in Zeile 1 ab",
        ),
        (
            _replace(2, "7" + small_register()[2][1:]),
            "Zeile 3: unbekannte Satzart '70' (erwartet 10, 20, 30, 40, 50 oder 60)",
        ),
        (
            _replace(2, record("50", "19184   0123", "Haar")),
            "Zeile 3: Land '19' ist kein Länderschlüssel (01 bis 16)",
        ),
        (
            _replace(1, kreis("09185", "Falscher Kreis")),
            "Zeile 4: zum Kreis 09184 fehlt der Satz der Satzart 40 (Kreis)",
        ),
        (
            _replace(0, record("20", "091", "Oberbayern")),
            "Zeile 4: zum Land 09 fehlt der Satz der Satzart 10 (Land)",
        ),
        (
            _replace(4, small_register()[4] + "x"),
            "Zeile 5: Satz ist 221 Zeichen lang, erlaubt sind 220",
        ),
        ([land("09", "Bayern")], "die Datei enthält keine Gemeinden (Satzart 60)"),
        ([], "die Datei enthält keine Gemeinden (Satzart 60)"),
    ],
)
def test_malformed_lines_are_rejected_with_line_number(lines, expected):
    with pytest.raises(SourceFormatError) as info:
        parse_gv100ad(lines)
    assert str(info.value) == expected


def test_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(SourceFormatError, match="Datei nicht gefunden"):
        read_gv100ad(tmp_path / "fehlt.txt")


def test_error_carries_path(tmp_path):
    path = tmp_path / "GV100AD_301123.txt"
    path.write_text(gemeinde("1205400X", "Potsdam"), encoding="utf-8")
    with pytest.raises(SourceFormatError) as info:
        read_gv100ad(path)
    assert info.value.path == str(path)
    assert info.value.line == 1


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (dt.date(2023, 11, 30), dt.date(2022, 12, 31)),
        (dt.date(2023, 12, 31), dt.date(2023, 12, 31)),
        (dt.date(2024, 3, 31), dt.date(2023, 12, 31)),
    ],
)
def test_population_date(reference, expected):
    assert population_date_for(reference) == expected


@needs_data
def test_real_file_agrees_with_derived_csv_for_every_row():
    register = read_gv100ad(REAL_TXT)
    with REAL_CSV.open(encoding="utf-8", newline="") as handle:
        rows = {row["ags"]: row for row in csv.DictReader(handle)}
    assert len(register.municipalities) == len(rows) == 10_981
    mismatches = []
    for m in register.municipalities:
        row = rows[m.ags]
        parsed = {
            "ars": m.ars,
            "name": m.name,
            "gemeindetyp": m.type_code,
            "land": m.land_code,
            "land_name": m.land_name,
            "kreis": m.kreis_code,
            "kreis_name": m.kreis_name,
            "area_km2": f"{m.area_km2:.2f}",
            "population": str(m.population),
            "male": str(m.population_male),
            "female": str(m.population_female),
            "plz": m.postal_code,
            "plz_unique": "1" if m.postal_code_is_unique else "0",
            "stichtag": m.reference_date.strftime("%Y%m%d"),
        }
        expected = {key: row[key] for key in parsed}
        expected["area_km2"] = f"{float(row['area_km2']):.2f}"
        if parsed != expected:
            mismatches.append((m.line, m.ags, parsed, expected))
    assert mismatches == []
    assert sum(m.population for m in register.municipalities) == 84_358_845
    assert sum(m.population_male for m in register.municipalities) == 41_559_052
    assert register.kreis_count == 400
    assert register.land_count == 16
