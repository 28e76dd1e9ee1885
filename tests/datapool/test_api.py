"""The data pool API: filters, pagination, attribution, German 4xx, the OpenAPI document."""

from __future__ import annotations

import pytest

from ortswandel.datapool.services.imports import table_import
from ortswandel.datapool.specs import upload_spec

from .conftest import CLASSIC_ROWS, classic_table

pytestmark = pytest.mark.django_db

ATTRIBUTION = (
    "© Statistische Ämter des Bundes und der Länder, 2021, Tabelle 99999-0001, dl-de/by-2-0"
)


@pytest.fixture
def loaded(pool):
    spec = upload_spec(
        file_name="t.csv",
        code="test-bev",
        name="Testbevölkerung",
        unit="Personen",
        attribution=ATTRIBUTION,
        source_table="99999-0001",
    )
    table_import(spec=spec, data=classic_table(CLASSIC_ROWS), file_name="t.csv")


def test_indicators_with_metadata(client, loaded):
    body = client.get("/api/datapool/indicators?q=test").json()
    assert body["meta"]["total"] == 1
    indicator = body["results"][0]
    assert indicator["attribution"] == ATTRIBUTION
    assert indicator["licence"] == "dl-de/by-2-0"
    assert indicator["source_table"] == "99999-0001"
    assert indicator["reference_date"] == "2021-08-17"
    assert indicator["aggregation"] == "sum"
    assert client.get("/api/datapool/indicators/test-bev").json()["unit"] == "Personen"
    missing = client.get("/api/datapool/indicators/gibt-es-nicht")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_values_filtered_by_indicator_level_key_date_and_breakdown(client, loaded):
    url = "/api/datapool/values?indicator=test-bev&level=kreis&date=2015-12-31&breakdown="
    body = client.get(url).json()
    assert {(r["ags"], r["value"]) for r in body["results"]} == {
        ("03152", 2290.0),
        ("03155", 1340.0),
        ("03156", 660.0),
        ("12054", 1780.0),
    }
    assert body["attributions"] == {"test-bev": ATTRIBUTION}
    body = client.get("/api/datapool/values?ags=03&breakdown=insgesamt").json()
    assert [(r["date"], r["origin"], r["level"]) for r in body["results"]] == [
        ("2015-12-31", "aggregated", "land"),
        ("2016-12-31", "aggregated", "land"),
    ]
    body = client.get("/api/datapool/values?ags=03155&date_from=2016-01-01&breakdown=sex=w").json()
    assert [(r["date"], r["value"]) for r in body["results"]] == [("2016-12-31", 692.0)]
    body = client.get("/api/datapool/values?ags=03152&breakdown=age=0-3;sex=m").json()
    assert body["results"][0]["territorial_status"] == "2015-12-31"


def test_values_are_paginated(client, loaded):
    body = client.get("/api/datapool/values?indicator=test-bev&page_size=5&page=2").json()
    assert body["meta"]["page"] == 2
    assert body["meta"]["page_size"] == 5
    assert len(body["results"]) == 5
    assert body["meta"]["pages"] == -(-body["meta"]["total"] // 5)
    assert client.get("/api/datapool/values?page=999").status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date=2020-13-01", "date"),
        ("date_from=gestern", "date_from"),
        ("level=bezirk", "level"),
        ("page=0", "page"),
        ("page_size=5000", "page_size"),
    ],
)
def test_bad_filters_are_german_400s(client, loaded, query, field):
    response = client.get(f"/api/datapool/values?{query}")
    assert response.status_code == 400
    body = response.json()
    assert field in body["fields"]
    assert body["message"]


def test_units_with_territorial_status(client, loaded):
    body = client.get("/api/datapool/units?level=kreis&code=0315").json()
    by_code = {u["code"]: u for u in body["results"]}
    assert by_code["03152"]["valid_until"] == "2016-10-31"
    assert by_code["03152"]["in_register"] is False
    assert by_code["03159"]["valid_from"] == "2016-11-01"
    assert by_code["03159"]["territorial_status"] == "2023-11-30"


def test_key_figures_and_series(client, loaded):
    figures = client.get("/api/datapool/municipalities/03159016/key-figures").json()
    assert figures["name"] == "Göttingen, Stadt"
    series = client.get("/api/datapool/municipalities/03159016/series/test-bev").json()
    assert series["attribution"] == ATTRIBUTION
    district = next(s for s in series["series"] if s["level"] == "kreis")
    assert district["points"][0]["origin"] == "converted"
    assert client.get("/api/datapool/municipalities/0315901/key-figures").status_code == 400
    assert client.get("/api/datapool/municipalities/03159099/key-figures").status_code == 404
    assert client.get("/api/datapool/municipalities/03159016/series/nix").status_code == 404


def test_openapi_document_lists_the_datapool(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/datapool/values" in paths
    assert "/api/datapool/indicators/{code}" in paths
    assert "/api/municipalities" in paths  # same document as the other apps
