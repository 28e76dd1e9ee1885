"""``manage.py import_municipalities``: idempotent, enriched, all-or-nothing, line numbers."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from ortswandel.core.models import AuditEntry
from ortswandel.municipalities.models import Municipality, SizeClass
from tests.sources.gvfiles import gemeinde, small_register

pytestmark = pytest.mark.django_db

REAL_DIR = Path(settings.ORTSWANDEL_DATA_DIR)
ACTION = "municipalities.register.imported"


def run(**options) -> str:
    out = io.StringIO()
    call_command("import_municipalities", stdout=out, **options)
    return out.getvalue()


def write_register(data_dir: Path, lines: list[str]) -> Path:
    path = data_dir / "gv100ad" / "GV100AD_301123.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_first_import_creates_all_with_derived_and_enriched_fields(data_dir):
    out = run(data_dir=str(data_dir))
    assert "10 Gemeinden – 10 neu, 0 geändert, 0 unverändert" in out
    assert "Zensus 2022: 3 Gemeinden zugeordnet" in out
    assert "Gemeindemittelpunkte: 2 Gemeinden zugeordnet" in out
    assert Municipality.objects.count() == 10

    potsdam = Municipality.objects.get(ags="12054000")
    assert potsdam.ars == "120540000000"
    assert potsdam.name == "Potsdam, Stadt"
    assert potsdam.municipality_type == "Kreisfreie Stadt"
    assert potsdam.kreis_type_code == "41"
    assert potsdam.is_district_free
    assert potsdam.population == 185_750
    assert potsdam.population_female == 185_750 - 89_442
    assert potsdam.population_date == dt.date(2022, 12, 31)
    assert potsdam.reference_date == dt.date(2023, 11, 30)
    assert potsdam.population_census_2022 == 182_806
    assert potsdam.area_km2 == pytest.approx(188.24)
    assert potsdam.density == pytest.approx(round(185_750 / 188.24, 1))
    assert potsdam.size_class == SizeClass.CITY
    assert (potsdam.latitude, potsdam.longitude) == (52.42602, 13.02791)
    assert potsdam.postal_code_is_unique is False
    assert potsdam.name_normalized == "potsdam, stadt"

    borkheide = Municipality.objects.get(ags="12069020")
    assert borkheide.size_class == SizeClass.RURAL
    assert borkheide.population_census_2022 is None
    assert borkheide.latitude is None
    park = Municipality.objects.get(ags="09184451")
    assert park.size_class == SizeClass.UNINHABITED
    assert park.density == 0.0

    entry = AuditEntry.objects.get(action=ACTION)
    assert entry.payload["created"] == 10
    assert entry.payload["unchanged"] == 0
    assert entry.payload["source"] == "GV100AD_301123.txt"


def test_second_run_changes_nothing(data_dir):
    run(data_dir=str(data_dir))
    before = list(Municipality.objects.order_by("ags").values())
    out = run(data_dir=str(data_dir))
    assert "0 neu, 0 geändert, 10 unverändert" in out
    assert list(Municipality.objects.order_by("ags").values()) == before  # incl. updated_at
    entries = list(AuditEntry.objects.filter(action=ACTION).order_by("id"))
    assert len(entries) == 2
    assert (entries[1].payload["created"], entries[1].payload["updated"]) == (0, 0)
    assert entries[1].payload["unchanged"] == 10


def test_changed_line_updates_only_that_municipality(data_dir):
    run(data_dir=str(data_dir))
    old_updated = Municipality.objects.get(ags="12069304").updated_at
    lines = small_register()
    lines[lines.index(next(x for x in lines if "Kleinmachnow" in x))] = gemeinde(
        "12069304", "Kleinmachnow", verband="0304", area_ha=1196, population=21000, male=10000
    )
    write_register(data_dir, lines)
    out = run(data_dir=str(data_dir))
    assert "0 neu, 1 geändert, 9 unverändert" in out
    klein = Municipality.objects.get(ags="12069304")
    assert klein.population == 21_000
    assert klein.size_class == SizeClass.MEDIUM_TOWN
    assert klein.postal_code == ""
    assert klein.updated_at > old_updated
    # Enrichment stays as it was.
    assert klein.population_census_2022 == 20_184


def test_municipalities_missing_from_file_are_kept_and_counted(data_dir):
    run(data_dir=str(data_dir))
    write_register(data_dir, [x for x in small_register() if "Borkheide" not in x])
    out = run(data_dir=str(data_dir))
    assert "1 Gemeinden im Bestand stehen nicht (mehr) in der Datei" in out
    assert Municipality.objects.filter(ags="12069020").exists()


def test_ars_moving_between_municipalities_is_applied(data_dir):
    """Two municipalities swap their Gemeindeverband keys: the unique ARS never collides."""
    run(data_dir=str(data_dir))
    lines = small_register()
    a = next(i for i, x in enumerate(lines) if "Kleinmachnow" in x)
    b = next(i for i, x in enumerate(lines) if "Stahnsdorf" in x)
    lines[a] = gemeinde("12069304", "Kleinmachnow", verband="0590", area_ha=1196, population=20341)
    lines[b] = gemeinde("12069590", "Stahnsdorf", verband="0304", area_ha=4960, population=16000)
    # Give the other one the ARS the first one had (ARS = kreis + verband + gemeinde).
    write_register(data_dir, lines)
    run(data_dir=str(data_dir), no_census=True)
    assert Municipality.objects.get(ags="12069304").ars == "120690590304"
    assert Municipality.objects.get(ags="12069590").ars == "120690304590"


def test_no_census_leaves_census_values(data_dir):
    run(data_dir=str(data_dir))
    (data_dir / "zensus2022" / "1000A-0000_de_flat.csv").unlink()
    out = run(data_dir=str(data_dir))
    assert "Zensus 2022" not in out
    assert Municipality.objects.get(ags="12054000").population_census_2022 == 182_806
    out = run(data_dir=str(data_dir), no_centroids=True)
    assert "10 unverändert" in out


def test_explicit_file_and_population_date(data_dir, tmp_path_factory):
    other = tmp_path_factory.mktemp("elsewhere") / "register.txt"
    other.write_text("\n".join(small_register()[:5]) + "\n", encoding="utf-8")
    out = run(file=str(other), data_dir=str(data_dir), population_date="2022-06-30")
    assert "register.txt" in out
    assert "2 Gemeinden – 2 neu" in out
    assert Municipality.objects.get(ags="09184123").population_date == dt.date(2022, 6, 30)


@pytest.mark.parametrize(
    ("bad_line", "index", "message"),
    [
        (
            gemeinde("0918412A", "Haar", verband="0123"),
            3,
            "GV100AD_301123.txt: Zeile 4: AGS '0918412A' ist keine 8-stellige Zahl",
        ),
        (
            gemeinde("12069304", "Kleinmachnow", population="zwölf"),
            10,
            "GV100AD_301123.txt: Zeile 11: Bevölkerung insgesamt 'zwölf' ist keine Zahl",
        ),
    ],
)
def test_malformed_line_aborts_with_line_number_and_writes_nothing(
    data_dir, bad_line, index, message
):
    lines = small_register()
    lines[index] = bad_line
    write_register(data_dir, lines)
    with pytest.raises(CommandError) as info:
        run(data_dir=str(data_dir))
    assert str(info.value).startswith(message)
    assert info.value.returncode == 2
    assert Municipality.objects.count() == 0
    assert not AuditEntry.objects.filter(action=ACTION).exists()


def test_malformed_file_after_good_import_leaves_register_untouched(data_dir):
    run(data_dir=str(data_dir))
    before = list(Municipality.objects.order_by("ags").values())
    lines = small_register()
    lines[4] = gemeinde("09184148", "Unterhaching", population=5, male=9)
    write_register(data_dir, lines)
    with pytest.raises(CommandError, match="Zeile 5: Bevölkerung männlich"):
        run(data_dir=str(data_dir))
    assert list(Municipality.objects.order_by("ags").values()) == before


def test_malformed_census_names_its_file(data_dir):
    path = data_dir / "zensus2022" / "1000A-0000_de_flat.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("182806", "18x"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"1000A-0000_de_flat.csv: Zeile 2: Einwohnerzahl"):
        run(data_dir=str(data_dir))
    assert Municipality.objects.count() == 0


def test_failure_during_write_rolls_back_everything(data_dir):
    with (
        mock.patch(
            "ortswandel.municipalities.services.audit_log", side_effect=RuntimeError("boom")
        ),
        pytest.raises(RuntimeError),
    ):
        run(data_dir=str(data_dir))
    assert Municipality.objects.count() == 0


def test_missing_register_and_bad_options(tmp_path):
    with pytest.raises(CommandError, match=r"Keine Datei GV100AD_TTMMJJ\.txt"):
        run(data_dir=str(tmp_path))
    with pytest.raises(CommandError, match="Datei nicht gefunden"):
        run(file=str(tmp_path / "nope.txt"), data_dir=str(tmp_path))
    with pytest.raises(CommandError, match=r"--population-date '31\.12\.2022' ist kein Datum"):
        run(data_dir=str(tmp_path), population_date="31.12.2022")


def test_newest_register_file_is_default(data_dir):
    older = data_dir / "gv100ad" / "GV100AD_300623.txt"
    older.write_text("kaputt\n", encoding="utf-8")
    assert "GV100AD_301123.txt" in run(data_dir=str(data_dir))


def test_exit_code_two_on_the_command_line(data_dir):
    lines = small_register()
    lines[3] = gemeinde("0918412A", "Haar")
    write_register(data_dir, lines)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_municipalities", "--data-dir", str(data_dir)],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "DATABASE_URL": "sqlite:///:memory:"},
        check=False,
    )
    assert result.returncode == 2
    assert "Zeile 4: AGS '0918412A' ist keine 8-stellige Zahl" in result.stderr


@pytest.mark.slow
@pytest.mark.skipif(
    not (REAL_DIR / "gv100ad" / "GV100AD_301123.txt").is_file(), reason="official data missing"
)
def test_real_register_import():
    out = run()
    assert "10.981 Gemeinden – 10.981 neu" in out
    assert Municipality.objects.count() == 10_981
    assert Municipality.objects.aggregate(s=Sum("population"))["s"] == 84_358_845
    assert (
        Municipality.objects.exclude(kreis_name="").values("kreis_code").distinct().count() == 400
    )
    potsdam = Municipality.objects.get(ags="12054000")
    assert potsdam.name == "Potsdam, Stadt"
    assert potsdam.population_census_2022 == 182_806
    assert potsdam.latitude == pytest.approx(52.42602)
    assert Municipality.objects.exclude(population_census_2022=None).count() == 10_764
    assert Municipality.objects.exclude(latitude=None).count() == 10_975
    assert "10.981 unverändert" in run()


@pytest.mark.django_db(transaction=True)
def test_parallel_imports_are_serialised(data_dir):
    """Two imports at once: one creates, the other then finds everything unchanged.

    Each import waits (up to 2 s) at a barrier between reading the register and writing.
    Without the lock both get there, both insert the same AGS and one fails on the unique
    constraint; with it, the second is still waiting for the lock, the barrier times out and
    the first goes on alone.
    """
    import threading

    from django.db import connection

    from ortswandel.municipalities import services
    from ortswandel.sources.gv100ad import read_gv100ad

    register = read_gv100ad(data_dir / "gv100ad" / "GV100AD_301123.txt")
    start, between = threading.Barrier(2), threading.Barrier(2)
    reports, errors = [], []
    original = services._check_ars_conflicts

    def check_then_wait(*args, **kwargs):
        original(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            between.wait(timeout=2)

    def worker() -> None:
        try:
            start.wait(timeout=10)
            reports.append(services.municipalities_import(register=register))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch.object(services, "_check_ars_conflicts", check_then_wait):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert sorted((r.created, r.unchanged) for r in reports) == [(0, 10), (10, 0)]
    assert Municipality.objects.count() == 10
