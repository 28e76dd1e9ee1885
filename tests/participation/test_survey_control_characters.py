"""A control character in a free-text survey answer is refused with a German message
(PostgreSQL refuses NUL in text: it would be a server error)."""

from __future__ import annotations

import pytest

from ortswandel.core.errors import InvalidInput
from ortswandel.participation import surveys
from ortswandel.participation.models import PhaseKind, Question, SurveyResponse

pytestmark = pytest.mark.django_db


def test_control_characters_in_a_text_answer_are_refused(process, participant, clock):
    clock.at(PhaseKind.SURVEY)
    phase = process.phases.get(kind=PhaseKind.SURVEY)
    question = Question.objects.create(phase=phase, text="Sonst noch etwas?", kind="text")
    with pytest.raises(InvalidInput) as exc:
        surveys.survey_submit(phase=phase, user=participant, answers={question.key: "a\x00b"})
    assert exc.value.fields == {question.key: "Die Antwort enthält unzulässige Steuerzeichen."}
    assert not SurveyResponse.objects.exists()
    surveys.survey_submit(phase=phase, user=participant, answers={question.key: "Mehr\nLicht"})
    assert question.answers.get().text == "Mehr\nLicht"
