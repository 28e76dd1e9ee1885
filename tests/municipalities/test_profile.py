"""The municipality profile (issue 8): similarity with trend and age structure, the page with
key figures, charts, maps and the planning link, and the 404 with a search box.

The tests on the real register need the official data directory (skipped without it)."""

from __future__ import annotations

import io
import math
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pytest
from django.conf import settings
from django.core.management import call_command

from ortswandel.municipalities import profile, selectors, similarity
from ortswandel.municipalities.models import Municipality
from ortswandel.municipalities.similarity import RegisterArrays, distances, rank

REAL = Path(settings.ORTSWANDEL_DATA_DIR)
HAS_DATA = (REAL / "gv100ad" / "GV100AD_301123.txt").is_file() and (
    REAL / "regionalstatistik_kreise" / "destatis_12411-0018_tidy_utf8.csv"
).is_file()
needs_data = pytest.mark.skipif(not HAS_DATA, reason="official data directory not available")

WITTENBERGE = "12070424"
STAHNSDORF = "12069604"


def _arrays(trend, under18=None, over65=None, over80=None) -> RegisterArrays:
    n = len(trend)
    return RegisterArrays(
        token="t",
        ids=np.arange(1, n + 1, dtype=np.int64),
        ags=np.array([f"{i:08d}" for i in range(1, n + 1)], dtype="U8"),
        log2_population=np.full(n, 14.0),
        log2_density=np.full(n, 8.0),
        land=np.full(n, 12, dtype=np.int16),
        town=np.ones(n, dtype=bool),
        district_free=np.zeros(n, dtype=bool),
        position={i + 1: i for i in range(n)},
        trend=np.array(trend, dtype=float),
        under18=None if under18 is None else np.array(under18, dtype=float),
        over65=None if over65 is None else np.array(over65, dtype=float),
        over80=None if over80 is None else np.array(over80, dtype=float),
    )


def test_trend_and_age_structure_separate_otherwise_equal_towns():
    # Same size, density, Land, type: only trend and age differ.
    arrays = _arrays(
        trend=[-0.4, -0.5, 0.9, math.nan],
        under18=[14, 14.5, 18, 14],
        over65=[28, 27.5, 21, 28],
        over80=[10, 9.5, 6.5, 10],
    )
    d = distances(arrays, 0)
    assert d[1] < d[2]  # the other shrinking, older town is nearer than the growing one
    assert d[1] == pytest.approx(0.1 / 0.5 + (0.5 / 2 + 0.5 / 3 + 0.5 / 1.5) / 3)
    assert d[3] == pytest.approx(similarity.MISSING_PENALTY)  # unknown trend counts as 1
    assert [pk for pk, _s in rank(arrays, 0, limit=3)] == [2, 4, 3]


def test_shares_and_yearly_change():
    population = np.zeros((2, 101))
    population[:, 10] = 10  # 20 children
    population[:, 70] = 20  # 40 aged 70
    population[:, 85] = 20  # 40 aged 85
    assert profile.shares(population) == pytest.approx((20.0, 80.0, 40.0))
    assert profile.yearly_change(100, 121, 2) == pytest.approx(10.0)
    assert math.isnan(profile.yearly_change(None, 121, 2))
    assert math.isnan(profile.yearly_change(100, 121, 0))


@pytest.fixture
def real_register(db):
    call_command("import_municipalities", data_dir=str(REAL), stdout=io.StringIO())
    selectors.clear_caches()
    yield
    selectors.clear_caches()


