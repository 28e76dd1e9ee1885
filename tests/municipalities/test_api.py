"""``/api/municipalities``: list with filters and pages, detail with projects and similar."""

from __future__ import annotations

import pytest

from .factories import make_organisation, make_project

pytestmark = pytest.mark.django_db

BASE = "/api/municipalities"


def test_list_search_and_fields(client, imported):
    response = client.get(BASE, {"q": "kleinmachnow"})
    assert response.status_code == 200
    data = response.json()
    assert data["meta"] == {"total": 1, "page": 1, "page_size": 25, "pages": 1}
    (item,) = data["results"]
    assert item["ags"] == "12069304"
    assert item["ars"] == "120690304304"
    assert item["land"] == "12" and item["kreis"] == "12069"
    assert item["kreis_name"] == "Potsdam-Mittelmark"
    assert item["population"] == 20341
    assert item["area_km2"] == pytest.approx(11.96)
    assert item["density"] == pytest.approx(1700.8)
    assert item["size_class"] == "mittelstadt"
    assert item["url"] == "/kommunen/12069304/"
    assert "Destatis" in data["attribution"]


def test_list_filters_and_pagination(client, imported):
    data = client.get(BASE, {"land": "12", "page_size": "3", "page": "2"}).json()
    assert data["meta"] == {"total": 7, "page": 2, "page_size": 3, "pages": 3}
    assert len(data["results"]) == 3
    data = client.get(BASE, {"size_class": "grossstadt"}).json()
    assert [m["ags"] for m in data["results"]] == ["12054000"]


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"land": "99"}, 400, "invalid_input"),
        ({"size_class": "x"}, 400, "invalid_input"),
        ({"page": "0"}, 400, "invalid_page"),
        ({"page": "zwei"}, 400, "invalid_page"),
        ({"page_size": "1000"}, 400, "invalid_page"),
        ({"page_size": "²"}, 400, "invalid_page"),
        ({"page": "99"}, 404, "page_not_found"),
    ],
)
def test_list_errors(client, imported, params, status, code):
    response = client.get(BASE, params)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert body["message"]


def test_detail_with_projects_and_similar(client, imported, programme):
    klein = imported["12069304"]
    own = make_project(programme, "EIGEN", municipalities=[klein])
    org = make_organisation("Bürgerverein Kleinmachnow", municipality=klein)
    make_project(programme, "VEREIN", partners=[(org, "practice_partner")])
    make_project(programme, "TELTOW", municipalities=[imported["12069616"]])
    response = client.get(f"{BASE}/12069304")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Kleinmachnow"
    assert data["population_census_2022"] == 20184
    assert [(p["id"], p["slug"], p["model_municipality"]) for p in data["projects"]] == [
        (own.pk, "eigen", True),
        (data["projects"][1]["id"], "verein", False),
    ]
    assert data["projects"][1]["partners_here"] == ["Bürgerverein Kleinmachnow"]
    similar = data["similar"]
    assert similar and all(s["ags"] != "12069304" for s in similar)
    assert similar[0]["score"] >= similar[-1]["score"]
    assert all(s["reasons"] for s in similar)
    assert [p["slug"] for p in data["similar_projects"]] == ["teltow"]
    assert data["similar_projects"][0]["municipality_ags"] == "12069616"


def test_detail_errors(client, imported):
    response = client.get(f"{BASE}/12A45")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_ags"
    response = client.get(f"{BASE}/99999999")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "Es gibt keine Gemeinde mit dem Gemeindeschlüssel 99999999.",
        "fields": {},
    }
