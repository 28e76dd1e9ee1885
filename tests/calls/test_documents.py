"""PDF documents of the calls app: the copy of a submitted application (also as jurors see it in
blind review) and the grant letters. The text is extracted from the real PDF (pypdf)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from ortswandel.calls.models import (
    ApplicationStatus,
    Attachment,
    Budget,
    Call,
    Grant,
    Milestone,
    MilestoneKind,
)
from ortswandel.core.pdf import unicode_font

pytestmark = pytest.mark.django_db


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def _download(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")
    return response


@pytest.fixture
def attachment(application, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    att = Attachment(application=application, title="Lageplan Süd", size=2048)
    att.file.save("lageplan.pdf", SimpleUploadedFile("lageplan.pdf", b"%PDF-1.4 x"), save=False)
    att.save()
    return att


def test_applicant_copy_has_answers_budget_attachments_and_berlin_time(
    client, application, applicant, attachment
):
    application.submitted_at = timezone.make_aware(timezone.datetime(2026, 3, 5, 13, 30))
    application.save(update_fields=["submitted_at"])
    response = _download(
        client, applicant, f"/ausschreibungen/bewerbung/{application.pk}/bewerbung.pdf"
    )
    assert f'filename="bewerbung-{application.pk}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Quartier der Generationen" in text
    assert "Stahnsdorf" in text and "Teltow, Stadt" in text  # applicant and co-applicant
    assert "Wohnungsgenossenschaft Beispiel eG" in text
    assert "Ein Quartier für alle Generationen." in text  # umlaut survives
    assert "Schwerpunkt" in text and "Quartier" in text
    assert "rathaus@stahnsdorf.example" in text  # the applicant's own copy names the applicant
    # budget per year with own share: 50.000 total, 10.000 own = 20 %, 40.000 requested each year
    assert "50.000,00 €" in text and "10.000,00 €" in text
    assert "20,0 %" in text
    assert "80.000,00 €" in text  # requested over both years
    assert "Lageplan Süd" in text and "2,0" in text  # attachment with its size
    # 13:30 (Berlin is the site's zone); the line names the zone
    assert "05.03.2026 13:30" in text and "Europe/Berlin" in text
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Bewerbung: Quartier der Generationen"


def test_blind_review_copy_hides_the_applicant_as_the_page_does(
    client, application, juror, programme_editor, attachment
):
    assert application.call.blind_review
    url = f"/ausschreibungen/bewerbung/{application.pk}/bewerbung.pdf"
    client.force_login(juror)
    html = client.get(f"/ausschreibungen/bewerbung/{application.pk}/").content.decode()
    response = _download(client, juror, url)
    text = pdf_text(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    hidden = ["Stahnsdorf", "Teltow", "rathaus@", "Wohnungsgenossenschaft", "12069616"]
    for secret in hidden:
        assert secret not in html, secret  # the page hides it …
        assert secret not in text, secret  # … and so does the PDF
        assert secret not in str(reader.metadata), secret
    assert "Ein Quartier für alle Generationen." in text
    assert f"Bewerbung {application.pk}: Quartier der Generationen" in text
    assert "Verdeckte Begutachtung" in text
    assert "Lageplan Süd" in text
    assert "Quartier der Generationen" not in response["Content-Disposition"]
    # the programme's managers see who applied
    manager = pdf_text(_download(client, programme_editor, url).content)
    assert "Stahnsdorf" in manager
    assert "rathaus@stahnsdorf.example" not in manager  # as on the page: applicant only


def test_after_the_decision_jurors_see_the_municipality(client, application, juror):
    call = application.call
    call.phase = "decided"
    call.save(update_fields=["phase"])
    url = f"/ausschreibungen/bewerbung/{application.pk}/bewerbung.pdf"
    assert "Stahnsdorf" in pdf_text(_download(client, juror, url).content)


@pytest.mark.skipif(unicode_font() is None, reason="no Unicode font installed")
def test_european_names_keep_their_letters(client, application, applicant):
    application.answers = {**application.answers, "kurzbeschreibung": "Łukasz Dvořák, Şahin Øberg"}
    application.save(update_fields=["answers"])
    url = f"/ausschreibungen/bewerbung/{application.pk}/bewerbung.pdf"
    assert "Łukasz Dvořák, Şahin Øberg" in pdf_text(_download(client, applicant, url).content)


@pytest.fixture
def selected(application, programme_editor):
    call = application.call
    application.status = ApplicationStatus.SELECTED
    application.save(update_fields=["status"])
    for year, amount in ((2024, "40000"), (2025, "35000.50")):
        Grant.objects.create(
            application=application,
            budget=Budget.objects.get(call=call, year=year),
            amount=Decimal(amount),
        )
    Milestone.objects.create(
        application=application,
        kind=MilestoneKind.PAYMENT,
        due_on=date(2024, 4, 1),
        amount=Decimal(20000),
        label="Erste Rate",
    )
    Milestone.objects.create(
        application=application,
        kind=MilestoneKind.REPORT,
        due_on=date(2025, 1, 31),
        label="Zwischenbericht über Maßnahmen",
    )
    return application


def test_grant_letter_lists_grants_per_year_and_what_is_due(client, selected, programme_editor):
    call = selected.call
    url = f"/ausschreibungen/{call.slug}/foerderung/foerderzusage-{selected.pk}.pdf"
    response = _download(client, programme_editor, url)
    assert f"foerderzusage-12069616-{selected.pk}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Förderzusage: Quartier der Generationen" in text
    assert "Stahnsdorf (AGS 12069616)" in text
    assert "40.000,00 €" in text and "35.000,50 €" in text and "75.000,50 €" in text
    assert "01.04.2024" in text and "Erste Rate" in text and "20.000,00 €" in text
    assert "31.01.2025" in text and "Zwischenbericht über Maßnahmen" in text
    assert f"{call.slug}/{selected.pk}" in text  # the reference, as in the XLSX export
    assert "Quelle: Ortswandel" in text


def test_grant_letters_zip_has_one_pdf_per_selected_application(
    client, selected, other_applicant, programme_editor
):
    call = selected.call
    client.force_login(programme_editor)
    response = client.get(f"/ausschreibungen/{call.slug}/foerderung/foerderzusagen.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [f"foerderzusage-12069616-{selected.pk}.pdf"]  # not "Grüne Mitte"
    assert "75.000,50 €" in pdf_text(archive.read(archive.namelist()[0]))


def test_grant_letter_of_an_application_of_another_call_is_404(
    client, selected, programme_editor, programme
):
    other = Call.objects.create(
        programme=programme,
        title="Andere",
        slug="andere",
        opens_at=timezone.now(),
        closes_at=timezone.now(),
        max_grant=Decimal(1),
    )
    client.force_login(programme_editor)
    response = client.get(
        f"/ausschreibungen/{other.slug}/foerderung/foerderzusage-{selected.pk}.pdf"
    )
    assert response.status_code == 404
