"""Aggregation rules: sums for counts, population-weighted means for rates, published values
win, incomplete or secret children block a parent, never down."""

from __future__ import annotations

import datetime as dt

import pytest

from ortswandel.datapool.models import Origin, Value
from ortswandel.datapool.services.aggregation import IndicatorRule, Row, marginal_totals
from ortswandel.datapool.services.imports import table_import
from ortswandel.datapool.specs import upload_spec

pytestmark = pytest.mark.django_db

D = dt.date(2017, 12, 31)


def _wide(rows: dict[str, str], column: str = "wert_2017") -> bytes:
    lines = [f"krs,{column}", *(f"{key},{value}" for key, value in rows.items())]
    return ("\n".join(lines) + "\n").encode()


def _import(code, rows, **kwargs):
    spec = upload_spec(
        file_name="w.csv",
        code=code,
        name=code,
        attribution="Test, dl-de/by-2-0",
        **kwargs,
    )
    spec = type(spec)(**{**spec.__dict__, "layout": "wide", "wide_key_column": "krs"})
    return table_import(spec=spec, data=_wide(rows), file_name="w.csv")


def _value(code, unit):
    return Value.objects.get(indicator__code=code, unit__code=unit, date=D, breakdown="")


@pytest.fixture
def population(pool):
    _import("test-pop", {"3155": "100", "3159": "300", "12054": "600"})


def test_counts_are_summed(population):
    land = _value("test-pop", "03")
    assert (land.value, land.origin) == (400.0, Origin.AGGREGATED)


def test_rates_are_population_weighted_means(population):
    _import(
        "test-rate",
        {"3155": "10", "3159": "30"},
        aggregation="weighted_mean",
        weight="test-pop",
    )
    land = _value("test-rate", "03")
    assert land.value == pytest.approx((10 * 100 + 30 * 300) / 400)  # 25.0, not the mean 20.0
    assert "gewichtet mit test-pop" in land.note
    assert land.value != pytest.approx(20.0)


def test_rates_without_weights_are_not_averaged(population):
    _import(
        "test-rate",
        {"3155": "10", "3159": "30"},
        aggregation="weighted_mean",
        weight="test-pop",
    )
    Value.objects.filter(indicator__code="test-pop", unit__code="03155").delete()
    _import(
        "test-rate",
        {"3155": "11", "3159": "30"},
        aggregation="weighted_mean",
        weight="test-pop",
    )
    assert not Value.objects.filter(indicator__code="test-rate", unit__code="03").exists()


def test_weights_changing_recompute_the_rates(population):
    _import(
        "test-rate", {"3155": "10", "3159": "30"}, aggregation="weighted_mean", weight="test-pop"
    )
    _import("test-pop", {"3155": "300", "3159": "100", "12054": "600"})
    assert _value("test-rate", "03").value == pytest.approx((10 * 300 + 30 * 100) / 400)


def test_published_parent_wins_over_the_computed_one(population):
    _import("test-pop", {"3155": "100", "3159": "300", "12054": "600", "03": "401"})
    land = _value("test-pop", "03")
    assert (land.value, land.origin) == (401.0, Origin.PUBLISHED)


def test_a_missing_district_blocks_its_land(population):
    _import("test-part", {"3155": "100"})
    assert not Value.objects.filter(indicator__code="test-part", unit__code="03").exists()
    assert _value("test-part", "03155").value == 100.0


def test_no_sums_for_kreise_from_incomplete_municipal_tables(pool):
    rows = {"3159016": "1000", "3159024": "200"}
    _import("test-muni", rows, levels=frozenset({"gemeinde"}))
    assert _value("test-muni", "03159").value == 1200.0
    assert _value("test-muni", "031590016").value == 1000.0  # Gemeindeverband
    _import("test-partial", rows, levels=frozenset({"gemeinde"}), complete=False)
    assert set(
        Value.objects.filter(indicator__code="test-partial").values_list("unit__level", flat=True)
    ) == {"gemeinde"}


def test_aggregation_none_keeps_only_published(pool):
    _import("test-none", {"3155": "1.5", "3159": "1.7"}, aggregation="none")
    assert set(
        Value.objects.filter(indicator__code="test-none").values_list("unit__code", flat=True)
    ) == {"03155", "03159"}


def test_marginal_totals_only_for_uniform_breakdowns():
    rows = {
        (1, D, "age=0;sex=m"): Row(1.0),
        (1, D, "age=0;sex=w"): Row(2.0),
        (1, D, "age=1;sex=m"): Row(3.0),
        (1, D, "age=1;sex=w"): Row(4.0),
    }
    totals = marginal_totals(rows)
    assert {k[2]: r.value for k, r in totals.items()} == {
        "": 10.0,
        "age=0": 3.0,
        "age=1": 7.0,
        "sex=m": 4.0,
        "sex=w": 6.0,
    }
    assert marginal_totals({**rows, (1, D, ""): Row(10.0)}) == {}
    secret = {**rows, (1, D, "age=1;sex=w"): Row(None, "x")}
    assert "age=1" not in {k[2] for k in marginal_totals(secret)}
    assert IndicatorRule("sum", True).complete_tables
