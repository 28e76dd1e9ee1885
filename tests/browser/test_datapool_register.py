"""Browser: the municipality's register data page — upload, rejected file, publish — with
axe-core on each state."""

from __future__ import annotations

from pathlib import Path

from tests.datapool.conftest import grant_staff, population_csv, register_lines

from .conftest import check_page

PASSWORD = "Kommune-2026-sicher!"


def test_register_page_upload_errors_and_publish(
    live_server, page, axe, django_user_model, tmp_path: Path
):
    from ortswandel.datapool.genesis.gv100ad import read_register_units
    from ortswandel.datapool.models import RegisterUpload
    from ortswandel.datapool.services.units import spatial_units_import

    register = tmp_path / "GV100AD_301123.txt"
    register.write_text("\n".join(register_lines()) + "\n", encoding="utf-8")
    spatial_units_import(units=read_register_units(register))
    user = django_user_model.objects.create_user(
        username="stadt@goettingen.example", email="stadt@goettingen.example", password=PASSWORD
    )
    grant_staff(user, "03159016", "Göttingen, Stadt")

    page.goto(f"{live_server.url}/konto/anmelden/")
    page.fill("#id_username", "stadt@goettingen.example")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/konto/profil/")
    url = f"{live_server.url}/datenpool/gemeinde/03159016/registerdaten/"
    page.goto(url)
    check_page(axe, page, h1="Eigene Registerdaten")

    bad = tmp_path / "melderegister.csv"
    bad.write_bytes(population_csv(age5="5;10;9;20"))
    page.check("input[value=bevoelkerung]")
    page.set_input_files("#id_file", str(bad))
    page.click("form[enctype] button[type=submit]")
    alert = page.locator("#upload-errors")
    assert "Zeile 11" in alert.inner_text()
    check_page(axe, page, h1="Eigene Registerdaten")
    assert not RegisterUpload.objects.exists()

    good = tmp_path / "melderegister-ok.csv"
    good.write_bytes(population_csv())
    page.check("input[value=bevoelkerung]")
    page.set_input_files("#id_file", str(good))
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")
    assert "nicht öffentlich" in page.locator("table").inner_text()
    check_page(axe, page, h1="Eigene Registerdaten")
    with page.expect_navigation():
        page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    assert "Die Daten sind jetzt öffentlich." in page.content()
    assert RegisterUpload.objects.get().is_published
