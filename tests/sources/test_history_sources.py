"""Readers of population, deaths and fertility tables; derived standards; base populations.

Against the real files of the data directory (skipped with a reason when it is absent),
plus small synthetic files for the readers' layouts and errors.
"""

from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ortswandel.core.env import data_dir
from ortswandel.engine import AgeGrid, ProjectionInputs, project
from ortswandel.engine.inputs import survival_from_tables
from ortswandel.engine.mortality import life_table_from_rates
from ortswandel.engine.residual import group_sums
from ortswandel.sources.base_population import (
    MUNICIPAL_AGE_CSV,
    density_model,
    districts_rolled_forward,
    estimate_base_population,
)
from ortswandel.sources.derived import district_single_years, land_standard, period_death_rates
from ortswandel.sources.genesis import (
    age_of_label,
    read_germany_by_sex,
    read_germany_total,
    read_laender_total,
)
from ortswandel.sources.gv100ad import SourceFormatError
from ortswandel.sources.official import FILES, OfficialData, de_number
from ortswandel.sources.regionalstatistik import read_municipal_age_groups
from ortswandel.sources.vital import read_asfr, read_deaths, read_tfr

DATA = data_dir()
HAVE_DATA = all((DATA / rel).exists() for rel, *_ in FILES.values())
needs_data = pytest.mark.skipif(not HAVE_DATA, reason=f"official data not in {DATA}")


@pytest.fixture(scope="module")
def data() -> OfficialData:
    return OfficialData(DATA)


# --- synthetic layouts ---------------------------------------------------------------------


def test_age_labels() -> None:
    assert age_of_label("unter 1 Jahr") == (0, False)
    assert age_of_label("72-J\ufffdhrige") == (72, False)
    assert age_of_label("85 Jahre und mehr") == (85, True)
    assert age_of_label("Insgesamt") is None
    assert de_number(1234567.891, 1) == "1.234.567,9"


def _germany_by_sex(ages: list[tuple[str, int, int]], total_ok: bool = True) -> str:
    lines = ["GENESIS-Tabelle: 12411-0006", ";;männlich;weiblich;Insgesamt"]
    for label, m, f in ages:
        lines.append(f"31.12.2000;{label};{m};{f};{m + f}")
    tm, tf = sum(a[1] for a in ages), sum(a[2] for a in ages)
    lines.append(f"31.12.2000;Insgesamt;{tm};{tf};{tm + tf + (0 if total_ok else 1)}")
    return "\n".join([*lines, "__________", "© Statistisches Bundesamt"])


def test_germany_by_sex_reader_synthetic(tmp_path: Path) -> None:
    rows = [("unter 1 Jahr", 5, 4), ("1-Jährige", 6, 7), ("2 Jahre und mehr", 10, 20)]
    p = tmp_path / "g.csv"
    p.write_text(_germany_by_sex(rows), encoding="latin-1")  # older exports: ISO-8859-1
    t = read_germany_by_sex(p)
    assert t.open_age == 2
    assert_allclose(t.at(2000), [[4, 7, 20], [5, 6, 10]])  # female first
    with pytest.raises(KeyError, match="2000"):
        t.at(1999)
    p.write_text(_germany_by_sex(rows, total_ok=False), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="Insgesamt"):
        read_germany_by_sex(p)


