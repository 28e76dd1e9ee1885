"""Polls/surveys per phase and participatory budgeting: validation, one response/ballot per
person, results with Borda points for rankings, knapsack budget, CSV export."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ortswandel.core.errors import Conflict, InvalidInput, PermissionDenied
from ortswandel.participation import surveys
from ortswandel.participation.models import Choice, Idea, PhaseKind, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(process):
    phase = process.phases.get(kind=PhaseKind.SURVEY)
    single = Question.objects.create(phase=phase, text="Wie oft fahren Sie Bus?", kind="single")
    for label in ("täglich", "selten"):
        Choice.objects.create(question=single, label=label)
    rank = Question.objects.create(
        phase=phase, text="Was ist am wichtigsten?", kind="ranking", position=1
    )
    for label in ("Radwege", "Bänke", "Licht"):
        Choice.objects.create(question=rank, label=label)
    Question.objects.create(phase=phase, text="Sonst noch etwas?", kind="text", position=2)
    return phase


def _answers(phase, single: int, ranking: list[int], text: str = "") -> dict:
    q1, q2, q3 = phase.questions.all()
    c1 = list(q1.choices.all())
    c2 = list(q2.choices.all())
    return {f"q{q1.pk}": c1[single].pk, f"q{q2.pk}": [c2[i].pk for i in ranking], f"q{q3.pk}": text}


def test_survey_once_per_person_with_borda_results(
    survey, participant, moderator, clock, django_user_model
):
    from .conftest import join

    clock.at(PhaseKind.SURVEY)
    surveys.survey_submit(
        phase=survey, user=participant, answers=_answers(survey, 0, [0, 1, 2], "Mehr Licht")
    )
    with pytest.raises(Conflict):
        surveys.survey_submit(phase=survey, user=participant, answers=_answers(survey, 1, [2]))
    bob = django_user_model.objects.create_user(username="bob", email="bob@example.org")
    join(survey.process, bob, "Bob")
    surveys.survey_submit(phase=survey, user=bob, answers=_answers(survey, 0, [2, 0]))
    single, ranking, text = surveys.survey_results(survey)
    assert single["rows"] == [("täglich", 2, 100.0), ("selten", 0, 0.0)]
    # Radwege: 3 + 2, Bänke: 2, Licht: 1 + 3
    assert [r[:2] for r in ranking["rows"]] == [("Radwege", 5), ("Bänke", 2), ("Licht", 4)]
    assert text["texts"] == ["Mehr Licht"]
    assert "Mehr Licht" in surveys.survey_csv(survey, with_texts=True)
    assert "Mehr Licht" not in surveys.survey_csv(survey, with_texts=False)


def test_survey_validation_and_phase(survey, participant, clock):
    clock.at(PhaseKind.SURVEY)
    q1 = survey.questions.first()
    with pytest.raises(InvalidInput) as exc:
        surveys.survey_submit(phase=survey, user=participant, answers={f"q{q1.pk}": "999999"})
    assert f"q{q1.pk}" in exc.value.fields
    clock.at(PhaseKind.RESULTS)
    with pytest.raises(PermissionDenied):
        surveys.survey_submit(phase=survey, user=participant, answers=_answers(survey, 0, [0]))


def test_knapsack_ballot_within_budget(process, participant, clock):
    phase = process.phases.get(kind=PhaseKind.BUDGET)  # budget 10,000 €
    cheap = Idea.objects.create(
        process=process, author_name="A", title="Bank", text="x", cost=Decimal("3000")
    )
    dear = Idea.objects.create(
        process=process, author_name="A", title="Brücke", text="x", cost=Decimal("9000")
    )
    clock.at(PhaseKind.BUDGET)
    with pytest.raises(InvalidInput) as exc:
        surveys.ballot_submit(phase=phase, user=participant, idea_ids=[cheap.pk, dear.pk])
    assert "ideas" in exc.value.fields
    surveys.ballot_submit(phase=phase, user=participant, idea_ids=[dear.pk])
    with pytest.raises(Conflict):
        surveys.ballot_submit(phase=phase, user=participant, idea_ids=[cheap.pk])
    rows = surveys.budget_results(phase)
    assert [(r["idea"].title, r["votes"], r["funded"]) for r in rows] == [
        ("Brücke", 1, True),
        ("Bank", 0, False),
    ]


def test_phase_page_survey_flow_and_csv(client, survey, participant, clock):
    clock.at(PhaseKind.SURVEY)
    client.force_login(participant)
    url = f"/beteiligung/{survey.process.slug}/phasen/{survey.pk}/"
    assert client.get(url).status_code == 200
    q1, q2, _q3 = survey.questions.all()
    c1 = q1.choices.first()
    ranks = {f"r{q2.pk}_{c.pk}": str(i + 1) for i, c in enumerate(q2.choices.all())}
    response = client.post(url, {f"q{q1.pk}": str(c1.pk), **ranks})
    assert response.status_code == 200 and "gespeichert" in response.content.decode()
    assert client.get(url + "ergebnisse.csv").status_code == 403  # before the end
    clock.at("after")
    csv = client.get(url + "ergebnisse.csv")
    assert csv.status_code == 200 and "Radwege" in csv.content.decode("utf-8-sig")
    page = client.get(url).content.decode()
    assert "chart-canvas" in page and "<table" in page and "Radwege" in page


def test_csv_exports_never_turn_typed_text_into_formulas(  # noqa: PLR0917 - fixtures
    client, survey, process, participant, moderator, clock
):
    """Free-text answers and proposal titles are typed by participants; a leading ``=``, ``+``,
    ``-`` or ``@`` would run as a formula when a moderator opens the CSV in a spreadsheet."""
    import csv
    import io

    clock.at(PhaseKind.SURVEY)
    surveys.survey_submit(
        phase=survey,
        user=participant,
        answers=_answers(survey, 0, [0], '=HYPERLINK("http://evil.example","klick")'),
    )
    text = surveys.survey_csv(survey, with_texts=True)
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert '\'=HYPERLINK("http://evil.example","klick")' in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)

    budget = process.phases.get(kind=PhaseKind.BUDGET)
    Idea.objects.create(
        process=process, author_name="A", title="@SUM(A1:A9)", text="x", cost=Decimal("3000")
    )
    clock.at(PhaseKind.RESULTS)
    client.force_login(moderator)
    response = client.get(f"/beteiligung/{process.slug}/phasen/{budget.pk}/ergebnisse.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["'@SUM(A1:A9)", "0", "3000.00", "nein"] in rows
