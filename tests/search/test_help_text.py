"""The search help speaks plain language to citizens (issue 9), in German and English."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

DEVELOPER_WORDING = ("müssen alle vorkommen", "zusammengeführt", "darf unvollständig sein")


def test_search_help_is_plain_german(client):
    html = client.get("/suche/").content.decode()
    assert "Geben Sie ein oder mehrere Wörter ein." in html
    assert "Sie müssen nicht auf Einzahl oder Mehrzahl achten" in html
    assert "setzen Sie sie in Anführungszeichen" in html
    for phrase in DEVELOPER_WORDING:
        assert phrase not in html


def test_search_help_in_english(client):
    html = client.get("/en/suche/").content.decode()
    assert "Enter one or more words." in html
    assert "put them in quotation marks" in html
