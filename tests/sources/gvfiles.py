"""Builders for crafted official files (GV100AD fixed width, Zensus flat CSV, centroids)."""

from __future__ import annotations

WIDTH = 220
DATE = "20231130"


def _num(value: int | str, width: int = 11) -> str:
    return f"{value:0{width}d}" if isinstance(value, int) else str(value).rjust(width)


def record(
    kind: str,
    key: str,
    name: str = "",
    *,
    seat: str = "",
    type_code: str = "",
    date: str = DATE,
) -> str:
    """A record of type 10–50: ``key`` is columns 11–22 (Land, RB, Kreis, …)."""
    line = kind + date + key.ljust(12) + name.ljust(50) + seat.ljust(50) + type_code.ljust(2)
    return line.ljust(WIDTH)


def land(code: str, name: str) -> str:
    return record("10", code, name)


def kreis(code: str, name: str, type_code: str = "44") -> str:
    return record("40", code, name, type_code=type_code)


def gemeinde(
    ags: str,
    name: str,
    *,
    verband: str = "0000",
    type_code: str = "64",
    area_ha: int | str = 1000,
    population: int | str = 1000,
    male: int | str = 500,
    plz: str = "",
    multi: bool = False,
    date: str = DATE,
) -> str:
    """A record of type 60; AGS in columns 11–18, Gemeindeverband in 19–22."""
    line = (
        "60"
        + date
        + ags
        + verband
        + name.ljust(50)
        + " " * 50
        + type_code.ljust(2)
        + " " * 4
        + _num(area_ha)
        + _num(population)
        + _num(male)
        + " " * 4
        + plz.ljust(5)
        + ("*****" if multi else "     ")
    )
    return line.ljust(WIDTH)


def small_register() -> list[str]:
    """Two Länder, three Kreise, ten municipalities (one uninhabited) – in file order."""
    return [
        land("09", "Bayern"),
        kreis("09184", "München"),
        record("50", "09184   0123", "Haar"),
        gemeinde(
            "09184123",
            "Haar",
            verband="0123",
            area_ha=1291,
            population=22555,
            male=11000,
            plz="85540",
        ),
        gemeinde(
            "09184148",
            "Unterhaching",
            verband="0148",
            area_ha=1060,
            population=26000,
            male=12800,
            plz="82008",
        ),
        gemeinde(
            "09184451",
            "Forstenrieder Park, gemfr. Geb.",
            verband="9451",
            type_code="66",
            area_ha=1000,
            population=0,
            male=0,
        ),
        land("12", "Brandenburg"),
        kreis("12054", "Potsdam, Stadt", "41"),
        gemeinde(
            "12054000",
            "Potsdam, Stadt",
            type_code="61",
            area_ha=18824,
            population=185750,
            male=89442,
            plz="14469",
            multi=True,
        ),
        kreis("12069", "Potsdam-Mittelmark"),
        gemeinde(
            "12069304",
            "Kleinmachnow",
            verband="0304",
            area_ha=1196,
            population=20341,
            male=9900,
            plz="14532",
        ),
        gemeinde(
            "12069616",
            "Teltow, Stadt",
            verband="0616",
            type_code="63",
            area_ha=2150,
            population=27500,
            male=13400,
            plz="14513",
        ),
        gemeinde(
            "12069590",
            "Stahnsdorf",
            verband="0590",
            area_ha=4960,
            population=16000,
            male=7900,
            plz="14532",
        ),
        gemeinde(
            "12069656",
            "Werder (Havel), Stadt",
            verband="0656",
            type_code="63",
            area_ha=11600,
            population=27000,
            male=13200,
            plz="14542",
        ),
        gemeinde(
            "12069020",
            "Borkheide",
            verband="5002",
            area_ha=2200,
            population=1900,
            male=950,
            plz="14822",
        ),
        gemeinde(
            "12069017",
            "Beelitz, Stadt",
            verband="0017",
            type_code="63",
            area_ha=18000,
            population=13000,
            male=6400,
            plz="14547",
            multi=True,
        ),
    ]


CENSUS_HEADER = (
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;"
    "1_variable_label;1_variable_attribute_code;1_variable_attribute_label;value;value_unit;"
    "value_variable_code;value_variable_label;value_q"
)


def census_row(ars: str, name: str, value: int | str, *, time: str = "2022-05-15") -> str:
    return (
        f"1000A;Bevölkerung kompakt (Gebietsstand 15.05.2022);STAG;Stichtag;{time};GEOGM4;"
        f"Gemeinden (Gebietsstand 15.05.2022);{ars};{name};{value};Anzahl;PRS018;Personen;e"
    )


CENTROIDS_HEADER = "ags,gen,lat,lon,area_km2_vg5000"
