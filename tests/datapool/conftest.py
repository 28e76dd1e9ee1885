"""Fixtures: a small register (Niedersachsen with Göttingen/Northeim, Brandenburg with Potsdam),
synthetic GENESIS tables of both layouts, users for every role."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sources.gvfiles import gemeinde, kreis, land, record

CLASSIC_HEADER = [
    "GENESIS-Tabelle: 99999-0001",
    "Testbevölkerung: Kreise, Stichtag, Geschlecht, Altersgruppen;;;;;;",
    "Fortschreibung des Bevölkerungsstandes;;;;;;",
    "Bevölkerungsstand (Anzahl);;;;;;",
    ";;;männlich;männlich;weiblich;weiblich",
    ";;;unter 3 Jahre;3 Jahre und mehr;unter 3 Jahre;3 Jahre und mehr",
]
CLASSIC_FOOTER = [
    "__________",
    '"Ab 2011: Ergebnisse auf Grundlage des Zensus 2011."',
    "© Statistisches Bundesamt (Destatis), 2021",
    "Stand: 17.08.2021 / 13:26:54",
]


def register_lines() -> list[str]:
    """Two Länder, three Kreise, five municipalities (each in its own Gemeindeverband)."""
    return [
        land("03", "Niedersachsen"),
        kreis("03155", "Northeim"),
        record("50", "03155   0011", "Northeim, Stadt", type_code="50"),
        gemeinde("03155011", "Northeim, Stadt", verband="0011", population=28000, male=13700),
        record("50", "03155   0012", "Einbeck, Stadt", type_code="50"),
        gemeinde("03155012", "Einbeck, Stadt", verband="0012", population=31000, male=15200),
        kreis("03159", "Göttingen"),
        record("50", "03159   0016", "Göttingen, Stadt", type_code="50"),
        gemeinde("03159016", "Göttingen, Stadt", verband="0016", population=118000, male=57000),
        record("50", "03159   0024", "Hann. Münden, Stadt", type_code="50"),
        gemeinde("03159024", "Hann. Münden, Stadt", verband="0024", population=23000, male=11000),
        land("12", "Brandenburg"),
        kreis("12054", "Potsdam", "41"),
        record("50", "12054   0000", "Potsdam, Stadt", type_code="50"),
        gemeinde("12054000", "Potsdam, Stadt", type_code="61", population=185000, male=90000),
    ]


def classic_table(rows: list[str], *, header: list[str] | None = None) -> bytes:
    """A classic GENESIS CSV in ISO-8859-1, as GENESIS exports it."""
    lines = [*(header or CLASSIC_HEADER), *rows, *CLASSIC_FOOTER]
    return ("\r\n".join(lines) + "\r\n").encode("iso-8859-1")


#: Kreise 2015 (old territory: 03152 + 03156, later 03159) and 2016 (new territory).
CLASSIC_ROWS = [
    "31.12.2015;03152;Göttingen, Landkreis (bis 31.10.2016);100;1.000;90;1.100",
    "31.12.2015;03155;Northeim, Landkreis;50;600;40;650",
    "31.12.2015;03156;Osterode am Harz, Landkreis (bis 31.10.2016);20;300;10;330",
    "31.12.2015;03159;Göttingen, Landkreis;-;-;-;-",
    "31.12.2015;12054;Potsdam, kreisfreie Stadt;70;800;60;850",
    "31.12.2016;03152;Göttingen, Landkreis (bis 31.10.2016);-;-;-;-",
    "31.12.2016;03155;Northeim, Landkreis;51;601;41;651",
    "31.12.2016;03159;Göttingen, Landkreis;121;1.301;101;1.431",
    "31.12.2016;12054;Potsdam, kreisfreie Stadt;71;801;61;851",
]

FLAT_HEADER = (
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;"
    "1_variable_label;1_variable_attribute_code;1_variable_attribute_label;2_variable_code;"
    "2_variable_label;2_variable_attribute_code;2_variable_attribute_label;value;value_unit;"
    "value_variable_code;value_variable_label"
)


def flat_row(year: int, land_code: str, name: str, age: str, value: str) -> str:
    variable = "DINSG;Deutschland insgesamt" if land_code == "DG" else "DLAND;Bundesländer"
    return (
        f"12612;Statistik der Geburten;JAHR;Jahr;{year};{variable};{land_code};{name};"
        f"ALTX31;Altersgruppen (15-u45, 15-u50);{age};15 bis unter 50 Jahre;{value};Anzahl;"
        "BEV066;Zusammengefasste Geburtenziffer (je Frau)"
    )


def flat_table(rows: list[str]) -> bytes:
    return ("\ufeff" + FLAT_HEADER + "\n" + "\n".join(rows) + "\n").encode("utf-8")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "gv100ad").mkdir()
    (tmp_path / "gv100ad" / "GV100AD_301123.txt").write_text(
        "\n".join(register_lines()) + "\n", encoding="utf-8"
    )
    return tmp_path


@pytest.fixture
def pool(db, data_dir):
    """Spatial units of the small register plus the recorded territorial changes."""
    from ortswandel.datapool.genesis.gv100ad import read_register_units
    from ortswandel.datapool.services.units import load_default_changes, spatial_units_import

    spatial_units_import(units=read_register_units(data_dir / "gv100ad" / "GV100AD_301123.txt"))
    load_default_changes()
    return data_dir


def grant_staff(user, ags: str, name: str) -> None:
    """The platform-wide role *staff of municipality* for ``ags`` (register row created here)."""
    from ortswandel.accounts.roles import municipality_staff_grant
    from ortswandel.municipalities.models import Municipality

    municipality, _ = Municipality.objects.get_or_create(
        ags=ags,
        defaults={
            "ars": ags[:5] + "0000" + ags[5:],
            "name": name,
            "land_code": ags[:2],
            "land_name": "Niedersachsen",
            "kreis_code": ags[:5],
        },
    )
    municipality_staff_grant(user=user, municipality=municipality, acting_user=None)


@pytest.fixture
def municipal_staff(django_user_model, password, pool):
    user = django_user_model.objects.create_user(
        username="stadt@goettingen.example", email="stadt@goettingen.example", password=password
    )
    grant_staff(user, "03159016", "Göttingen, Stadt")
    return user


@pytest.fixture
def other_staff(django_user_model, password, pool):
    user = django_user_model.objects.create_user(
        username="stadt@northeim.example", email="stadt@northeim.example", password=password
    )
    grant_staff(user, "03155011", "Northeim, Stadt")
    return user


@pytest.fixture
def operator(django_user_model, password):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="statistik@example.org",
        email="statistik@example.org",
        password=password,
        is_staff=True,
    )
    user.user_permissions.add(Permission.objects.get(codename="import_official_data"))
    return user


def population_csv(ags: str = "03159016", *, date: str = "31.12.2024", **changes) -> bytes:
    """A filled population template (CSV, ``;``): 10 women and 9 men per age, 100+: 2 and 1."""
    rows = [
        "Ortswandel – Vorlage: Einwohner nach Alter und Geschlecht (Melderegister)",
        f"Gemeindeschlüssel (AGS);{ags}",
        "Gemeinde;Göttingen, Stadt",
        f"Stichtag (TT.MM.JJJJ);{date}",
        "Alter;weiblich;männlich;insgesamt",
    ]
    rows.extend(changes.get(f"age{age}", f"{age};10;9;19") for age in range(100))
    rows.append(changes.get("age100", "100 und älter;2;1;3"))
    rows.append(changes.get("total", "Insgesamt;1.002;901;1.903"))
    return ("\r\n".join(rows) + "\r\n").encode(changes.get("encoding", "utf-8"))
