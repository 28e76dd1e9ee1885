"""Input checks of a registration: the personal fields and the answers to the custom questions.

Pure checks (no database writes); :mod:`.registration` calls them before it takes any lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ortswandel.catalogue.models import OrganisationKind
from ortswandel.core.errors import Unprocessable
from ortswandel.core.questions import AnswerError, clean_answer
from ortswandel.events.models import ANSWER_MAX_LENGTH, Question
from ortswandel.municipalities.models import LAND_NAMES

MAX_ANSWER_LENGTH = ANSWER_MAX_LENGTH
#: Unknown answer keys are named one by one up to this many (never echo a flood back).
MAX_UNKNOWN_LISTED = 10

#: Control characters (NUL, escape, …) have no place in names; PostgreSQL rejects NUL in text
#: outright. (Answers: :mod:`ortswandel.core.questions` allows line breaks and tabs there.)
_CONTROL = {chr(c) for c in range(32)} | {chr(127)}


def _has_control(value: str) -> bool:
    return any(ch in _CONTROL for ch in value)


# --- input checks --------------------------------------------------------------------------


def clean_person(
    *, name: str, email: str, organisation: str, organisation_kind: str, land_code: str
) -> dict[str, str]:
    """Normalise and check the personal fields; raises :class:`Unprocessable` with fields."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    email = (email or "").strip().lower()
    organisation = (organisation or "").strip()
    if not name:
        errors["name"] = _("Bitte geben Sie Ihren Namen an.")
    elif len(name) > 200:
        errors["name"] = _("Der Name darf höchstens 200 Zeichen lang sein.")
    elif _has_control(name):
        errors["name"] = _("Der Name enthält unzulässige Steuerzeichen.")
    try:
        validate_email(email)
        if len(email) > 254 or _has_control(email):
            raise ValidationError("too long or control characters")
    except ValidationError:
        errors["email"] = _("Bitte geben Sie eine gültige E-Mail-Adresse an.")
    if len(organisation) > 300:
        errors["organisation"] = _("Die Organisation darf höchstens 300 Zeichen lang sein.")
    elif _has_control(organisation):
        errors["organisation"] = _("Die Organisation enthält unzulässige Steuerzeichen.")
    if organisation_kind and organisation_kind not in OrganisationKind.values:
        errors["organisation_kind"] = _("Bitte wählen Sie eine Art der Organisation aus der Liste.")
    if land_code and land_code not in LAND_NAMES:
        errors["land_code"] = _("Bitte wählen Sie ein Land aus der Liste.")
    if errors:
        raise Unprocessable(
            _("Bitte prüfen Sie Ihre Angaben."), code="invalid_input", fields=errors
        )
    return {
        "name": name,
        "email": email,
        "organisation": organisation,
        "organisation_kind": organisation_kind or "",
        "land_code": land_code or "",
    }


def _answer_for(question: Question, answers: dict[str, Any]) -> Any:
    for key in (question.key, str(question.pk)):
        if key in answers:
            return answers[key]
    return None


def clean_answers(
    *, questions: Sequence[Question], answers: dict[str, Any] | None
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Check answers against the questions; returns (stored answers, field errors).

    Answers are keyed ``"q<id>"`` (or the bare id); they are stored as
    ``{"<id>": {"question": label, "answer": value}}`` so that the record stays readable even if
    the question is edited later.
    """
    answers = answers or {}
    stored: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for question in questions:
        try:
            value = clean_answer(question.spec(), _answer_for(question, answers))
        except AnswerError as exc:
            errors[f"answers.{question.key}"] = exc.message
            continue
        if value is not None:
            stored[str(question.pk)] = {"question": question.label, "answer": value}
    return stored, errors


def known_answer_keys(questions: Iterable[Question]) -> set[str]:
    keys: set[str] = set()
    for question in questions:
        keys.update({question.key, str(question.pk)})
    return keys
