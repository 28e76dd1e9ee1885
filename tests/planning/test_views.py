"""The workspace pages: default projection, changed assumptions, bad input next to the field,
unknown AGS, exports (CSV, XLSX, PDF), saving and sharing, background runs."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from ortswandel.core.models import AuditEntry
from ortswandel.planning import selectors, services
from ortswandel.planning.models import ProjectionRun, RunStatus, SavedScenario
from ortswandel.planning.workspace import ScenarioChoice, Settings

from .conftest import AGS, needs_data

pytestmark = [pytest.mark.django_db, needs_data]

URL = f"/planen/{AGS}/"
CHANGED = {
    "horizon": "20",
    "tfr": "1,7",
    "s1_kind": "housing",
    "s1_name": "Neubaugebiet Nord",
    "s1_year": "2025",
    "s1_per_year": "30",
    "s1_years": "4",
    "s1_building_type": "detached",
    "cap_kita_3_6": "300",
}


def test_default_projection_in_one_click(client):
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Wittenberge" in html
    assert re.search(r"Diese Methode lag nach 3 Jahren im Mittel um \d+,\d %", html)
    assert "<caption" in html and 'scope="col"' in html
    assert "Einwohnerzahl. Basis: von 16.837" in html  # text alternative of the totals chart
    assert "Standard: " in html and "Quelle: " in html


def test_changed_assumption_and_scenario_side_by_side(client):
    r = client.get(URL, CHANGED)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Neubaugebiet Nord" in html
    assert "Schwellenjahre" in html
    assert 'value="1,7"' in html  # the changed value is shown back


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tfr", "abc", "Bitte eine Zahl eingeben."),
        ("horizon", "30", "Bitte einen Wert bis 25 eingeben."),
        ("e0_female", "-5", "Bitte einen Wert ab 60 eingeben."),
        ("cap_kita_u3", "1e99", "Bitte"),
    ],
)
def test_bad_input_is_a_400_with_the_message_next_to_the_field(client, field, value, message):
    r = client.get(URL, {**CHANGED, field: value})
    assert r.status_code == 400
    html = r.content.decode()
    assert f'id="id_{field}-error"' in html and message in html
    assert re.search(rf'id="id_{field}"[^>]*aria-invalid="true"', html)


def test_scenario_without_its_numbers_is_rejected(client):
    r = client.get(URL, {"horizon": "25", "s2_kind": "housing"})
    assert r.status_code == 400
    assert 'id="id_s2_per_year-error"' in r.content.decode()


@pytest.mark.parametrize("ags", ["99999999", "123", "120704240000"])
def test_unknown_or_malformed_ags_is_404_with_a_search_box(client, ags):
    r = client.get(f"/planen/{ags}/")
    assert r.status_code == 404
    assert 'role="search"' in r.content.decode() and 'name="q"' in r.content.decode()


def test_exports(client):
    csv = client.get(f"{URL}export.csv", CHANGED)
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Einwohner insgesamt" in text and "Neubaugebiet Nord" in text and "Annahmen" in text
    xlsx = client.get(f"{URL}export.xlsx", CHANGED)
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx.content))
    assert "Einwohner insgesamt" in wb.sheetnames and "Annahmen" in wb.sheetnames
    pdf = client.get(f"{URL}export.pdf", CHANGED)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"{URL}export.doc").status_code == 404
    assert client.get(f"{URL}export.csv", {"horizon": "99"}).status_code == 400


def test_save_requires_login(client):
    r = client.post(f"{URL}speichern/", {**CHANGED, "name": "A"})
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("accounts:login"))
    assert not SavedScenario.objects.exists()


def test_save_share_and_revoke(client, registered_user):
    client.force_login(registered_user)
    r = client.post(f"{URL}speichern/", {**CHANGED, "name": "Nord 2025"})
    assert r.status_code == 302
    sc = SavedScenario.objects.get()
    assert sc.owner == registered_user and sc.ags == AGS and sc.settings["tfr"] == 1.7
    assert sc.document["scenarios"][0]["name"] == "Neubaugebiet Nord"
    assert AuditEntry.objects.filter(action="planning.scenario.saved").count() == 1
    page = client.get(r["Location"])
    assert page.status_code == 200
    share_url = re.search(r'id="share-url" value="([^"]+)"', page.content.decode()).group(1)
    # the same name again: a message next to the name field, nothing saved
    again = client.post(f"{URL}speichern/", {**CHANGED, "name": "Nord 2025"})
    assert again.status_code == 409 and 'id="id_name-error"' in again.content.decode()
    client.logout()
    shared = client.get(share_url)
    assert shared.status_code == 200 and "nur lesen" in shared.content.decode()
    assert "share-url" not in shared.content.decode()
    client.force_login(registered_user)
    assert client.post(reverse("planning:saved_revoke", args=[sc.pk])).status_code == 302
    client.logout()
    assert client.get(share_url).status_code == 404


def test_forged_share_link_is_404(client):
    assert client.get("/planen/geteilt/abc/").status_code == 404


def test_delete(client, registered_user):
    sc = services.saved_scenario_create(
        owner=registered_user, ags=AGS, name="Weg damit", settings=Settings()
    )
    client.force_login(registered_user)
    assert client.post(reverse("planning:saved_delete", args=[sc.pk])).status_code == 302
    assert not SavedScenario.objects.exists()


def test_background_run_with_progress(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"{URL}berechnen/", {**CHANGED})
    assert r.status_code == 302
    run = ProjectionRun.objects.get()
    assert run.status == RunStatus.DONE and run.progress == 100
    assert set(run.result["scenarios"]) == {"Basis", "Neubaugebiet Nord"}
    page = client.get(r["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "<progress" in html
    assert html.count('<figure class="chart"') == 2  # one fan chart per scenario, with its table
    assert "Neubaugebiet Nord" in html
    status = client.get(r["Location"], {"format": "json"}).json()
    assert status == {"status": "done", "progress": 100}
    assert client.get("/planen/lauf/not-a-uuid/").status_code == 404


def test_queued_run_page_refreshes_itself(client):
    run = ProjectionRun.objects.create(ags=AGS, settings=Settings().as_dict())
    html = client.get(reverse("planning:run", args=[run.pk])).content.decode()
    assert 'http-equiv="refresh"' in html and 'value="0"' in html


def test_result_cache_is_keyed_by_settings():
    a = selectors.workspace_result(ags=AGS, s=Settings())
    b = selectors.workspace_result(
        ags=AGS, s=Settings(scenarios=(ScenarioChoice("migration", "M", 2024, factor=2.0),))
    )
    assert a["scenarios"] == ["Basis"] and b["scenarios"] == ["Basis", "M"]


@pytest.mark.parametrize(
    "choice",
    [
        ScenarioChoice("housing", "Neubau", 2025, per_year=30, years=4, building_type="flat"),
        ScenarioChoice("migration", "Weniger", 2023, factor=0.5),
        ScenarioChoice("kita", "Gruppe zu", 2027, facility="kita_u3", groups=-1, group_size=12),
        ScenarioChoice("school", "Fusion", 2030, facility="primary", places=100),
    ],
)
def test_saved_settings_survive_the_export_query(choice):
    from django.http import QueryDict

    from ortswandel.planning.forms import WorkspaceForm
    from ortswandel.planning.views import _query

    s = Settings(tfr=1.8, capacities={"primary": 500.0}, scenarios=(choice,))
    form = WorkspaceForm(QueryDict(_query(s)), launch=2022, defaults={})
    assert form.is_valid(), form.errors
    assert form.settings() == s


def test_any_form_field_counts_as_submitted(client):
    r = client.get(URL, {"tfr": "abc"})  # without "horizon": still checked, not ignored
    assert r.status_code == 400 and 'id="id_tfr-error"' in r.content.decode()
    assert client.get(URL, {"utm_source": "x"}).status_code == 200  # foreign parameters: ignored


def test_saved_page_says_when_the_data_changed_since(client, registered_user):
    sc = services.saved_scenario_create(
        owner=registered_user, ags=AGS, name="Alt", settings=Settings()
    )
    client.force_login(registered_user)
    url = reverse("planning:saved", args=[sc.pk])
    assert "amtlichen Daten aktualisiert" not in client.get(url).content.decode()
    SavedScenario.objects.filter(pk=sc.pk).update(data_version="older")
    assert "amtlichen Daten aktualisiert" in client.get(url).content.decode()


def test_overwrite_a_saved_scenario_keeps_its_share_link(client, registered_user):
    client.force_login(registered_user)
    client.post(f"{URL}speichern/", {**CHANGED, "name": "Variante"})
    sc = SavedScenario.objects.get()
    token = selectors.share_token(sc)
    r = client.post(
        f"{URL}speichern/", {**CHANGED, "tfr": "1,4", "name": "Variante", "overwrite": "1"}
    )
    assert r.status_code == 302 and SavedScenario.objects.count() == 1
    sc.refresh_from_db()
    assert sc.settings["tfr"] == 1.4
    assert AuditEntry.objects.filter(action="planning.scenario.changed").count() == 1
    assert selectors.shared_scenario(token) == sc


def test_the_workspace_names_the_challenges_of_its_base_projection(client):
    """The base projection's values go through the editors' challenge rules; what they detect is
    named on the page with the knowledge section."""
    from ortswandel.planning.challenges import detect

    html = client.get(URL).content.decode()
    assert "Herausforderungen und wer sie schon angegangen ist" in html
    values = selectors.workspace_result(ags=AGS, s=Settings())["challenge_values"]
    assert values["change_pct"] is not None and values["share_65_horizon"] is not None
    assert values["kita_gap"] is None  # no capacity given: no gap claimed
    for item in detect(values):
        assert str(item.name) in html
    if not detect(values):
        assert "keine der hinterlegten Herausforderungen" in html


def test_challenge_values_of_a_shrinking_ageing_town():
    import numpy as np

    from ortswandel.planning.workspace import challenge_values

    pop = np.zeros((3, 2, 101))
    pop[0, :, :] = 10.0  # 2,020 persons at launch
    pop[-1, :, :60] = 5.0  # the young halve …
    pop[-1, :, 60:] = 12.0  # … the old grow
    kita = {"kita_u3": {"demand": [50.0, 70.0, 60.0], "capacity": [60.0, 60.0, 60.0]}}
    values = challenge_values(pop, kita)
    assert values["change_6_9_pct"] == -50.0
    assert values["change_80_pct"] == 20.0
    assert values["change_pct"] == round(100 * ((600 + 984) / 2020 - 1), 1)
    assert values["kita_gap"] == 10  # worst year: 70 needed, 60 places
    assert values["care_gap"] is None


def test_exports_keep_a_typed_scenario_name_from_becoming_a_formula(client):
    named = {**CHANGED, "s1_name": "=HYPERLINK(1)"}
    text = client.get(f"{URL}export.csv", named).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert not any(cell.startswith("=") for line in text.splitlines() for cell in line.split(";"))
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(client.get(f"{URL}export.xlsx", named).content))
    values = [cell for row in wb["Einwohner insgesamt"].iter_rows(values_only=True) for cell in row]
    assert "'=HYPERLINK(1)" in values


def test_pdf_report_keeps_unicode_text_in_landscape(client, caplog):
    from pypdf import PdfReader

    named = {**CHANGED, "s1_name": "Süd „Am Bahnhof“ – 5 € Miete"}
    with caplog.at_level("WARNING", logger="ortswandel.core.pdf"):
        r = client.get(f"{URL}export.pdf", named)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Süd „Am Bahnhof“ – 5 € Miete" in text  # no more Latin-1 substitutes (- " EUR)
    assert "Bevölkerungsvorausberechnung Wittenberge" in text and "Männer" in text
    assert "Kinder 0–5" in text and "Annahmen" in text and "Einwohner insgesamt" in text
    assert all(page.mediabox.width > page.mediabox.height for page in reader.pages)
    assert reader.metadata.title.startswith("Bevölkerungsvorausberechnung Wittenberge")
    assert "not drawn" not in caplog.text  # every chart drawn as vector graphics
    outline, stack = [], list(reader.outline)
    while stack:
        item = stack.pop()
        stack.extend(item) if isinstance(item, list) else outline.append(item.title)
    assert "Diagramme" in outline and "Quellen" in outline and "Annahmen" in outline
