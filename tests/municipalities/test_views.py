"""Municipality pages: detail (facts, projects, similar, JSON-LD, attribution), search, errors."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from ortswandel.municipalities.models import Municipality

from .factories import make_organisation, make_project, make_result

pytestmark = pytest.mark.django_db

GV100AD = (
    "Datenquelle: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, "
    "Stand 30.11.2023, dl-de/by-2-0"
)
ZENSUS = (
    "© Statistische Ämter des Bundes und der Länder, Zensus 2022, Tabelle 1000A-0000, dl-de/by-2-0"
)
BKG = "© GeoBasis-DE / BKG 2021 (Daten verändert)"
LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def detail_url(ags: str) -> str:
    return reverse("municipalities:detail", kwargs={"ags": ags})


def test_detail_page_shows_facts_projects_similar_and_attribution(client, imported, programme):
    klein = imported["12069304"]
    project = make_project(programme, "KLEIN", municipalities=[klein])
    make_result(programme, "Werkzeugkasten Ortsmitte", projects=[project])
    make_project(programme, "TELTOW", municipalities=[imported["12069616"]])

    response = client.get(detail_url("12069304"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and html.count("<h1") == 1
    assert "Kleinmachnow" in html
    assert "Potsdam-Mittelmark" in html and "Brandenburg" in html
    assert "20.341" in html and "Stand 31.12.2022" in html
    assert "20.184" in html and "Stichtag 15.05.2022" in html  # Zensus 2022
    assert "11,96 km²" in html
    assert "1.701" in html  # density
    assert "Mittelstadt (20.000–99.999)" in html
    assert project.get_absolute_url() in html
    assert "Modellkommune" in html
    assert "Werkzeugkasten Ortsmitte" in html
    assert "Projekte aus ähnlichen Kommunen" in html
    assert "/projekte/teltow/" in html
    assert "im selben Kreis (Potsdam-Mittelmark)" in html
    assert "ähnliche Einwohnerzahl (20.341 vs. 22.555)" in html  # Haar in the similar table
    assert "Wie wird Ähnlichkeit berechnet?" in html
    for attribution in (GV100AD, ZENSUS, BKG):
        assert attribution in html
    assert response.context["nav"] == "municipalities"


def test_detail_json_ld_is_an_administrative_area_with_ags(client, imported):
    html = client.get(detail_url("12069304")).content.decode()
    (payload,) = LD_RE.findall(html)
    data = json.loads(payload)
    assert data["@type"] == "AdministrativeArea"
    assert data["name"] == "Kleinmachnow"
    assert {"@type": "PropertyValue", "propertyID": "AGS", "value": "12069304"} in data[
        "identifier"
    ]
    assert data["containedInPlace"]["name"] == "Potsdam-Mittelmark"
    assert data["containedInPlace"]["containedInPlace"] == {
        "@type": "State",
        "name": "Brandenburg",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 52.40183, "longitude": 13.22428}
    # A district-free city sits directly in its Land.
    potsdam = json.loads(LD_RE.findall(client.get(detail_url("12054000")).content.decode())[0])
    assert potsdam["containedInPlace"] == {"@type": "State", "name": "Brandenburg"}


def test_json_ld_cannot_break_out_of_the_script_element(client, imported):
    Municipality.objects.filter(ags="12069020").update(
        name="Borkheide</script><script>alert(1)</script>&"
    )
    html = client.get(detail_url("12069020")).content.decode()
    (payload,) = LD_RE.findall(html)
    assert "<" not in payload and ">" not in payload and "&" not in payload
    assert json.loads(payload)["name"] == "Borkheide</script><script>alert(1)</script>&"
    assert "<script>alert(1)" not in html


def test_unknown_and_malformed_ags_give_german_404(client, imported):
    response = client.get(detail_url("12054001"))
    assert response.status_code == 404
    assert "Es gibt keine Gemeinde mit dem Gemeindeschlüssel 12054001." in response.content.decode()
    for bad in ["12A45", "1205400", "123456789", "abc"]:
        response = client.get(detail_url(bad))
        assert response.status_code == 404
        assert "ist kein gültiger Gemeindeschlüssel" in response.content.decode()


def test_ars_redirects_to_the_ags_page(client, imported):
    response = client.get(detail_url("120690304304"))
    assert response.status_code == 301
    assert response["Location"] == detail_url("12069304")
    assert client.get(detail_url("999999999999")).status_code == 404


def test_english_page(client, imported):
    response = client.get("/en" + detail_url("12069304"))
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_uninhabited_area_page(client, imported):
    html = client.get(detail_url("09184451")).content.decode()
    assert "keine ähnlichen Kommunen berechnet" in html


def _catalogue(imported, programme, n: int, prefix: str) -> None:
    klein = imported["12069304"]
    for i in range(n):
        project = make_project(programme, f"{prefix}K{i:02d}", municipalities=[klein])
        org = make_organisation(f"{prefix} Verein {i}", municipality=klein)
        make_project(programme, f"{prefix}P{i:02d}", partners=[(org, "practice_partner")])
        make_result(programme, f"{prefix} Ergebnis {i}", projects=[project])
        for ags in ("12069616", "09184123", "12054000", "12069656"):
            make_project(programme, f"{prefix}S{ags}{i:02d}", municipalities=[imported[ags]])


def test_detail_page_query_count_does_not_grow_with_content(
    client, imported, programme, django_assert_max_num_queries
):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    _catalogue(imported, programme, 1, "a")
    client.get(detail_url("12069304"))  # warm the similarity arrays
    reset_queries()  # a full query log (maxlen) would hide the count
    with CaptureQueriesContext(connection) as small:
        assert client.get(detail_url("12069304")).status_code == 200
    baseline = len(small.captured_queries)  # the property reads the (later reset) log
    assert 5 <= baseline <= 10

    _catalogue(imported, programme, 5, "b")
    client.get(detail_url("12069304"))  # the catalogue changed: the candidate mask is rebuilt
    reset_queries()
    with django_assert_max_num_queries(baseline):
        response = client.get(detail_url("12069304"))
    html = response.content.decode()
    assert html.count("Partner vor Ort") == 6
    assert html.count("Ergebnis ") >= 6


def test_search_page_lists_and_paginates(client, imported):
    url = reverse("municipalities:search")
    response = client.get(url)
    assert response.status_code == 200
    assert "Meine Kommune" in response.content.decode()
    response = client.get(url, {"land": "12"})
    html = response.content.decode()
    assert "7 Kommunen gefunden" in html
    assert detail_url("12054000") in html
    assert "<caption>" in html and 'scope="col"' in html


def test_search_go_redirects_to_the_one_municipality(client, imported):
    url = reverse("municipalities:search")
    response = client.get(url, {"q": "Kleinmachnow", "go": "1"})
    assert response.status_code == 302
    assert response["Location"] == detail_url("12069304")
    response = client.get(url, {"q": "teltow", "go": "1"})  # exact name before the suffix
    assert response["Location"] == detail_url("12069616")
    response = client.get(url, {"q": "12054000", "go": "1"})
    assert response["Location"] == detail_url("12054000")
    # Ambiguous: the list is shown.
    response = client.get(url, {"q": "14532", "go": "1"})
    assert response.status_code == 200
    assert "2 Kommunen gefunden" in response.content.decode()


def test_search_bad_filters_are_400_with_message_at_the_field(client, imported):
    url = reverse("municipalities:search")
    response = client.get(url, {"land": "99"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "„99“ ist kein Land (Schlüssel 01 bis 16)." in html
    assert 'aria-describedby="id_land_error"' in html
    response = client.get(url, {"size_class": "riesig"})
    assert response.status_code == 400
    assert "ist keine Größenklasse" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "9999999"])
def test_search_bad_page_is_400(client, imported, page):
    response = client.get(reverse("municipalities:search"), {"land": "12", "page": page})
    assert response.status_code == 400
    assert "Seite" in response.content.decode()


def test_search_page_out_of_range_is_404(client, imported):
    response = client.get(reverse("municipalities:search"), {"land": "12", "page": "2"})
    assert response.status_code == 404
    assert "Seite 2 gibt es nicht" in response.content.decode()


def test_pages_carry_no_inline_script_or_style(client, imported):
    for url in (reverse("municipalities:search"), detail_url("12069304")):
        html = client.get(url, {"land": "12"} if url.endswith("kommunen/") else {}).content
        text = html.decode()
        scripts = re.findall(r"<script([^>]*)>", text)
        assert all('type="application/ld+json"' in attrs or "src=" in attrs for attrs in scripts)
        assert " style=" not in text


def test_finder_suggestions_are_progressive_enhancement(client, imported):
    html = client.get(reverse("municipalities:search")).content.decode()
    assert '<datalist id="municipality-suggestions"></datalist>' in html
    assert 'data-suggest-url="/api/municipalities"' in html
    assert re.search(r'<script src="/static/ortswandel/js/municipality-finder\.js" defer>', html)
