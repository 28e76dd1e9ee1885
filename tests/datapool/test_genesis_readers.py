"""The pure readers: GENESIS flat and classic CSV, special signs, German numbers, broken files."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ortswandel.datapool.genesis.assumptions import parse_assumptions
from ortswandel.datapool.genesis.classic import parse_classic
from ortswandel.datapool.genesis.flat import parse_flat
from ortswandel.datapool.genesis.table import TableError, decode
from ortswandel.datapool.genesis.vocab import (
    age_item,
    land_code_for_name,
    parse_number,
    parse_period,
    region_level,
    sex_item,
)
from ortswandel.datapool.genesis.wide import parse_wide

from .conftest import CLASSIC_ROWS, classic_table, flat_row, flat_table


def _classic(rows: list[str], **kwargs) -> object:
    text, encoding = decode(classic_table(rows))
    return parse_classic(text, encoding=encoding, **kwargs)


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("raw", "value", "sign"),
    [
        ("1.234,5", 1234.5, ""),
        ("1234,5", 1234.5, ""),
        ("1.234.567", 1234567.0, ""),
        ("-3,25", -3.25, ""),
        ("0", 0.0, ""),
        ("-", 0.0, "-"),
        (".", None, "."),
        ("x", None, "x"),
        ("...", None, "..."),
        ("…", None, "..."),
        ("/", None, "/"),
    ],
)
def test_german_numbers_and_special_signs(raw, value, sign):
    number = parse_number(raw)
    assert number is not None
    assert number.value == value
    assert number.sign == sign


@pytest.mark.parametrize("raw", ["1.3", "1,2,3", "12a", "1 234,5x", "1.23,4", "--1"])
def test_malformed_numbers_are_rejected_not_misread(raw):
    with pytest.raises(ValueError, match="keine Zahl"):
        parse_number(raw)


def test_point_decimal_mode():
    assert parse_number("1.3", decimal=".").value == 1.3
    assert parse_number("1,234.5", decimal=".").value == 1234.5
    assert parse_number("", decimal=".") is None


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=999))
def test_german_format_round_trip(whole, fraction):
    grouped = f"{whole:,}".replace(",", ".")
    text = f"{grouped},{fraction:03d}"
    assert parse_number(text).value == pytest.approx(whole + fraction / 1000)


def test_periods_sex_age_regions():
    assert parse_period("31.12.2020").date == dt.date(2020, 12, 31)
    assert parse_period("2020").kind == "jahr"
    span = parse_period("2022/24")
    assert (span.date, span.kind, span.label) == (dt.date(2024, 12, 31), "zeitraum", "2022/24")
    with pytest.raises(ValueError, match="kein gültiges Datum"):
        parse_period("31.02.2020")
    assert [sex_item(s) for s in ("männlich", "m\ufffdnnlich", "GESW", "Insgesamt")] == [
        "m",
        "m",
        "w",
        "",
    ]
    assert [
        age_item(a)
        for a in ("unter 1 Jahr", "1-J\ufffdhrige", "85 Jahre und mehr", "3 bis unter 6 Jahre")
    ] == ["0", "1", "85+", "3-6"]
    assert [age_item(a) for a in ("ALT027", "ALT085UM", "ALT015B50", "15 years")] == [
        "27",
        "85+",
        "15-50",
        "15",
    ]
    assert age_item("Northeim") is None
    assert land_code_for_name("Baden-W\ufffdrttemberg") == "08"
    assert land_code_for_name("Sachsen-Anhalt") == "15"
    assert [region_level(c) for c in ("DG", "03", "031", "03159", "03159016", "031590016")] == [
        "bund",
        "land",
        "regbez",
        "kreis",
        "gemeinde",
        "gemeindeverband",
    ]
    assert region_level("17") is None
    assert region_level("Göttingen") is None


# ----------------------------------------------------------------------------- classic


def test_classic_layout_with_header_and_footer_blocks():
    table = _classic(CLASSIC_ROWS)
    assert table.problems == []
    assert table.table_code == "99999-0001"
    assert table.stand == dt.date(2021, 8, 17)
    assert table.copyright.startswith("© Statistisches Bundesamt")
    assert table.measures["bevoelkerungsstand"].unit == "Anzahl"
    first = [c for c in table.cells if c.region == "03152" and c.period.date.year == 2015]
    assert {(c.breakdown, c.value) for c in first} == {
        ("age=0-3;sex=m", 100.0),
        ("age=3+;sex=m", 1000.0),
        ("age=0-3;sex=w", 90.0),
        ("age=3+;sex=w", 1100.0),
    }
    dash = [c for c in table.cells if c.region == "03159" and c.period.date.year == 2015]
    assert {(c.value, c.sign) for c in dash} == {(0.0, "-")}


def test_classic_special_signs_keep_no_number():
    rows = [
        "31.12.2015;03152;A;.;x;...;/",
        "31.12.2015;03155;B;1,5;2.000,25;-;0",
    ]
    table = _classic(rows)
    signs = [(c.value, c.sign) for c in table.cells if c.region == "03152"]
    assert signs == [(None, "."), (None, "x"), (None, "..."), (None, "/")]
    values = [c.value for c in table.cells if c.region == "03155"]
    assert values == [1.5, 2000.25, 0.0, 0.0]


def test_classic_broken_lines_are_reported_with_their_line():
    rows = [
        "31.12.2015;03152;A;1;2;3;4",
        "31.12.2015;03155;B;1;2;3",  # one column short
        "31.12.2015;03156;C;1;1.3;3;4",  # not a German number
    ]
    table = _classic(rows)
    assert next((p.line, "Spalten" in p.message) for p in table.problems) == (8, True)
    assert table.problems[1].line == 9
    assert "1.3" in table.problems[1].message


def test_classic_without_header_rows_is_not_a_table():
    text, encoding = decode(b"Eine Zeile;\r\nnoch eine;\r\n")
    with pytest.raises(TableError, match="Spaltenköpfe"):
        parse_classic(text, encoding=encoding)


def test_classic_wide_years_in_columns_and_rows_by_sex_and_age():
    data = (
        "GENESIS-Tabelle: 12613-0003\nGestorbene (Anzahl);;;\n;;1956;1957\n"
        "männlich;unter 1 Jahr;10;11\nmännlich;Insgesamt;20;21\n"
        "weiblich;unter 1 Jahr;8;9\n__________\nStand: 15.08.2023\n"
    )
    table = parse_classic(data, default_region="DG")
    assert {(c.period.date.year, c.breakdown, c.value) for c in table.cells} >= {
        (1956, "age=0;sex=m", 10.0),
        (1957, "sex=m", 21.0),
        (1956, "age=0;sex=w", 8.0),
    }
    assert all(c.region == "DG" and c.period.kind == "jahr" for c in table.cells)


def test_classic_life_table_sections_and_quality_flags():
    data = (
        "Tabelle: 12621-0001\n;Geschlecht;;;\n;männlich;;weiblich;\n"
        ";Lebenserwartung [e(x)];;Lebenserwartung [e(x)];\n;Jahre;Jahre;Jahre;Jahre\n"
        "2022/24;;;;\n0 Jahre;78,47;e;83,19;e\n1 Jahr;77,73;e;82,44;e\n"
    )
    table = parse_classic(data, default_region="DG")
    assert table.problems == []
    assert {(c.period.label, c.breakdown, c.value) for c in table.cells} == {
        ("2022/24", "age=0;sex=m", 78.47),
        ("2022/24", "age=0;sex=w", 83.19),
        ("2022/24", "age=1;sex=m", 77.73),
        ("2022/24", "age=1;sex=w", 82.44),
    }


def test_classic_laender_as_column_headers():
    data = (
        "GENESIS-Tabelle: 12411-0012\n;;Bundesländer;Bundesländer\n;;Bayern;Berlin\n"
        "31.12.2020;unter 1 Jahr;120;38\n31.12.2020;Insgesamt;13000;3600\n"
    )
    table = parse_classic(data)
    assert {(c.region, c.breakdown, c.value) for c in table.cells} == {
        ("09", "age=0", 120.0),
        ("11", "age=0", 38.0),
        ("09", "", 13000.0),
        ("11", "", 3600.0),
    }


# ----------------------------------------------------------------------------- flat


def test_flat_layout_codes_decimals_and_signs():
    rows = [
        flat_row(2020, "DG", "Deutschland", "ALT015B50", "1,530"),
        flat_row(2020, "03", "Niedersachsen", "ALT015B50", "1,612"),
        flat_row(1991, "01", "Schleswig-Holstein", "ALT015B50", "."),
    ]
    text, encoding = decode(flat_table(rows))
    table = parse_flat(text, encoding=encoding)
    assert table.problems == []
    assert [(c.region, c.breakdown, c.value, c.sign) for c in table.cells] == [
        ("DG", "age=15-50", 1.53, ""),
        ("03", "age=15-50", 1.612, ""),
        ("01", "age=15-50", None, "."),
    ]
    assert table.cells[0].period.kind == "jahr"
    assert table.measures["BEV066"].label.startswith("Zusammengefasste")


def test_flat_missing_columns_and_bad_lines():
    with pytest.raises(TableError, match="value") as caught:
        parse_flat("statistics_code;time;wert\n1;2020;3\n")
    assert caught.value.line == 1
    rows = [flat_row(2020, "03", "Niedersachsen", "ALT015B50", "1;5")]
    table = parse_flat(flat_table(rows).decode("utf-8-sig"))
    assert table.problems[0].line == 2
    assert "Spalten" in table.problems[0].message


def test_wide_tables_quoted_german_and_plain_numbers():
    text = (
        'krs,name,apotheken_2017,dichte_2017\n1001,"Flensburg",27.1,"2.965,50"\n3159,"G",,"1.560"\n'
    )
    table = parse_wide(text, key_column="krs", skip_columns=("name",))
    assert {(c.region, c.measure, c.value) for c in table.cells} == {
        ("01001", "apotheken", 27.1),
        ("01001", "dichte", 2965.5),
        ("03159", "dichte", 1560.0),
    }


# ----------------------------------------------------------------------------- encodings


def test_utf16_and_binary_files_are_rejected():
    with pytest.raises(TableError, match="Nullbytes"):
        decode("Alter;weiblich\n".encode("utf-16"))
    with pytest.raises(TableError, match="leer"):
        decode(b"   \n")


def test_declared_utf8_with_latin1_bytes_names_the_line():
    with pytest.raises(TableError) as caught:
        decode("a;b\nGöttingen;1\n".encode("iso-8859-1"), "utf-8")
    assert caught.value.line == 2
    assert "nicht UTF-8" in str(caught.value)


def test_doubly_encoded_utf8_is_rejected():
    broken = "Göttingen".encode().decode("latin-1").encode("utf-8")
    with pytest.raises(TableError, match="doppelt kodiert"):
        decode(b"a;b\n" + broken + b";1\n")


def test_latin1_is_read_in_auto_mode():
    text, encoding = decode("Göttingen;1\n".encode("iso-8859-1"))
    assert (text, encoding) == ("Göttingen;1\n", "iso-8859-1")


def test_projection_assumptions_from_the_footnote():
    footer = (
        "G2: Geburtenrate 1,55 Kinder je Frau\nL2: Lebenserwartung bei Geburt 2070 für Jungen "
        "84,6 /\n    Mädchen 88,2 Jahre\nW1: Rückgang von 1,1 Mill. in 2022 auf 150.000 in "
        "2033, \n    danach konstant\n(Basis: 31.12.2021)"
    )
    rows, base = parse_assumptions(footer)
    assert base == "31.12.2021"
    assert {(r.measure, r.breakdown, r.year, r.value) for r in rows} == {
        ("geburtenrate", "annahme=G2", 2070, 1.55),
        ("lebenserwartung", "annahme=L2;sex=m", 2070, 84.6),
        ("lebenserwartung", "annahme=L2;sex=w", 2070, 88.2),
        ("wanderungssaldo", "annahme=W1", 2022, 1_100_000.0),
        ("wanderungssaldo", "annahme=W1", 2033, 150_000.0),
    }
