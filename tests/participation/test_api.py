"""Public API: processes, phases, ideas (public fields only), results; restricted → 404."""

from __future__ import annotations

import pytest

from ortswandel.participation import accountability
from ortswandel.participation.models import PhaseKind

pytestmark = pytest.mark.django_db


def test_processes_and_phases(client, process, other_process, clock):
    clock.at(PhaseKind.VOTING)
    listed = client.get("/api/participation/processes").json()
    assert {p["slug"] for p in listed} == {"zukunft", "teltow-dialog"}
    detail = client.get(f"/api/participation/processes/{process.pk}").json()
    assert detail["active_phase"] == "voting"
    assert [p["state"] for p in detail["phases"]][:4] == ["past", "past", "past", "active"]


def test_restricted_process_is_404(client, process):
    process.visibility = "restricted"
    process.save()
    assert client.get(f"/api/participation/processes/{process.pk}").status_code == 404
    assert client.get(f"/api/participation/processes/{process.pk}/ideas").status_code == 404
    assert client.get("/api/participation/processes").json() == []


def test_ideas_show_public_fields_only(client, process, idea, participant):
    hidden = type(idea).objects.create(
        process=process,
        author=participant,
        author_name="X",
        title="Versteckt",
        text="x",
        is_hidden=True,
    )
    body = client.get(f"/api/participation/processes/{process.pk}/ideas").json()
    assert body["meta"]["total"] == 1
    (only,) = body["ideas"]
    assert only["title"] == "Bank am Dorfteich" and only["grid_cell"] == "E7"
    assert "anna@example.org" not in str(body) and "author" not in only
    assert hidden.pk not in [i["id"] for i in body["ideas"]]
    assert client.get(f"/api/participation/processes/{process.pk}/ideas?sort=x").status_code == 422


def test_results(client, process, idea, moderator):
    outcome = accountability.outcome_create(
        process=process, actor=moderator, title="Bänke", ideas=[idea]
    )
    accountability.outcome_update_status(
        outcome=outcome, actor=moderator, status="in_progress", progress=40
    )
    (result,) = client.get(f"/api/participation/processes/{process.pk}/results").json()
    assert result["idea_ids"] == [idea.pk] and result["progress"] == 40
    assert [u["status"] for u in result["updates"]] == ["in_progress", "decided"]
