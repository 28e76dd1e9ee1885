"""Fixtures: a small crafted GV100AD register (with Zensus and centroid files) and its import."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sources.gvfiles import CENSUS_HEADER, CENTROIDS_HEADER, census_row, small_register


@pytest.fixture(autouse=True)
def _fresh_similarity_cache():
    from ortswandel.municipalities import selectors

    selectors.clear_caches()
    yield
    selectors.clear_caches()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory laid out like ``ORTSWANDEL_DATA_DIR`` with the crafted files."""
    (tmp_path / "gv100ad").mkdir()
    (tmp_path / "gv100ad" / "GV100AD_301123.txt").write_text(
        "\n".join(small_register()) + "\n", encoding="utf-8"
    )
    (tmp_path / "zensus2022").mkdir()
    (tmp_path / "zensus2022" / "1000A-0000_de_flat.csv").write_text(
        "\ufeff"
        + CENSUS_HEADER
        + "\n"
        + "\n".join(
            [
                census_row("120540000000", "Potsdam, Stadt", 182806),
                census_row("120690304304", "Kleinmachnow", 20184),
                census_row("091840123123", "Haar", 21860),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "vg5000").mkdir()
    (tmp_path / "vg5000" / "vg5000_gemeinden_centroids_wgs84.csv").write_text(
        CENTROIDS_HEADER
        + "\n12054000,Potsdam,52.42602,13.02791,188.0"
        + "\n12069304,Kleinmachnow,52.40183,13.22428,11.9\n",
        encoding="utf-8",
    )
    return tmp_path


@pytest.fixture
def imported(db, data_dir):
    """The crafted register imported through the management command."""
    from django.core.management import call_command

    from ortswandel.municipalities.models import Municipality

    call_command("import_municipalities", data_dir=str(data_dir), stdout=_Null())
    return {m.ags: m for m in Municipality.objects.all()}


class _Null:
    def write(self, *_args, **_kwargs) -> None:
        pass

    def flush(self) -> None:
        pass
