"""The official files of the data directory (see ``SOURCES.md`` there) and their indicators.

Order matters: weights are imported before the rates weighted with them. Paths are relative to
``settings.ORTSWANDEL_DATA_DIR``; a missing file is skipped by ``import_datapool``.
"""

from __future__ import annotations

import datetime as dt

from .specs import DEFAULT_MEASURE, IndicatorSpec, TableSpec

DESTATIS = "Statistisches Bundesamt (Destatis), GENESIS-Online"
REGIONAL = "Statistische Ämter des Bundes und der Länder, Regionaldatenbank Deutschland"
GV100AD_FILE = "gv100ad/GV100AD_301123.txt"
GV100AD_ATTRIBUTION = (
    "Datenquelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, "
    "Stand 30.11.2023, dl-de/by-2-0"
)

# Indicators computed from the register file itself (not a GENESIS table).
GV100AD_POPULATION = IndicatorSpec(
    "gv100ad-bevoelkerung",
    "Bevölkerung (Fortschreibung)",
    "Personen",
    "Bevölkerungsstand am 31.12.2022 nach dem Gemeindeverzeichnis GV100AD (Fortschreibung auf "
    "Basis des Zensus 2011), auf dem Gebietsstand 30.11.2023; gegliedert nach Geschlecht.",
)
GV100AD_AREA = IndicatorSpec(
    "gv100ad-flaeche",
    "Fläche",
    "km²",
    "Katasterfläche laut Gemeindeverzeichnis GV100AD, Gebietsstand 30.11.2023.",
)

GV100AD_SPEC = TableSpec(
    key="gv100ad",
    path=GV100AD_FILE,
    layout="gv100ad",
    source_table="GV100AD",
    source="Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys",
    attribution=GV100AD_ATTRIBUTION,
    measures={"bevoelkerung": GV100AD_POPULATION, "flaeche": GV100AD_AREA},
    levels=frozenset({"gemeinde"}),
    territorial_status=dt.date(2023, 11, 30),
)

POPULATION_12411_0018 = "12411-0018-bevoelkerung"


def _population(code: str, what: str) -> IndicatorSpec:
    return IndicatorSpec(code, f"Bevölkerung {what}", "Personen", f"Bevölkerungsstand {what}.")


def _inkar(name: str, unit: str, what: str, weight_breakdown: str = "") -> IndicatorSpec:
    return IndicatorSpec(
        f"inkar-{name.replace('_', '-')}",
        what,
        unit,
        f"INKAR-Indikator „{name}“ (BBSR), Kreise. Aggregate: mit der Bevölkerung gewichteter "
        "Mittelwert (12411-0018).",
        aggregation="weighted_mean",
        weight=POPULATION_12411_0018,
        weight_breakdown=weight_breakdown,
    )


INKAR_MEASURES = {
    "apotheken": _inkar("apotheken", "je 100.000 Einwohner", "Apotheken"),
    "krankenhausbetten": _inkar("krankenhausbetten", "je 1.000 Einwohner", "Krankenhausbetten"),
    "pflegebedürftige": _inkar("pflegebeduerftige", "je 10.000 Einwohner", "Pflegebedürftige"),
    "ambulante_pflege": _inkar(
        "ambulante_pflege", "% der Pflegebedürftigen", "Pflegebedürftige in ambulanter Pflege"
    ),
    "stationäre_pflege": _inkar(
        "stationaere_pflege", "% der Pflegebedürftigen", "Pflegebedürftige in stationärer Pflege"
    ),
    "empfänger_von_pflegegeld": _inkar(
        "pflegegeld", "% der Pflegebedürftigen", "Empfänger von Pflegegeld"
    ),
    "betreuungsquote_kleinkinder": _inkar(
        "betreuungsquote_kleinkinder",
        "%",
        "Betreuungsquote Kleinkinder (unter 3 Jahre)",
        weight_breakdown="age=0-3",
    ),
    "einwohnerdichte": _inkar("einwohnerdichte", "Einwohner je km²", "Einwohnerdichte"),
    "einpendler": _inkar("einpendler", "% der Beschäftigten am Arbeitsort", "Einpendler"),
    "auspendler": _inkar("auspendler", "% der Beschäftigten am Wohnort", "Auspendler"),
    "erreichbarkeit_von_autobahnen": _inkar(
        "erreichbarkeit_autobahnen", "Minuten (Pkw)", "Erreichbarkeit von Autobahnen"
    ),
    "erreichbarkeit_von_oberzentren": _inkar(
        "erreichbarkeit_oberzentren", "Minuten (Pkw)", "Erreichbarkeit von Oberzentren"
    ),
    "nahversorgung_grundschulen_durchschnittsdistanz": _inkar(
        "grundschulen_distanz", "m (Luftlinie)", "Durchschnittliche Distanz zur Grundschule"
    ),
    "nahversorgung_supermärkte_durchschnittsdistanz": _inkar(
        "supermaerkte_distanz", "m (Luftlinie)", "Durchschnittliche Distanz zum Supermarkt"
    ),
    "pkw_dichte": _inkar("pkw_dichte", "Pkw je 1.000 Einwohner", "Pkw-Dichte"),
}

