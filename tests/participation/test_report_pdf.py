"""The final report as PDF: the same content as the HTML report plus the implementation status
history and the survey results as tables; attached to the catalogue result when published.
The text is extracted from the real PDF (pypdf)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from ortswandel.catalogue.models import Result
from ortswandel.participation import accountability, surveys
from ortswandel.participation.models import Choice, PhaseKind, Question

pytestmark = pytest.mark.django_db


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


@pytest.fixture
def report_data(process, idea, moderator, participant, clock):
    process.description = (
        "<p>Wie soll <strong>Stahnsdorf</strong> 2040 aussehen?</p><script>x()</script>"
    )
    process.save(update_fields=["description"])
    outcome = accountability.outcome_create(
        process=process,
        actor=moderator,
        title="Bänke am Teich",
        description="<ul><li>drei Bänke</li><li>ein Mülleimer</li></ul>",
        ideas=[idea],
    )
    accountability.outcome_update_status(
        outcome=outcome, actor=moderator, status="in_progress", progress=40, note="Bestellt"
    )
    accountability.outcome_update_status(
        outcome=outcome,
        actor=moderator,
        status="done",
        progress=100,
        note="Aufgestellt für 1.200 €",
    )
    phase = process.phases.get(kind=PhaseKind.SURVEY)
    question = Question.objects.create(phase=phase, text="Wie oft fahren Sie Bus?", kind="single")
    daily = Choice.objects.create(question=question, label="täglich")
    Choice.objects.create(question=question, label="selten")
    free = Question.objects.create(phase=phase, text="Sonst noch etwas?", kind="text", position=1)
    clock.at(PhaseKind.SURVEY)
    surveys.survey_submit(
        phase=phase,
        user=participant,
        answers={f"q{question.pk}": daily.pk, f"q{free.pk}": "Geheimer Freitext"},
    )
    return process


def test_pdf_has_process_phases_results_history_and_surveys(client, report_data, clock):
    process = report_data
    clock.at("after")
    response = client.get(f"/beteiligung/{process.slug}/abschlussbericht.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="abschlussbericht-{process.slug}.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == f"Abschlussbericht: {process.title}"
    text = pdf_text(response.content)
    assert "Stahnsdorf (AGS 12069616)" in text
    assert "Wie soll Stahnsdorf 2040 aussehen?" in text and "x()" not in text
    assert "<strong>" not in text and "<li>" not in text  # rich text as plain text
    assert "Ideensammlung" in text and "Umfrage" in text  # the phases
    assert "Bänke am Teich" in text and "„Bank am Dorfteich“" in text  # result ← idea
    assert "• drei Bänke" in text
    # the status history, oldest first
    assert text.index("Bestellt") < text.index("Aufgestellt für 1.200 €")
    assert "in Umsetzung" in text and "umgesetzt" in text and "40 %" in text
    assert "Wie oft fahren Sie Bus?" in text and "täglich" in text and "100,0 %" in text
    assert "Freitextantworten: 1" in text and "Geheimer Freitext" not in text
    assert "Quelle:" in text


def test_survey_results_wait_for_the_end_of_the_phase_except_for_managers(
    client, report_data, moderator, clock
):
    process = report_data
    clock.at(PhaseKind.SURVEY)
    url = f"/beteiligung/{process.slug}/abschlussbericht.pdf"
    public = pdf_text(client.get(url).content)
    assert "Die Ergebnisse erscheinen nach dem Ende der Phase." in public
    assert "100,0 %" not in public
    client.force_login(moderator)
    managed = pdf_text(client.get(url).content)
    assert "Zwischenstand" in managed and "100,0 %" in managed


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.usefixtures("media")
def test_publishing_attaches_the_pdf_to_the_catalogue_result(client, report_data, moderator, clock):
    process = report_data
    clock.at("after")
    client.force_login(moderator)
    assert client.post(f"/beteiligung/{process.slug}/moderation/bericht/").status_code == 302
    result = Result.objects.get(slug=f"beteiligung-{process.slug}")
    assert result.file.name.endswith(f"abschlussbericht-{process.slug}.pdf")
    with result.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Bänke am Teich" in text and "täglich" in text
    first = result.file.name
    client.post(f"/beteiligung/{process.slug}/moderation/bericht/")
    result.refresh_from_db()
    assert result.file.name != first  # a fresh copy replaces the old one
    assert Result.objects.filter(slug=f"beteiligung-{process.slug}").count() == 1
