"""Map pages and API of the outlook: content, sorting, paging and bad input."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_germany_page_labels_the_projection_and_names_the_source(client, shrinking) -> None:
    response = client.get("/planen/karte/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Vorausberechnung" in text and "Gemessener Fehler dieser Methode" in text
    assert "Wittenberge" in text and "Stahnsdorf" in text
    assert "Destatis" in text  # the run's source in the attribution
    assert "2 Gemeinden; Median" in text  # text alternative


def test_table_sorts_and_marks_the_sorted_column(client, shrinking) -> None:
    text = client.get("/planen/karte/?sort=-change_pct").content.decode()
    assert text.index("Stahnsdorf</a></th>") < text.index("Wittenberge</a></th>")
    assert 'aria-sort="descending"' in text
    text = client.get("/planen/karte/?sort=change_pct").content.decode()
    assert text.index("Wittenberge</a></th>") < text.index("Stahnsdorf</a></th>")


def test_land_page_lists_only_its_municipalities(client, shrinking) -> None:
    from tests.conftest import _municipality

    _municipality("09162000", "München")
    response = client.get("/planen/karte/12/?indicator=share_80_horizon")
    assert response.status_code == 200
    assert "Brandenburg" in response.content.decode()
    assert "München" not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/planen/karte/99/", 404, "kein Länderschlüssel"),
        ("/planen/karte/?indicator=nope", 400, "Bitte wählen Sie eine Kennzahl"),
        ("/planen/karte/?sort=nope", 400, "Bitte wählen Sie eine Sortierung"),
        ("/planen/karte/?page=x", 400, ""),
        ("/planen/karte/?page=99", 404, "gibt es nicht"),
    ],
)
def test_bad_input_is_a_4xx_with_a_message(client, shrinking, url, status, message) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert message in response.content.decode()


def test_page_before_the_first_computation_says_so(client) -> None:
    response = client.get("/planen/karte/")
    assert response.status_code == 200
    assert "im Hintergrund erstellt" in response.content.decode()


def test_api_outlook_and_challenges(client, shrinking) -> None:
    body = client.get("/api/planning/outlook/12070424").json()
    assert body["name"] == "Wittenberge" and body["horizon_year"] == 2042
    assert body["change_pct"] == pytest.approx(-17.647, abs=1e-3)
    assert body["data_version"] == "test-1" and "Vorausberechnung" in body["label"]
    body = client.get("/api/planning/challenges/12070424").json()
    assert "bevoelkerung-schrumpft" in [c["code"] for c in body["challenges"]]


@pytest.mark.parametrize(
    ("ags", "status", "code", "message"),
    [
        ("99999999", 404, "not_found", "keine Gemeinde"),
        ("12345", 400, "invalid_ags", "kein gültiger Gemeindeschlüssel"),
    ],
)
@pytest.mark.parametrize("endpoint", ["outlook", "challenges"])
def test_api_bad_ags(client, shrinking, endpoint, ags, status, code, message) -> None:  # noqa: PLR0917
    response = client.get(f"/api/planning/{endpoint}/{ags}")
    assert response.status_code == status
    assert response.json()["code"] == code and message in response.json()["message"]


def test_api_uninhabited_or_not_computed(client) -> None:
    from tests.conftest import _municipality

    _municipality("12070424", "Wittenberge")
    response = client.get("/api/planning/outlook/12070424")
    assert response.status_code == 404
    assert response.json()["code"] == "outlook_not_computed"


def test_map_is_drawn_once_per_data_version(client, shrinking, monkeypatch) -> None:
    from django.core.cache import cache

    from ortswandel.core.cache import clear_local
    from ortswandel.core.charts import MapArea
    from ortswandel.planning import outlook_map
    from ortswandel.planning.outlook.compute import outlook_write

    from .conftest import population, synthetic_batch

    cache.clear()  # other tests may have cached a map of a run with the same pk
    clear_local()
    calls: list[str] = []

    def fake_areas(values, *, land="", width=0.0, href=""):
        calls.append(land)
        areas = [MapArea(a, a, "M0 0l1 0 0 1z", v) for a, v in values.items()]
        return areas, (0.0, 0.0, 10.0, 10.0), ()

    monkeypatch.setattr(outlook_map, "choropleth_areas", fake_areas)
    for _ in range(2):
        text = client.get("/planen/karte/").content.decode()
        assert 'class="ow-chart choropleth"' in text and "Legende" in text
    assert calls == [""]  # the second request is served from the cache
    outlook_write(
        batch=synthetic_batch({"12070424": (population(100), population(50))}), version="test-2"
    )
    client.get("/planen/karte/")
    assert calls == ["", ""]  # a new run: drawn again