@needs_data
@pytest.mark.slow
def test_wittenberge_is_matched_with_shrinking_towns_not_with_growing_stahnsdorf(real_register):
    wittenberge = Municipality.objects.get(ags=WITTENBERGE)
    assert wittenberge.name.startswith("Wittenberge")
    arrays = similarity.register_arrays()
    structure = profile.structure()
    own_trend = structure.trend_of(WITTENBERGE)
    assert own_trend < 0  # Prignitz shrank 2017–2022
    assert structure.trend_of(STAHNSDORF) > 0.5  # Potsdam-Mittelmark grew

    similar = selectors.similar_municipalities(municipality=wittenberge)
    assert len(similar) == selectors.SIMILAR_LIMIT
    for item in similar:
        assert structure.trend_of(item.municipality.ags) < 0, item.municipality.name
        assert any(r.startswith("ähnlicher Rückgang") for r in item.reasons), item.reasons
    assert STAHNSDORF not in [s.municipality.ags for s in similar]
    assert any("Anteil 65+" in r for s in similar for r in s.reasons)

    # Size alone (the old score) ranked Stahnsdorf at 64 %; with trend and age it is far off.
    position = arrays.position
    i, j = position[wittenberge.pk], position[Municipality.objects.get(ags=STAHNSDORF).pk]
    size_only = RegisterArrays(**{**arrays.__dict__, "trend": None, "under18": None})
    assert 1 / (1 + distances(size_only, i)[j]) == pytest.approx(0.64, abs=0.01)
    assert 1 / (1 + distances(arrays, i)[j]) < 0.3


@needs_data
@pytest.mark.slow
def test_profile_page_of_wittenberge(client, real_register):
    call_command(
        "import_datapool",
        data_dir=str(REAL),
        only=["gv100ad", "zensus2022-1000A-0000"],
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    response = client.get(f"/kommunen/{WITTENBERGE}/")
    assert response.status_code == 200
    html = response.content.decode()
    # the planning workspace, one click away (literal path agreed with the planning app)
    assert f'href="/planen/{WITTENBERGE}/"' in html
    assert "Zukunft berechnen" in html
    # key figures with date, source and licence
    page = response.context["profile"]
    codes = [f.indicator for f in page.key_figures]
    assert "gv100ad-bevoelkerung" in codes and "zensus2022-bevoelkerung" in codes
    assert "Stand 31.12.2022" in html and "Stand 15.05.2022" in html
    assert "dl-de/by-2-0" in html
    # development, pyramid, comparison: charts with text alternatives and data tables
    for chart in (page.development, page.development_index, page.pyramid, page.comparison_chart):
        svg = ET.fromstring(str(chart.svg))  # noqa: S314 - our own markup
        assert svg.get("role") == "img"
        assert chart.table.rows
    assert "Altersaufbau von Wittenberge, Stadt am 31.12.2022 (Schätzung)" in html
    assert html.count("<table") >= 5
    # comparison with district, Land, Germany
    assert [r.level for r in page.comparison] == ["gemeinde", "kreis", "land", "bund"]
    assert page.comparison[1].name == "Prignitz"
    # maps without a tile server, with attribution
    assert 'id="map-position-12070424"' in html and 'id="map-outline-12070424"' in html
    assert "GeoBasis-DE / BKG" in html
    assert "tile" not in html.lower()
    # why similar, in words
    assert "ähnlicher Rückgang" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/kommunen/99999999/", "Es gibt keine Gemeinde mit dem Gemeindeschlüssel 99999999."),
        ("/kommunen/wittenberge/", "ist kein gültiger Gemeindeschlüssel"),
        ("/kommunen/1207042/", "ist kein gültiger Gemeindeschlüssel"),
    ],
)
def test_unknown_or_malformed_ags_gives_404_with_search_box(client, path, message):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert message in html
    assert 'role="search"' in html
    assert '<label for="id_q">' in html
    assert 'action="/kommunen/"' in html
    if "wittenberge" in path:
        assert 'value="wittenberge"' in html  # the typed name is kept for the search


@pytest.mark.django_db
def test_404_page_escapes_the_key(client):
    response = client.get("/kommunen/%3Cscript%3E/")
    assert response.status_code == 404
    assert b"<script>" not in response.content.split(b"</head>")[1]


@pytest.mark.django_db
def test_profile_cache_key_follows_imports_and_uploads_and_is_never_shared_with_staff():
    from django.contrib.auth.models import AnonymousUser

    from ortswandel.datapool.models import ImportRun

    before = profile.data_version()
    ImportRun.objects.create(dataset="gv100ad", file_name="GV100AD_301123.txt", status="succeeded")
    assert profile.data_version() != before
    assert not profile.sees_private_data(WITTENBERGE, AnonymousUser())
    assert not profile.sees_private_data(WITTENBERGE, None)