_BEDS = "Aufgestellte Betten in Krankenhäusern"
HOSPITAL_MEASURES = {
    "krankenh": IndicatorSpec(
        "23111-01-04-4-krankenhaeuser", "Krankenhäuser", "Anzahl", "Krankenhäuser am Jahresende."
    ),
    "betten": IndicatorSpec("23111-01-04-4-betten", _BEDS, "Betten", f"{_BEDS} (insgesamt)."),
    **{
        department: IndicatorSpec(
            "23111-01-04-4-betten",
            _BEDS,
            "Betten",
            f"{_BEDS}, gegliedert nach Fachabteilung.",
            breakdown=f"fachabteilung={department}",
        )
        for department in (
            "augen",
            "chirurgie",
            "frauen",
            "hno",
            "haut",
            "innere_medizin",
            "geriatrie",
            "kinder",
            "neurologie",
            "orthopaedie",
            "urologie",
            "sonstige",
        )
    },
}

CATALOG: tuple[TableSpec, ...] = (
    TableSpec(
        key="zensus2022-1000A-0000",
        path="zensus2022/1000A-0000_de_flat.csv",
        layout="flat",
        source_table="1000A-0000",
        source="Statistische Ämter des Bundes und der Länder, Zensusdatenbank Zensus 2022",
        attribution=(
            "© Statistische Ämter des Bundes und der Länder, Zensus 2022, Tabelle 1000A-0000, "
            "dl-de/by-2-0"
        ),
        measures={
            code: IndicatorSpec(
                "zensus2022-bevoelkerung",
                "Bevölkerung (Zensus 2022)",
                "Personen",
                "Einwohnerzahl nach dem Zensus 2022, Stichtag und Gebietsstand 15.05.2022.",
            )
            for code in ("PRS018", "PRS001")
        },
        territorial_status=dt.date(2022, 5, 15),
        historical_units=True,
    ),
    TableSpec(
        key="12411-0018",
        path="regionalstatistik_kreise/destatis_12411-0018_kreise_geschlecht_altersgruppen_2015-2020.csv",
        layout="classic",
        source_table="12411-0018",
        source=DESTATIS,
        attribution=(
            "Datenquelle: Statistisches Bundesamt (Destatis), GENESIS 12411-0018, Stand "
            "17.08.2021, dl-de/by-2-0"
        ),
        measures={
            DEFAULT_MEASURE: IndicatorSpec(
                POPULATION_12411_0018,
                "Bevölkerung nach Geschlecht und Altersgruppen (Kreise)",
                "Personen",
                "Bevölkerungsstand am 31.12. nach Kreisen, Geschlecht und 17 Altersgruppen "
                "(jeweiliger Gebietsstand); Summen über Geschlecht/Alter berechnet.",
            )
        },
    ),
    TableSpec(
        key="22411-02-03-4",
        path="regionalstatistik_kreise/regionalstatistik_22411-02-03-4_pflegebeduerftige_kreise_2015-2019.csv",
        layout="classic",
        source_table="22411-02-03-4",
        source=REGIONAL,
        attribution=(
            "© Statistische Ämter des Bundes und der Länder, Deutschland, 2021, Tabelle "
            "22411-02-03-4, dl-de/by-2-0"
        ),
        measures={
            DEFAULT_MEASURE: IndicatorSpec(
                "22411-02-03-4", "Pflegebedürftige", "Personen", "Pflegestatistik, Kreise."
            )
        },
        levels=frozenset({"bund", "land", "kreis"}),
    ),
    TableSpec(
        key="22411-02-04-4",
        path="regionalstatistik_kreise/coronadb_pflegebed.csv",
        layout="wide",
        source_table="22411-02-04-4",
        source=REGIONAL + " (über github.com/davidraoulmaas/coronadb)",
        attribution=(
            "© Statistische Ämter des Bundes und der Länder, Deutschland, Tabelle 22411-02-04-4, "
            "dl-de/by-2-0 (Daten verändert)"
        ),
        measures={
            "pflegebeduerftige": IndicatorSpec(
                "22411-02-04-4-pflegebeduerftige", "Pflegebedürftige", "Personen"
            ),
            "ambulant": IndicatorSpec(
                "22411-02-04-4-ambulant", "Pflegebedürftige: ambulante Pflege", "Personen"
            ),
            "vollstaendig": IndicatorSpec(
                "22411-02-04-4-vollstationaer", "Pflegebedürftige: vollstationär", "Personen"
            ),
            "pflegegeld_empfaenger": IndicatorSpec(
                "22411-02-04-4-pflegegeld", "Pflegegeldempfänger", "Personen"
            ),
        },
        levels=frozenset({"kreis"}),
        wide_key_column="krs",
        wide_skip_columns=("name", "land"),
        wide_year=2017,
    ),
    TableSpec(
        key="23111-01-04-4",
        path="regionalstatistik_kreise/coronadb_krankenh.csv",
        layout="wide",
        source_table="23111-01-04-4",
        source=REGIONAL + " (über github.com/davidraoulmaas/coronadb)",
        attribution=(
            "© Statistische Ämter des Bundes und der Länder, Deutschland, Tabelle 23111-01-04-4, "
            "dl-de/by-2-0 (Daten verändert)"
        ),
        measures=HOSPITAL_MEASURES,
        levels=frozenset({"kreis"}),
        wide_key_column="krs",
        wide_skip_columns=("name", "land"),
        wide_year=2018,
    ),
    TableSpec(
        key="inkar-2017",
        path="regionalstatistik_kreise/coronadb_INKAR_Strukturdaten.csv",
        layout="wide",
        source_table="INKAR",
        source="Bundesinstitut für Bau-, Stadt- und Raumforschung (BBSR), INKAR",
        attribution="© BBSR Bonn 2020, INKAR, dl-de/by-2-0 (Daten verändert)",
        measures=INKAR_MEASURES,
        levels=frozenset({"kreis"}),
        ignore_unmapped=True,
        wide_key_column="krs",
        wide_skip_columns=("raumeinheit", "aggregat"),
    ),
    TableSpec(
        key="12411-0005",
        path="destatis_bevoelkerung_altersjahre/destatis_12411-0005_deutschland_altersjahre_1970-2023.csv",
        layout="classic",
        source_table="12411-0005",
        source=DESTATIS,
        attribution=(
            "Datenquelle: Statistisches Bundesamt (Destatis), GENESIS 12411-0005, Stand "
            "20.06.2024, dl-de/by-2-0"
        ),
        measures={
            DEFAULT_MEASURE: _population(
                "12411-0005-bevoelkerung",
                "Deutschlands nach Altersjahren (bis 1989 früheres Bundesgebiet)",
            )
        },
        default_region="DG",
    ),
    TableSpec(
        key="12411-0006",
        path="destatis_bevoelkerung_altersjahre/destatis_12411-0006_deutschland_geschlecht_altersjahre_1970-2021.csv",
        layout="classic",
        source_table="12411-0006",
        source=DESTATIS,
        attribution=(
            "Datenquelle: Statistisches Bundesamt (Destatis), GENESIS 12411-0006, Stand "
            "01.07.2022, dl-de/by-2-0"
        ),
        measures={
            DEFAULT_MEASURE: _population(
                "12411-0006-bevoelkerung", "Deutschlands nach Geschlecht und Altersjahren"
            )
        },
        default_region="DG",
    ),
    TableSpec(
        key="12411-0007",
        path="destatis_bevoelkerung_altersjahre/destatis_12411-0007_deutschland_nationalitaet_geschlecht_altersjahre_2025-12-31_flat.csv",
        layout="flat",
        source_table="12411-0007",
        source=DESTATIS,
        attribution=(
            "Datenquelle: Statistisches Bundesamt (Destatis), GENESIS 12411-0007, Stichtag "
            "31.12.2025, dl-de/by-2-0"
        ),
        measures={
            DEFAULT_MEASURE: _population(
                "12411-0007-bevoelkerung",
                "Deutschlands nach Nationalität, Geschlecht und Altersjahren (Basis Zensus 2022)",
            )
        },
    ),
    TableSpec(
        key="12411-0012",
        path="destatis_bevoelkerung_altersjahre/destatis_12411-0012_laender_altersjahre_1967-2023.csv",
        layout="classic",
        source_table="12411-0012",
        source=DESTATIS,
        attribution=(
            "Datenquelle: Statistisches Bundesamt (Destatis), GENESIS 12411-0012, Stand "
            "20.06.2024, dl-de/by-2-0"
        ),
        measures={
            DEFAULT_MEASURE: _population("12411-0012-bevoelkerung", "der Länder nach Altersjahren")
        },
    ),
    TableSpec(
        key="12411-0013",
        path="destatis_bevoelkerung_altersjahre/destatis_12411-0013_laender_geschlecht_altersjahre_2015-2021.csv",
        layout="classic",
        source_table="12411-0013",
        source=DESTATIS,
        attribution=(
            "Datenquelle: Statistisches Bundesamt (Destatis), GENESIS 12411-0013, Stand "
            "16.07.2022, dl-de/by-2-0"
        ),
        measures={
            DEFAULT_MEASURE: _population(
                "12411-0013-bevoelkerung", "der Länder nach Geschlecht und Altersjahren"
            )
        },
    ),
    TableSpec(
        key="12612-0009",
        path="destatis_geburten/destatis_12612-0009_zusammengefasste_geburtenziffer_deutschland_1972-2025_flat.csv",
        layout="flat",
        source_table="12612-0009",
        source=DESTATIS,
        attribution=(
            "Datenquelle: Statistisches Bundesamt (Destatis), GENESIS 12612-0009, Stand "
            "01.07.2026, dl-de/by-2-0"
        ),
        measures={
            DEFAULT_MEASURE: IndicatorSpec(
                "12612-0009-geburtenziffer",
                "Zusammengefasste Geburtenziffer (Deutschland)",
                "Kinder je Frau",
                "Summe der altersspezifischen Geburtenziffern der Frauen von 15 bis unter 45 "
                "bzw. 50 Jahren (age=15-45, age=15-50).",
                aggregation="none",
            )
        },
        reference_date=dt.date(2026, 7, 1),
    ),
    TableSpec(
        key="12612-0104",
        path="destatis_geburten/destatis_12612-0104_zusammengefasste_geburtenziffer_laender_1991-2025_flat.csv",
        layout="flat",
        source_table="12612-0104",
        source=DESTATIS,
        attribution=(
            "Datenquelle: Statistisches Bundesamt (Destatis), GENESIS 12612-0104, Abruf 2026, "
            "dl-de/by-2-0"
        ),
        measures={
            DEFAULT_MEASURE: IndicatorSpec(
                "12612-0104-geburtenziffer",
                "Zusammengefasste Geburtenziffer (Länder)",
                "Kinder je Frau",
                "Wie 12612-0009, je Land. Nicht aggregiert: der Bundeswert steht in 12612-0009.",
                aggregation="none",
            )
        },
    ),
    TableSpec(
        key="12612-0008",
        path="destatis_geburten/destatis_12612-0008_geburtenziffern_je_1000_frauen_altersjahre_deutschland_1972-2024.csv",
        layout="classic",
        source_table="12612-0008",
        source=DESTATIS + " (über github.com/dashgrid-dev/tutorial-birth-rates)",
        attribution=(
            "Datenquelle: Statistisches Bundesamt (Destatis), GENESIS 12612-0008, Abruf 01/2026, "
            "dl-de/by-2-0"
        ),
        measures={
            DEFAULT_MEASURE: IndicatorSpec(
                "12612-0008-geburtenziffer",
                "Lebendgeborene je 1.000 Frauen nach Alter der Mutter",
                "je 1.000 Frauen",
                "Altersspezifische Geburtenziffern (Geburtsjahrmethode), Deutschland. Für "
                "2013–2021 noch nicht revidiert (siehe 12612-0009).",
                aggregation="none",
            )
        },
        default_region="DG",
        decimal=".",
        reference_date=dt.date(2026, 1, 20),
    ),
    TableSpec(
        key="12613-0003",
        path="destatis_sterbefaelle/destatis_12613-0003_deutschland_gestorbene_geschlecht_altersjahre_1956-2022.csv",
        layout="classic",
        source_table="12613-0003",
        source=DESTATIS,
        attribution=(
            "Datenquelle: Statistisches Bundesamt (Destatis), GENESIS 12613-0003, Stand "
            "15.08.2023, dl-de/by-2-0"
        ),
        measures={
            DEFAULT_MEASURE: IndicatorSpec(
                "12613-0003-gestorbene",
                "Gestorbene nach Geschlecht und Altersjahren",
                "Personen",
                "Sterbefälle im Kalenderjahr, Gebiet des heutigen Deutschlands; ab 2016 "
                "enthält die Gesamtzahl Fälle mit unbestimmtem Geschlecht.",
            )
        },
        default_region="DG",
    ),
    TableSpec(
        key="12421-0002",
        path="destatis_vorausberechnung/destatis_12421-0002_15kbv_variante1_G2L2W1_geschlecht_altersjahre_2022-2070.csv",
        layout="classic",
        source_table="12421-0002",
        source=DESTATIS + " (15. koordinierte Bevölkerungsvorausberechnung)",
        attribution=(
            "Datenquelle: Statistisches Bundesamt (Destatis), GENESIS 12421-0002 (15. "
            "koordinierte Bevölkerungsvorausberechnung), Stand 19.07.2023, dl-de/by-2-0"
        ),
        measures={
            DEFAULT_MEASURE: IndicatorSpec(
                "12421-0002-bevoelkerung",
                "Vorausberechnete Bevölkerung (15. koordinierte Bevölkerungsvorausberechnung)",
                "1.000 Personen",
                "Variante G2L2W1 (Geburten und Lebenserwartung moderat, Wanderungssaldo "
                "niedrig), Basis 31.12.2021; nach Geschlecht und Altersjahren.",
            ),
            "annahme-geburtenrate": IndicatorSpec(
                "15kbv-annahme-geburtenrate",
                "Annahme Geburtenrate (15. koordinierte Bevölkerungsvorausberechnung)",
                "Kinder je Frau",
                "Annahmen G1–G3 und GR laut Fußnote der Tabelle 12421-0002.",
                aggregation="none",
            ),
            "annahme-lebenserwartung": IndicatorSpec(
                "15kbv-annahme-lebenserwartung",
                "Annahme Lebenserwartung bei Geburt 2070 (15. koordinierte "
                "Bevölkerungsvorausberechnung)",
                "Jahre",
                "Annahmen L1–L3 laut Fußnote der Tabelle 12421-0002, nach Geschlecht.",
                aggregation="none",
            ),
            "annahme-wanderungssaldo": IndicatorSpec(
                "15kbv-annahme-wanderungssaldo",
                "Annahme Wanderungssaldo (15. koordinierte Bevölkerungsvorausberechnung)",
                "Personen je Jahr",
                "Annahmen W0–W3 laut Fußnote der Tabelle 12421-0002: Rückgang vom Wert 2022 auf "
                "den Wert 2033, danach konstant.",
                aggregation="none",
            ),
        },
        default_region="DG",
        dimension_names={"merkmal1": "variante"},
        extra="assumptions",
    ),
    *(
        TableSpec(
            key=f"12621-0001-{period}",
            path=f"sterbetafeln/destatis_12621-0001_sterbetafel_{period}.csv",
            layout="classic",
            source_table="12621-0001",
            source=DESTATIS,
            attribution=(
                "Datenquelle: © Statistisches Bundesamt (Destatis), 2025, GENESIS 12621-0001 "
                "(Sterbetafel), dl-de/by-2-0"
            ),
            measures={
                key: IndicatorSpec(
                    f"12621-0001-{symbol}",
                    f"Sterbetafel: {label}",
                    unit,
                    f"Periodensterbetafel Deutschland, {label}, nach Geschlecht und Alter.",
                    aggregation="none",
                )
                for key, symbol, label, unit in (
                    (
                        "sterbewahrscheinlichkeit-q-x",
                        "qx",
                        "Sterbewahrscheinlichkeit q(x)",
                        "Ziffer",
                    ),
                    (
                        "ueberlebenswahrscheinlichkeit-p-x",
                        "px",
                        "Überlebenswahrscheinlichkeit p(x)",
                        "Ziffer",
                    ),
                    ("ueberlebende-l-x", "lx", "Überlebende l(x)", "Personen"),
                    ("gestorbene-d-x", "dx", "Gestorbene d(x)", "Personen"),
                    (
                        "bis-zum-alter-x-1-durchlebte-jahre-l-x",
                        "lx-jahre",
                        "Durchlebte Jahre L(x)",
                        "Jahre",
                    ),
                    (
                        "insgesamt-noch-zu-durchlebende-jahre-t-x",
                        "tx",
                        "Noch zu durchlebende Jahre T(x)",
                        "Jahre",
                    ),
                    (
                        "durchschnittliche-lebenserwartung-e-x",
                        "ex",
                        "Lebenserwartung e(x)",
                        "Jahre",
                    ),
                )
            },
            default_region="DG",
        )
        for period in ("2016-2018", "2020-2022", "2022-2024")
    ),
)


def catalog_by_key() -> dict[str, TableSpec]:
    return {spec.key: spec for spec in CATALOG}
