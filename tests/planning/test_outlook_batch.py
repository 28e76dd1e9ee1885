"""The all-Germany batch against the single-municipality path of ``ortswandel scenario``.

Skipped with a reason when the data directory is absent.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ortswandel.core.env import data_dir
from ortswandel.engine import project, take_areas
from ortswandel.planning.models import MunicipalityOutlook, OutlookRun
from ortswandel.planning.outlook.compute import HORIZON, compute_outlook, outlook_refresh
from ortswandel.scenario.batch import municipal_default_inputs
from ortswandel.scenario.build import BuildError, build_scenario
from ortswandel.sources.official import FILES, OfficialData

DATA = data_dir()
HAVE_DATA = all((DATA / rel).exists() for rel, *_ in FILES.values())
needs_data = pytest.mark.skipif(not HAVE_DATA, reason=f"official data not in {DATA}")
#: Wittenberge, Stahnsdorf, Munich, a village in Rhineland-Palatinate, Flensburg
SAMPLE = ("12070424", "12069616", "09162000", "07231001", "01001000")


@pytest.fixture(scope="module")
def data() -> OfficialData:
    return OfficialData(DATA)


@needs_data
def test_batch_inputs_equal_the_single_municipality_inputs(data: OfficialData) -> None:
    batch = municipal_default_inputs(horizon=5, data=data)
    assert len(batch.ags) > 10_700  # every inhabited municipality of GV100AD
    index = {a: i for i, a in enumerate(batch.ags)}
    for ags in SAMPLE[:3]:
        one = build_scenario([ags], 2022, horizon=5, data=data).inputs
        mine = take_areas(batch.inputs, [index[ags]])
        for name in ("population", "survival", "fertility"):
            assert_allclose(getattr(mine, name), getattr(one, name), rtol=1e-12, err_msg=name)
        assert mine.net_migration is not None and one.net_migration is not None
        assert_allclose(mine.net_migration.counts, one.net_migration.counts, rtol=1e-12)


@needs_data
def test_batch_projection_matches_the_single_path(data: OfficialData) -> None:
    result = compute_outlook(data=data, horizon=HORIZON)
    assert result.horizon_year == 2042
    index = {a: i for i, a in enumerate(result.ags)}
    for ags in SAMPLE:
        single = project(build_scenario([ags], 2022, horizon=HORIZON, data=data).inputs)
        total = single.population[-1, 0].sum()
        assert result.columns["population_horizon"][index[ags]] == pytest.approx(total, rel=1e-9)
        assert result.columns["population_now"][index[ags]] == pytest.approx(
            single.population[0, 0].sum(), rel=1e-12
        )
    assert np.isfinite(result.columns["change_pct"]).all()


@needs_data
@pytest.mark.django_db
def test_refresh_stores_every_municipality_once_and_skips_unchanged_data(settings) -> None:
    settings.ORTSWANDEL_DATA_DIR = DATA
    run = outlook_refresh()
    assert run is not None and run.is_current
    assert run.municipalities == MunicipalityOutlook.objects.count() > 10_700
    assert "GV100AD" in run.source
    assert outlook_refresh() is None  # same files, same horizon: nothing to do
    again = outlook_refresh(force=True, horizon=10)
    assert again is not None and again.horizon_year == 2032
    assert OutlookRun.objects.count() == 1


def test_bad_horizon_is_refused(tmp_path) -> None:
    with pytest.raises(BuildError, match="horizon"):
        municipal_default_inputs(horizon=0, data=OfficialData(tmp_path))
