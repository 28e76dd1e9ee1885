"""Theme filters accept a theme's short name (slug) as well as its id (issue 9):
``?theme=daseinsvorsorge`` as people write it by hand, in the directory and the API."""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict

from ortswandel.catalogue.filters import parse_project_filters, parse_result_filters
from ortswandel.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

PROJECTS = "/projekte/"


def test_parser_resolves_slugs_and_keeps_ids(catalogue):
    f = parse_project_filters(QueryDict(f"theme=daseinsvorsorge&theme={catalogue.theme_b.pk}"))
    assert f.themes == (catalogue.theme_a.pk, catalogue.theme_b.pk)
    assert parse_result_filters(QueryDict("theme=flaechen-sparen")).themes == (
        catalogue.theme_b.pk,
    )


@pytest.mark.parametrize("value", ["gibtsnicht", "entwurfsthema", "1.5", "-1", "²"])
def test_unknown_draft_or_malformed_theme_is_a_german_400(catalogue, value):
    with pytest.raises(InvalidInput) as info:
        parse_project_filters(QueryDict(f"theme={value}"))
    assert info.value.status == 400
    assert "theme" in info.value.fields


def test_directory_with_a_theme_slug(client, catalogue):
    by_slug = client.get(f"{PROJECTS}?theme=daseinsvorsorge")
    assert by_slug.status_code == 200
    by_id = client.get(f"{PROJECTS}?theme={catalogue.theme_a.pk}")
    assert [p.acronym for p in by_slug.context["directory"].page.object_list] == [
        p.acronym for p in by_id.context["directory"].page.object_list
    ]
    assert "Erwartet wird eine Nummer" not in by_slug.content.decode()
    bad = client.get(f"{PROJECTS}?theme=gibtsnicht")
    assert bad.status_code == 400
    assert "Das Thema „gibtsnicht“ gibt es nicht." in bad.content.decode()


def test_api_with_a_theme_slug(client, catalogue):
    response = client.get("/api/projects?theme=daseinsvorsorge")
    assert response.status_code == 200
    assert {p["acronym"] for p in json.loads(response.content)["items"]} == {"ALPHA", "BETA"}
    results = client.get("/api/results?theme=daseinsvorsorge")
    assert results.status_code == 200
    error = client.get("/api/projects?theme=gibtsnicht")
    assert error.status_code == 400
    assert json.loads(error.content)["fields"]["theme"] == "Unbekanntes Thema."
