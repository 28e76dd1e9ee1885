"""Catalogue JSON API: published content only, filters, pagination, errors, no personal data."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_programmes(client, catalogue):
    data = get(client, "/api/programmes")
    assert [p["slug"] for p in data] == ["anderes-programm", "testprogramm"]
    test = data[1]
    assert test["funder"].startswith("Bundesministerium")
    assert test["url"] == "/programme/testprogramm/"
    assert "editors" not in test


def test_programme_detail_with_published_themes(client, catalogue):
    data = get(client, "/api/programmes/testprogramm")
    assert {t["slug"] for t in data["themes"]} == {"daseinsvorsorge", "flaechen-sparen"}
    assert data["project_count"] == 3
    get(client, "/api/programmes/geheim", status=404)


def test_themes_filter(client, catalogue):
    assert {t["slug"] for t in get(client, "/api/themes")} == {
        "daseinsvorsorge",
        "flaechen-sparen",
        "wohnen",
    }
    assert [t["slug"] for t in get(client, "/api/themes?programme=anderes-programm")] == ["wohnen"]
    error = get(client, "/api/themes?programme=nix", status=400)
    assert error["code"] == "invalid_input" and "programme" in error["fields"]


def test_projects_list_filters_and_meta(client, catalogue):
    data = get(client, "/api/projects")
    assert [p["acronym"] for p in data["items"]] == ["ALPHA", "BETA", "DELTA", "GAMMA"]
    assert data["meta"] == {"total": 4, "page": 1, "page_size": 20, "pages": 1}
    data = get(client, "/api/projects?land=12&programme=testprogramm")
    assert [p["acronym"] for p in data["items"]] == ["ALPHA"]
    data = get(client, "/api/projects?from=2018&to=2022&sort=-start")
    assert [p["acronym"] for p in data["items"]] == ["BETA"]
    data = get(client, f"/api/projects?theme={catalogue.theme_a.pk}&page_size=1&page=2")
    assert [p["acronym"] for p in data["items"]] == ["BETA"]
    assert data["meta"] == {"total": 2, "page": 2, "page_size": 1, "pages": 2}


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("theme=abc", 400, "theme"),
        ("land=99", 400, "land"),
        ("page=x", 400, "page"),
        ("sort=zufall", 400, "sort"),
        ("q=" + "y" * 201, 400, "q"),
        ("page_size=1000", 400, "page_size"),
        ("page_size=abc", 400, "page_size"),  # the common page rule (core.paging): 400
        ("page_size=0", 400, "page_size"),
        ("page=%C2%B2", 400, "page"),
        ("from=2020&to=2010", 400, "from"),
    ],
)
def test_projects_bad_filters(client, catalogue, query, status, field):
    error = get(client, f"/api/projects?{query}", status=status)
    assert set(error) == {"code", "message", "fields"}
    assert field in error["fields"]
    assert error["message"]


def test_projects_page_beyond_last(client, catalogue):
    error = get(client, "/api/projects?page=50", status=404)
    assert error["code"] == "page_not_found"


def test_project_detail(client, catalogue):
    data = get(client, "/api/projects/alpha")
    assert data["funding_amount"] == 1234567.0
    assert [p["role"] for p in data["partners"]] == ["coordinator", "municipal_partner"]
    assert {m["ags"] for m in data["municipalities"]} == {"12054000", "03101000"}
    assert data["results"] == ["leitfaden-daseinsvorsorge"]
    assert data["publications"] == ["abschlussbericht"]
    assert sorted(data["themes"]) == sorted([catalogue.theme_a.pk, catalogue.theme_b.pk])
    for slug in ["entwurf", "versteckt", "nix", "a%00b", "x" * 300]:
        assert get(client, f"/api/projects/{slug}", status=404)["code"] == "not_found"


def test_results(client, catalogue):
    data = get(client, "/api/results")
    assert [r["slug"] for r in data["items"]] == ["leitfaden-daseinsvorsorge", "wohnraumrechner"]
    assert [r["slug"] for r in get(client, "/api/results?kind=tool")["items"]] == [
        "wohnraumrechner"
    ]
    assert [
        r["slug"] for r in get(client, f"/api/results?theme={catalogue.theme_a.pk}")["items"]
    ] == ["leitfaden-daseinsvorsorge"]
    assert [r["slug"] for r in get(client, "/api/results?programme=anderes-programm")["items"]] == [
        "wohnraumrechner"
    ]
    assert get(client, "/api/results?kind=poem", status=400)["fields"]["kind"]
    detail = get(client, "/api/results/leitfaden-daseinsvorsorge")
    assert detail["link"] == "https://example.org/leitfaden"
    assert detail["projects"] == ["alpha"]
    get(client, "/api/results/unfertig", status=404)


def test_no_personal_data_anywhere(client, catalogue, programme_editor):
    payloads = [
        get(client, "/api/programmes"),
        get(client, "/api/programmes/testprogramm"),
        get(client, "/api/projects"),
        get(client, "/api/projects/alpha"),
        get(client, "/api/results/leitfaden-daseinsvorsorge"),
    ]
    text = json.dumps(payloads)
    assert "redaktion@example.org" not in text
    assert "editor" not in text
    assert '"actor"' not in text


def test_openapi_documents_catalogue_endpoints(client):
    spec = get(client, "/api/openapi.json")
    for path in [
        "/api/programmes",
        "/api/programmes/{slug}",
        "/api/themes",
        "/api/projects",
        "/api/projects/{slug}",
        "/api/results",
        "/api/results/{slug}",
    ]:
        assert path in spec["paths"], path
    names = {p["name"] for p in spec["paths"]["/api/projects"]["get"]["parameters"]}
    assert {"programme", "theme", "land", "size", "status", "year", "from", "to", "q"} <= names


def test_api_list_query_count_is_constant(client, catalogue, django_assert_max_num_queries):
    from ortswandel.catalogue.models import Project

    Project.objects.bulk_create(
        [
            Project(
                programme=catalogue.programme,
                acronym=f"X{i:03d}",
                slug=f"x{i:03d}",
                status="published",
            )
            for i in range(80)
        ]
    )
    with django_assert_max_num_queries(12):
        data = get(client, "/api/projects?page_size=100")
    assert len(data["items"]) == 84
    with django_assert_max_num_queries(10):
        get(client, "/api/results?page_size=100")
    with django_assert_max_num_queries(10):
        get(client, "/api/projects/alpha")


def test_api_docs_page(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
