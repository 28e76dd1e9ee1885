from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ortswandel.core.errors import Conflict, InvalidInput, OrtswandelError
from ortswandel.core.richtext import sanitize_html

ROOT = Path(__file__).resolve().parents[2]


def test_error_hierarchy_carries_code_status_and_fields():
    error = InvalidInput("Bitte prüfen", fields={"email": "fehlt"})
    assert isinstance(error, OrtswandelError)
    assert error.status == 400
    assert error.as_dict() == {
        "code": "invalid_input",
        "message": "Bitte prüfen",
        "fields": {"email": "fehlt"},
    }
    assert Conflict(code="duplicate").code == "duplicate"
    assert Conflict().status == 409


def test_sanitize_html_removes_scripts_and_handlers():
    dirty = (
        '<p onclick="x()">Hallo <script>alert(1)</script><a href="javascript:alert(1)">k</a></p>'
    )
    clean = sanitize_html(dirty)
    assert "script" not in clean
    assert "onclick" not in clean
    assert "javascript:" not in clean
    assert clean.startswith("<p>Hallo")


def test_production_refuses_missing_secret_key():
    env = {**os.environ, "ORTSWANDEL_ENV": "production", "SECRET_KEY": "", "DATABASE_URL": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_unknown_page_is_a_german_404(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "nicht gefunden" in response.content.decode()
    assert "Content-Security-Policy" in response
    assert (
        "'unsafe-inline'"
        not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )


@pytest.mark.django_db
def test_api_unknown_route_is_json(client):
    response = client.get("/api/gibt-es-nicht")
    assert response.status_code == 404