def test_germany_total_and_laender_readers_synthetic(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text(
        "GENESIS-Tabelle: 12411-0005\n;31.12.2001;31.12.2002\nunter 1 Jahr;1;2\n"
        "1 Jahre und mehr;3;4\nInsgesamt;4;6\n",
        encoding="utf-8",
    )
    t = read_germany_total(p)
    assert_allclose(t.at(2002), [2, 4])
    names = ";".join(
        (
            "Baden-Württemberg",
            "Bayern",
            "Berlin",
            "Brandenburg",
            "Bremen",
            "Hamburg",
            "Hessen",
            "Mecklenburg-Vorpommern",
            "Niedersachsen",
            "Nordrhein-Westfalen",
            "Rheinland-Pfalz",
            "Saarland",
            "Sachsen",
            "Sachsen-Anhalt",
            "Schleswig-Holstein",
            "Thüringen",
        )
    )
    vals = ";".join(str(i) for i in range(1, 17))
    p.write_text(
        f";;{names}\n31.12.2001;unter 1 Jahr;{vals}\n31.12.2001;1 Jahre und mehr;{vals}\n"
        f"31.12.2001;Insgesamt;{';'.join(str(2 * i) for i in range(1, 17))}\n",
        encoding="utf-8",
    )
    lt = read_laender_total(p)
    # columns in alphabetical order -> AGS order: 01 SH is column 15, 08 BW column 1
    assert lt.at(2001)[0, 0] == 15 and lt.at(2001)[7, 0] == 1 and lt.at(2001)[15, 1] == 16


def test_deaths_tfr_asfr_synthetic(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text(
        ";;2001;2002\nmännlich;unter 1 Jahr;1;2\nmännlich;1 Jahre und mehr;3;4\n"
        "männlich;Alter unbekannt;4;-\nmännlich;Insgesamt;8;6\nweiblich;unter 1 Jahr;1;1\n"
        "weiblich;1 Jahre und mehr;1;1\nweiblich;Insgesamt;2;2\n",
        encoding="utf-8",
    )
    d = read_deaths(p)
    assert_allclose(d.counts[2001], [[1, 1], [2, 6]])  # unknown ages spread 1:3
    head = "statistics_code;time;1_variable_attribute_code;2_variable_attribute_code;value\n"
    p.write_text(head + "1;2001;DG;ALT015B50;1,5\n1;2001;DG;ALT015B45;1,4\n1;2002;01;ALT015B50;.\n")
    assert read_tfr(p) == {"DG": {2001: 1.5}}
    p.write_text(";2001\n15 years;10.0\n16 years;20.0\n", encoding="utf-8")
    a = read_asfr(p)
    assert_allclose(a.rates[2001], [0.01, 0.02])
    assert_allclose(a.mean_age(2001), (0.01 * 15.5 + 0.02 * 16.5) / 0.03)


def test_municipal_age_groups_reader(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text(
        "year_end,ags8,sex,age_group,population\n"
        "2022,01001000,m,unter 18 Jahre,10\n2022,01001000,m,18 Jahre und mehr,30\n"
        "2022,01001000,w,unter 18 Jahre,9\n2022,01001000,w,18 Jahre und mehr,31\n",
        encoding="utf-8",
    )
    t = read_municipal_age_groups(p, 2022)
    assert t.group_starts == (0, 18)
    assert_allclose(t.counts[0], [[9, 31], [10, 30]])


# --- real files ----------------------------------------------------------------------------


@needs_data
def test_population_tables_match_official_totals(data: OfficialData) -> None:
    g = data.germany_by_sex.at(2021)
    assert_allclose(g.sum(axis=1), [42_170_339, 41_066_785])
    assert data.germany_total.at(2017)[72] == 589_302
    assert_allclose(data.germany_total.at(2022).sum(), 84_358_845)
    assert_allclose(data.laender_by_sex.at(2021).sum(), 83_237_124)
    assert_allclose(data.laender_total.at(2023).sum(), 84_669_326)
    assert 1990 not in data.laender_total.counts or data.laender_total.at(1991).min() >= 0


@needs_data
def test_vital_tables_match_official_values(data: OfficialData) -> None:
    assert_allclose(data.deaths.counts[2022].sum(axis=1), [534_008, 532_333])
    assert_allclose(data.deaths.counts[2018].sum(), 954_874)
    assert data.tfr_germany[2021] == 1.610
    assert data.tfr_laender["12"][1993] == 0.740
    assert_allclose(data.asfr.rates[2021].sum(), 1.576, atol=5e-4)
    w = data.migration_variants
    assert w["W1"] == (2022, 1_100_000.0, 2033, 150_000.0) and w["W0"][1] == 0


@needs_data
def test_period_life_table_reproduces_the_published_one(data: OfficialData) -> None:
    rates = period_death_rates(data, 2018)
    assert (rates.first, rates.last) == (2016, 2018)
    own = [life_table_from_rates(rates.m[s], sex=k) for s, k in ((0, "female"), (1, "male"))]
    published = data.published_life_table(2016, 2018)
    assert published is not None
    assert_allclose([t.e0 for t in own], [83.27, 78.48], atol=0.02)
    assert_allclose(own[0].e0, published["female"].e0, atol=0.02)


@needs_data
def test_land_standard_and_district_split(data: OfficialData) -> None:
    m = period_death_rates(data, 2017).m
    std = land_standard(data, 2017, m)
    assert not std.estimated
    official = data.germany_by_sex.at(2017)
    assert_allclose(std.counts.sum(axis=0)[:, :85], official[:, :85])
    single = district_single_years(data, 2017, std)
    hist = data.districts
    assert_allclose(group_sums(single, hist.group_starts), hist.at(2017), rtol=1e-9)
    nat = single.sum(axis=0)
    # the birth trough of 1945: age 72 on 31.12.2017 (the old split gave 796,000)
    assert abs(nat[:, 72].sum() / 589_302 - 1) < 0.002
    share = nat[:, 85:].sum() / nat[:, 75:].sum()
    assert abs(share - official[:, 85].sum() / official[:, 75:].sum()) < 0.001  # 24 %, not 31 %
    est = land_standard(data, 2022, m)
    assert est.estimated
    assert_allclose(est.counts.sum(axis=(1, 2)), data.laender_total.at(2022).sum(axis=1))


@needs_data
def test_first_year_deaths_against_official(data: OfficialData) -> None:
    """31.12.2017 split from the districts, one year with the period table 2015-17: the
    deaths of 2018 within 2 % (the old base population gave +10 %)."""
    rates = period_death_rates(data, 2017)
    pop = district_single_years(data, 2017, land_standard(data, 2017, rates.m))
    tables = [life_table_from_rates(rates.m[s], sex=k) for s, k in ((0, "female"), (1, "male"))]
    grid = AgeGrid(1, 100)
    fert = np.zeros(101)
    fert[15:50] = 1.5 / 35
    res = project(
        ProjectionInputs(
            grid=grid,
            population=pop,
            survival=survival_from_tables(*tables),
            fertility=fert,
            steps=1,
            start_year=2017,
        )
    )
    assert abs(res.deaths.sum() / data.deaths.counts[2018].sum() - 1) < 0.02


@needs_data
def test_municipal_base_population(data: OfficialData) -> None:
    b = estimate_base_population(data=data)
    assert b.population.shape == (10_981, 2, 101)
    assert (b.population >= 0).all()
    totals = np.array([[float(m["female"]), float(m["male"])] for m in data.municipalities])
    assert_allclose(b.population.sum(axis=-1), totals, atol=1e-6)
    nat = b.population.sum(axis=(0, 1))
    off = data.germany_total.at(2022)
    est = np.append(nat[:85], nat[85:].sum())
    assert np.abs(est - off).sum() / 2 / off.sum() < 0.001
    kreise, dist, _src = districts_rolled_forward(data)
    k = kreise.index("16063")  # Wartburgkreis with Eisenach since 2021
    rows = [i for i, kr in enumerate(b.kreis) if kr == "16063"]
    assert_allclose(b.population[rows].sum(axis=0), dist[k], rtol=1e-6)
    assert b.estimates and "Kreise aus ihrem Land" in b.estimates[1]


@needs_data
def test_density_model_error_is_measured_and_helps(data: OfficialData) -> None:
    e = density_model(data).error
    assert e["districts"] > 390
    assert e["misplaced"] < e["misplaced_without_adjustment"]


@needs_data
def test_municipal_age_groups_are_used_when_present(tmp_path: Path, data: OfficialData) -> None:
    for rel, *_ in FILES.values():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(DATA / rel)
    m = next(
        r for r in data.municipalities if r["kreis"] == "01051" and int(r["population"]) > 2000
    )
    f, mm = int(m["female"]), int(m["male"])
    rows = ["year_end,ags8,sex,age_group,population"]
    # a made-up municipality table: 40 % under 18 (the district has about 17 %)
    rows += [f"2022,{m['ags']},w,unter 18 Jahre,{round(0.4 * f)}"]
    rows += [f"2022,{m['ags']},w,18 Jahre und mehr,{f - round(0.4 * f)}"]
    rows += [f"2022,{m['ags']},m,unter 18 Jahre,{round(0.4 * mm)}"]
    rows += [f"2022,{m['ags']},m,18 Jahre und mehr,{mm - round(0.4 * mm)}"]
    muni = tmp_path / MUNICIPAL_AGE_CSV
    muni.parent.mkdir(parents=True)
    muni.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with_table = estimate_base_population(data=OfficialData(tmp_path))
    without = estimate_base_population(data=data)
    k = with_table.ags.index(m["ags"])
    assert with_table.official_ages is not None and with_table.official_ages.sum() == 1
    assert with_table.official_ages[k]
    share = with_table.population[k, :, :18].sum() / with_table.population[k].sum()
    before = without.population[k, :, :18].sum() / without.population[k].sum()
    assert before < 0.25 and share > 0.35
    assert_allclose(with_table.population[k].sum(axis=1), [f, mm])
    assert_allclose(with_table.population[k, :, :18].sum(), round(0.4 * f) + round(0.4 * mm))
    rows_k = [i for i, kr in enumerate(with_table.kreis) if kr == "01051"]
    assert_allclose(
        with_table.population[rows_k].sum(axis=(0, 1)),
        without.population[rows_k].sum(axis=(0, 1)),
        rtol=1e-3,
    )  # the district still adds up (to within the raking's tolerance)
