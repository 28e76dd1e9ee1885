"""The planning API of the workspace: default scenario of an AGS, running a scenario file
synchronously within limits, German 4xx beyond them."""

from __future__ import annotations

import pytest

from .conftest import AGS, needs_data

pytestmark = [pytest.mark.django_db, needs_data]


@pytest.fixture
def document(client):
    r = client.get(f"/api/planning/municipalities/{AGS}/default-scenario", {"horizon": 10})
    assert r.status_code == 200
    return r.json()["document"]


def test_default_scenario(client):
    r = client.get(f"/api/planning/municipalities/{AGS}/default-scenario")
    assert r.status_code == 200
    body = r.json()
    assert body["ags"] == AGS and body["launch"] == 2022 and body["horizon"] == 25
    assert body["document"]["steps"] == 25 and body["document"]["areas"][0]["id"] == AGS
    assert body["sources"] and body["error_band"][2]["horizon"] == 3


@pytest.mark.parametrize(("ags", "status"), [("99999999", 404), ("abc", 404), ("0123", 404)])
def test_unknown_ags(client, ags, status):
    r = client.get(f"/api/planning/municipalities/{ags}/default-scenario")
    assert r.status_code == status and r.json()["code"] in ("unknown_ags", "invalid_ags")


def test_horizon_out_of_range_is_422(client):
    r = client.get(f"/api/planning/municipalities/{AGS}/default-scenario", {"horizon": 500})
    assert r.status_code == 422


def test_run_the_default_scenario(client, document):
    document["scenarios"] = [
        {"name": "Weniger", "changes": [{"type": "scale_migration", "factor": 0.5}]}
    ]
    r = client.post("/api/planning/projections", document, content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["scenarios"] == ["Basis", "Weniger"] and body["areas"] == [AGS]
    assert len(body["totals"]["Basis"][AGS]) == 11
    groups = body["age_groups"]["Basis"][AGS]
    assert sum(v[0] for v in groups.values()) == pytest.approx(
        body["totals"]["Basis"][AGS][0], abs=1
    )
    assert body["quantiles"] is None


def test_run_with_trajectories(client, document):
    r = client.post(
        "/api/planning/projections?trajectories=100", document, content_type="application/json"
    )
    assert r.status_code == 200
    q = r.json()["quantiles"]["Basis"][AGS]
    assert len(q) == 3 and q[0][-1] <= q[1][-1] <= q[2][-1]


@pytest.mark.parametrize(
    ("change", "limit"),
    [
        ({"steps": 80}, "steps"),
        ({"scenarios": [{"name": f"S{i}", "changes": []} for i in range(6)]}, "scenarios"),
    ],
)
def test_limits_are_named(client, document, change, limit):
    document.update(change)
    r = client.post("/api/planning/projections", document, content_type="application/json")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "limit_exceeded" and limit in body["fields"]
    assert "höchstens" in body["message"]


def test_two_areas_exceed_the_limit(client, document):
    document["areas"].append({**document["areas"][0], "id": "12070000"})
    r = client.post("/api/planning/projections", document, content_type="application/json")
    assert r.status_code == 422 and "areas" in r.json()["fields"]


def test_bad_file_names_the_field(client, document):
    document["areas"][0]["population"]["female"][3] = -5
    r = client.post("/api/planning/projections", document, content_type="application/json")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid_scenario"
    assert any("population.female" in f for f in body["fields"])


def test_too_many_trajectories_is_422(client, document):
    r = client.post(
        "/api/planning/projections?trajectories=5000", document, content_type="application/json"
    )
    assert r.status_code == 422
