"""Readers of official files -> engine inputs (needs the shared data directory)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ortswandel.core.env import data_dir
from ortswandel.sources.base_population import (
    DISTRICT_CSV,
    LIFE_TABLE_CSV,
    estimate_base_population,
)
from ortswandel.sources.lifetables import (
    LifeTableFormatError,
    parse_german_number,
    read_destatis_life_tables,
)
from ortswandel.sources.regionalstatistik import GROUP_STARTS, read_district_age_groups

DATA = data_dir()
needs_data = pytest.mark.skipif(not (DATA / LIFE_TABLE_CSV).exists(), reason="no data directory")


def test_parse_german_number() -> None:
    assert parse_german_number("1.234,56") == 1234.56
    assert parse_german_number("0,00338118") == 0.00338118
    assert np.isnan(parse_german_number("-"))


@needs_data
@pytest.mark.parametrize(
    ("period", "male", "female"),
    [("2016-2018", 78.48, 83.27), ("2020-2022", 78.33, 83.18), ("2022-2024", 78.47, 83.19)],
)
def test_destatis_life_tables_reproduce_published_e0(
    period: str, male: float, female: float
) -> None:
    path = DATA / "sterbetafeln" / f"destatis_12621-0001_sterbetafel_{period}.csv"
    t = read_destatis_life_tables(path)
    assert_allclose([t["male"].e0, t["female"].e0], [male, female], atol=0.006)
    assert t["female"].Lx.shape == (101,)
    if period == "2022-2024":
        assert_allclose(t["female"].Lx[0], 99741)  # L(0) of the published table
    assert t["male"].survival_ratios().min() > 0 and t["male"].survival_ratios().max() <= 1


def test_life_table_reader_rejects_other_files(tmp_path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(LifeTableFormatError, match="12621-0001"):
        read_destatis_life_tables(p)


@needs_data
def test_district_age_groups() -> None:
    t = read_district_age_groups(DATA / DISTRICT_CSV)
    assert t.year == 2020
    assert t.counts.shape == (401, 2, 17)
    assert_allclose(t.counts.sum(), 83_155_031)
    assert t.group_starts == GROUP_STARTS
    i = t.ags5.index("01001")
    assert t.counts[i, 1, 0] > 0


@needs_data
def test_base_population_matches_official_totals() -> None:
    b = estimate_base_population(DATA)
    assert b.population.shape == (10_981, 2, 101)
    assert_allclose(b.population.sum(), 84_358_845, rtol=1e-12)
    assert_allclose(b.population[:, 0].sum(), 42_799_793, rtol=1e-12)
    assert (b.population >= 0).all()
    k = b.ags.index("01001000")
    assert_allclose(b.population[k].sum(axis=1), [46676, 45874], rtol=1e-12)
