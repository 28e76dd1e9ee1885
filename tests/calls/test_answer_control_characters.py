"""Control characters in a text answer are refused with a German message (PostgreSQL would
refuse a NUL in the JSON column with a server error)."""

from __future__ import annotations

import pytest

from ortswandel.calls import services
from ortswandel.calls.models import Application
from ortswandel.core.errors import Unprocessable

from .conftest import BUDGET
from .test_services import _draft


@pytest.mark.parametrize("text", ["a\x00b", "a\x1bb"])
def test_control_characters_in_an_answer_are_refused(call, applicant, staff_municipality, text):
    draft = _draft(call, applicant, staff_municipality)
    with pytest.raises(Unprocessable) as exc:
        services.application_save(
            application=draft,
            acting_user=applicant,
            title="Neue Mitte",
            answers={"kurzbeschreibung": text},
            budget=BUDGET,
        )
    assert exc.value.fields["kurzbeschreibung"] == "Die Antwort enthält unzulässige Steuerzeichen."
    assert Application.objects.get(pk=draft.pk).answers == {}
    services.application_save(
        application=draft,
        acting_user=applicant,
        title="Neue Mitte",
        answers={"kurzbeschreibung": "Zeile 1\r\n\tZeile 2"},
        budget=BUDGET,
    )
    assert Application.objects.get(pk=draft.pk).answers == {
        "kurzbeschreibung": "Zeile 1\r\n\tZeile 2"
    }
