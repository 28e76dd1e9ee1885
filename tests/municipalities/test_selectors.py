"""Search, projects of a municipality, and similar municipalities (score, reasons, order)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ortswandel.catalogue import places
from ortswandel.core.errors import InvalidInput, NotFound
from ortswandel.municipalities import selectors, similarity
from ortswandel.municipalities.models import Municipality

from .factories import make_organisation, make_project, make_result

pytestmark = pytest.mark.django_db


def search(**params) -> list[str]:
    parsed = selectors.parse_search_params(params)
    return [m.ags for m in selectors.municipality_search(parsed)]


# ----------------------------------------------------------------------------- lookup


def test_get_valid_unknown_and_malformed(imported):
    assert selectors.municipality_get(ags="12054000").name == "Potsdam, Stadt"
    with pytest.raises(NotFound) as info:
        selectors.municipality_get(ags="12054001")
    assert info.value.code == "not_found"
    assert "12054001" in info.value.message
    for bad in ["12A45", "", "1205400", "120540000", "１２０５４０００"]:
        with pytest.raises(InvalidInput) as bad_info:
            selectors.municipality_get(ags=bad)
        assert bad_info.value.code == "invalid_ags"


# ----------------------------------------------------------------------------- search


def test_search_by_name_prefix_substring_and_accents(imported):
    assert search(q="Potsdam")[0] == "12054000"
    assert search(q="machnow") == ["12069304"]
    assert search(q="WERDER havel") == ["12069656"]
    Municipality.objects.filter(ags="09184123").update(
        name="Haar an der Würm", name_normalized="haar an der wurm"
    )
    assert search(q="würm") == ["09184123"]
    assert search(q="wurm") == ["09184123"]


def test_search_ranks_exact_and_prefix_before_substring(imported):
    Municipality.objects.create(
        ags="12069999", ars="120699999999", name="Neu-Teltow", land_code="12",
        land_name="Brandenburg", kreis_code="12069", kreis_name="Potsdam-Mittelmark",
        population=50_000,
    )  # fmt: skip
    # "Teltow, Stadt" is the exact name (before the official suffix) and comes first even
    # though "Neu-Teltow" has more inhabitants.
    assert search(q="teltow") == ["12069616", "12069999"]


def test_search_by_keys(imported):
    assert search(q="12054000") == ["12054000"]
    assert search(q="120690304304") == ["12069304"]
    assert search(q="14532") == ["12069304", "12069590"]  # postal code
    assert set(search(q="12069")) == {
        "12069304", "12069616", "12069590", "12069656", "12069020", "12069017",
    }  # fmt: skip
    assert search(q="091") == ["09184123", "09184148", "09184451"]


def test_search_filters(imported):
    assert set(search(land="09")) == {"09184123", "09184148", "09184451"}
    assert search(land="12", size_class="grossstadt") == ["12054000"]
    assert search(q="stadt", land="09") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"land": "17"}, "land"),
        ({"land": "Bayern"}, "land"),
        ({"size_class": "dorf"}, "size_class"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_search_params_are_validated(params, field):
    with pytest.raises(InvalidInput) as info:
        selectors.parse_search_params(params)
    assert set(info.value.fields) == {field}
    assert info.value.status == 400


# ----------------------------------------------------------------------------- similarity


def test_distance_formula_matches_documentation(imported):
    arrays = similarity.register_arrays()
    klein = Municipality.objects.get(ags="12069304")
    haar = Municipality.objects.get(ags="09184123")
    d = similarity.distances(arrays, arrays.position[klein.pk])
    i, j = arrays.position[klein.pk], arrays.position[haar.pk]

    def part(value: float) -> float:  # unknown trend or age structure counts as 1
        return 1.0 if math.isnan(value) else value

    expected = (
        abs(math.log2(klein.population / haar.population))
        + 0.5 * abs(math.log2(klein.density / haar.density))
        + 0.5  # other Land; same type group (Gemeinde), both kreisangehörig
        + part(abs(arrays.trend[i] - arrays.trend[j]) / 0.5)
        + part(
            (
                abs(arrays.under18[i] - arrays.under18[j]) / 2
                + abs(arrays.over65[i] - arrays.over65[j]) / 3
                + abs(arrays.over80[i] - arrays.over80[j]) / 1.5
            )
            / 3
        )
    )
    assert d[j] == pytest.approx(expected)
    assert d[arrays.position[klein.pk]] == np.inf  # never similar to itself
    park = Municipality.objects.get(ags="09184451")
    assert d[arrays.position[park.pk]] == np.inf  # uninhabited: not comparable


def test_similar_excludes_itself_and_uninhabited_and_is_sorted(imported):
    klein = imported["12069304"]
    similar = selectors.similar_municipalities(municipality=klein, limit=20)
    ags = [s.municipality.ags for s in similar]
    assert "12069304" not in ags
    assert "09184451" not in ags
    assert len(ags) == 8  # ten minus itself minus the uninhabited area
    scores = [s.score for s in similar]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)


def test_similar_is_deterministic_with_ties(imported):
    # Two identical twins of Kleinmachnow elsewhere: the tie is broken by AGS.
    for ags, ars in [("12069998", "120699998998"), ("12069997", "120699997997")]:
        Municipality.objects.create(
            ags=ags, ars=ars, name=f"Zwilling {ags}", land_code="12", land_name="Brandenburg",
            kreis_code="12069", kreis_name="Potsdam-Mittelmark", kreis_type_code="44",
            type_code="64", municipality_type="Gemeinde", population=20341, area_km2=11.96,
        )  # fmt: skip
    klein = Municipality.objects.get(ags="12069304")
    first = selectors.similar_municipalities(municipality=klein, limit=20)
    similarity.clear_cache()
    second = selectors.similar_municipalities(municipality=klein, limit=20)
    assert [s.municipality.ags for s in first] == [s.municipality.ags for s in second]
    # The twins' trend and age structure are unknown (not in the official files), so they
    # need not come first — but they tie, and the tie is broken by AGS.
    ags = [s.municipality.ags for s in first]
    k = ags.index("12069997")
    assert ags[k + 1] == "12069998"
    assert first[k].score == first[k + 1].score


def test_similarity_explains_itself(imported):
    klein = Municipality.objects.get(ags="12069304")
    haar = Municipality.objects.get(ags="09184123")
    teltow = Municipality.objects.get(ags="12069616")
    reasons = selectors.explain_similarity(klein, haar)
    assert reasons[0] == "ähnliche Einwohnerzahl (20.341 vs. 22.555)"
    assert "gleiche Größenklasse Mittelstadt" in reasons
    assert "gleicher Gemeindetyp (Gemeinde)" in reasons
    assert not any(r.startswith("ebenfalls Brandenburg") for r in reasons)
    assert any(r.startswith("ähnliche Dichte (") for r in reasons)
    reasons = selectors.explain_similarity(klein, teltow)
    assert "ebenfalls Brandenburg" in reasons
    assert "im selben Kreis (Potsdam-Mittelmark)" in reasons
    potsdam = Municipality.objects.get(ags="12054000")
    assert selectors.explain_similarity(klein, potsdam)[0] == (
        "Einwohnerzahl 185.750 (hier 20.341)"
    )


def test_cache_follows_register_changes(
    imported, client, site_admin, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from tests.admin_forms import admin_save

    klein = Municipality.objects.get(ags="12069304")
    before = selectors.similar_municipalities(municipality=klein, limit=1)[0]
    assert before.municipality.ags != "12069020"
    borkheide = Municipality.objects.get(ags="12069020")
    client.force_login(site_admin)
    url = reverse("admin:municipalities_municipality_change", args=[borkheide.pk])
    with django_capture_on_commit_callbacks(execute=True):  # the register version moves on commit
        admin_save(client, url, population="20341", area_km2="11.96")
        unchanged = selectors.similar_municipalities(municipality=klein, limit=1)[0]
        assert unchanged.municipality.ags == before.municipality.ags
    after = selectors.similar_municipalities(municipality=klein, limit=1)[0]
    assert after.municipality.ags == "12069020"


def test_uninhabited_has_no_similar(imported):
    park = Municipality.objects.get(ags="09184451")
    assert selectors.similar_municipalities(municipality=park) == []


# ----------------------------------------------------------------------------- projects


def test_projects_model_municipality_and_partner_seat_published_only(
    imported, programme, other_programme
):
    klein = imported["12069304"]
    modell = make_project(programme, "MODELL", municipalities=[klein])
    org = make_organisation("Gemeinde Kleinmachnow", municipality=klein)
    partner = make_project(programme, "PARTNER", partners=[(org, "municipal_partner")])
    make_project(programme, "ENTWURF", municipalities=[klein], published=False)
    other_programme.status = "draft"
    other_programme.save()
    make_project(other_programme, "VERSTECKT", municipalities=[klein])
    make_project(programme, "ANDERSWO", municipalities=[imported["12069616"]])

    links = places.municipality_projects(municipality=klein)
    assert [link.project.acronym for link in links] == ["MODELL", "PARTNER"]
    assert links[0].is_model_municipality and not links[0].partners
    assert not links[1].is_model_municipality
    assert [p.organisation.name for p in links[1].partners] == ["Gemeinde Kleinmachnow"]

    make_result(programme, "Leitfaden", projects=[modell])
    make_result(programme, "Entwurf", projects=[partner], published=False)
    results = places.municipality_results(project_ids=[modell.pk, partner.pk])
    assert [r.title for r in results] == ["Leitfaden"]


def test_projects_from_similar_municipalities(imported, programme):
    klein = imported["12069304"]
    own = make_project(programme, "EIGEN", municipalities=[klein, imported["12069616"]])
    make_project(programme, "TELTOW", municipalities=[imported["12069616"]])
    org = make_organisation("Gemeinde Haar", municipality=imported["09184123"])
    make_project(programme, "HAAR", partners=[(org, "practice_partner")])
    make_project(programme, "POTSDAM", municipalities=[imported["12054000"]])
    make_project(programme, "ENTWURF", municipalities=[imported["12069616"]], published=False)

    page = selectors.municipality_page(ags="12069304")
    acronyms = [item.project.acronym for item in page.similar_projects]
    assert "EIGEN" not in acronyms  # already listed as its own project
    assert "ENTWURF" not in acronyms
    assert set(acronyms) == {"TELTOW", "HAAR", "POTSDAM"}
    assert acronyms[-1] == "POTSDAM"  # the big city is the least similar
    scores = [item.score for item in page.similar_projects]
    assert scores == sorted(scores, reverse=True)
    teltow = next(i for i in page.similar_projects if i.project.acronym == "TELTOW")
    assert teltow.municipality.ags == "12069616"
    assert "im selben Kreis (Potsdam-Mittelmark)" in teltow.reasons
    assert [link.project for link in page.projects] == [own]
