"""The summary of a projection (pure NumPy) and the store of a run (database)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ortswandel.core.models import AuditEntry
from ortswandel.planning.models import MunicipalityOutlook, OutlookRun
from ortswandel.planning.outlook.compute import data_version, outlook_write, summarise

from .conftest import population, synthetic_batch


def test_summary_of_known_populations() -> None:
    now = np.zeros((1, 2, 101))
    now[0, :, 0:3] = 10  # 60 children 0-2
    now[0, :, 6:10] = 5  # 40 children 6-9
    now[0, :, 80] = 25  # 50 persons 80+
    now[0, :, 40] = 125  # 250 other → 400 in all
    later = now.copy()
    later[0, :, 6:10] = 4  # 6-9: 40 → 32 (−20 %)
    later[0, :, 80] = 40  # 80+: 50 → 80 (+60 %)
    s = summarise(now, later)
    assert_allclose(s["population_now"], [400])
    assert_allclose(s["population_horizon"], [400 - 8 + 30])
    assert_allclose(s["change_6_9_pct"], [-20.0])
    assert_allclose(s["change_80_pct"], [60.0])
    assert_allclose(s["change_0_2_pct"], [0.0])
    assert_allclose(s["share_80_now"], [12.5])
    assert_allclose(s["share_65_horizon"], [80 / 422 * 100])
    assert np.isnan(s["change_3_5_pct"][0])  # nobody aged 3-5 now: no percentage


def test_summary_is_per_area_and_order_invariant() -> None:
    rng = np.random.default_rng(1)
    now = rng.uniform(0, 100, (5, 2, 101))
    later = rng.uniform(0, 100, (5, 2, 101))
    order = np.array([3, 0, 4, 1, 2])
    a, b = summarise(now, later), summarise(now[order], later[order])
    for key in a:
        assert_allclose(a[key][order], b[key])


@pytest.mark.django_db
def test_write_replaces_the_current_run_and_is_audited() -> None:
    first = outlook_write(
        batch=synthetic_batch({"12070424": (population(100), population(90))}), version="v1"
    )
    assert first.is_current
    second = outlook_write(
        batch=synthetic_batch(
            {"12070424": (population(100), population(80)), "12069616": (population(10),) * 2}
        ),
        version="v2",
    )
    assert list(OutlookRun.objects.values_list("pk", "is_current")) == [(second.pk, True)]
    assert MunicipalityOutlook.objects.count() == 2
    row = MunicipalityOutlook.objects.get(ags="12070424")
    assert row.change_pct == pytest.approx(-20.0)
    assert row.change_3_5_pct is None  # empty group: NULL, not NaN
    assert AuditEntry.objects.filter(action="planning.outlook.computed").count() == 2


def test_data_version_follows_the_files(tmp_path) -> None:
    (tmp_path / "a.csv").write_text("1", encoding="utf-8")
    before = data_version(tmp_path)
    assert data_version(tmp_path) == before
    (tmp_path / "a.csv").write_text("12", encoding="utf-8")
    assert data_version(tmp_path) != before
