"""The shared question foundation (:mod:`ortswandel.core.questions`): every built-in kind with a
valid answer, an invalid one (German message), its limits, required and choices; the form
field factory, display, drafts and the extension point."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.utils import translation
from django.utils.formats import number_format

from ortswandel.core import questions
from ortswandel.core.questions import AnswerError, QuestionSpec, clean_answer


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def spec(kind: str, **kwargs: Any) -> QuestionSpec:
    return QuestionSpec(key="q1", label="Ihre Frage", kind=kind, **kwargs)


def error(s: QuestionSpec, raw: Any, **kwargs: Any) -> AnswerError:
    with pytest.raises(AnswerError) as info:
        clean_answer(s, raw, **kwargs)
    return info.value


# --- text -------------------------------------------------------------------------------------


def test_text_is_stripped_and_kept():
    assert clean_answer(spec("text"), "  Zeile 1\nZeile 2\t ") == "Zeile 1\nZeile 2"
    assert clean_answer(spec("text"), "   ") is None
    assert clean_answer(spec("text"), None) is None


def test_text_limits():
    s = spec("text", min_length=3, max_length=5)
    assert clean_answer(s, "abcde") == "abcde"
    too_long = error(s, "abcdef")
    assert (too_long.code, too_long.message) == (
        "max_length",
        "Die Antwort darf höchstens 5 Zeichen lang sein.",
    )
    too_short = error(s, "ab")
    assert (too_short.code, too_short.message) == ("min_length", "Mindestens 3 Zeichen.")
    # a draft may fall short, never run over
    assert clean_answer(s, "ab", complete=False) == "ab"
    assert error(s, "abcdef", complete=False).code == "max_length"


def test_text_refuses_other_types_and_control_characters():
    assert error(spec("text"), {"a": 1}).message == (
        "Bitte beantworten Sie die Frage mit einem Text."
    )
    assert error(spec("text"), "a\x00b").message == (
        "Die Antwort enthält unzulässige Steuerzeichen."
    )
    assert error(spec("text"), "a\x1bb").code == "control"
    lenient = {"text": questions.TextKind(reject_control=False)}
    assert clean_answer(spec("text"), "a\x1bb", kinds=lenient) == "a\x1bb"


def test_required_text():
    s = spec("text", required=True)
    assert error(s, "  ").message == "Bitte beantworten Sie die Frage „Ihre Frage“."
    assert error(s, None).code == "required"
    assert clean_answer(s, None, complete=False) is None
    assert clean_answer(s, "ja") == "ja"


# --- number -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", "12"), ("1.234,5", "1234.5"), ("1 000", "1000"), ("-0,25", "-0.25"), (7, "7")],
)
def test_number_reads_german_and_plain_notation(raw, expected):
    assert clean_answer(spec("number"), raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["zwölf", "1,2,3", "NaN", "-Infinity", "12 €"])
def test_number_refuses_what_is_no_finite_number(raw):
    failure = error(spec("number"), raw)
    assert (failure.code, failure.message) == ("number", "Bitte geben Sie eine Zahl ein.")


def test_number_limits():
    s = spec("number", min_value=Decimal(0), max_value=Decimal(1000000))
    assert clean_answer(s, "0") == 0
    assert clean_answer(s, "1.000.000,00") == 1000000
    assert error(s, "-1").message == "Mindestens 0."
    assert error(s, "1000001").message == f"Höchstens {number_format(Decimal(1000000))}."
    assert error(spec("number", required=True), "").code == "required"


# --- choice -----------------------------------------------------------------------------------


def test_choice_accepts_only_its_choices():
    s = spec("choice", choices=("vegan", "mit Fleisch"))
    assert clean_answer(s, " vegan ") == "vegan"
    assert clean_answer(s, "") is None
    failure = error(s, "Fisch")
    assert (failure.code, failure.message) == (
        "invalid_choice",
        "Bitte wählen Sie eine der angebotenen Möglichkeiten.",
    )
    assert error(s, ["vegan"]).code == "not_text"  # one value, not a list
    assert error(spec("choice", choices=("a",), required=True), None).code == "required"


def test_choice_from_a_list_when_allowed():
    kinds = {"single": questions.ChoiceKind(accept_list=True)}
    s = spec("single", choices=("1", "2"), choice_labels=("Ja", "Nein"))
    assert clean_answer(s, ["2"], kinds=kinds) == "2"
    assert clean_answer(s, [], kinds=kinds) is None
    assert error(s, ["1", "2"], kinds=kinds).message == "Bitte nur eine Antwort wählen."
    assert error(s, ["1", "3"], kinds=kinds).code == "invalid_choice"
    assert error(s, ["1", "1"], kinds=kinds).code == "invalid_choice"


def test_multiple_choice_keeps_order_and_refuses_repeats():
    s = spec("multiple", choices=("a", "b", "c"))
    assert clean_answer(s, ["c", "a"]) == ["c", "a"]
    assert clean_answer(s, "b") == ["b"]
    assert clean_answer(s, []) is None
    assert error(s, ["a", "a"]).code == "invalid_choice"
    assert error(s, ["a", "x"]).message == "Bitte wählen Sie eine der angebotenen Möglichkeiten."
    assert error(s, [{"a": 1}]).code == "invalid_choice"
    assert error(spec("multiple", choices=("a",), required=True), []).code == "required"


# --- consent ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "given"),
    [
        *[(True, True), ("on", True), ("true", True), ("1", True), ("yes", True)],
        *[(False, False), (None, False), ("", False), ("false", False), ("nein", False)],
    ],
)
def test_consent_is_true_or_false(raw, given):
    assert clean_answer(spec("consent"), raw) is given


def test_consent_refuses_other_types_and_required_means_ticked():
    assert error(spec("consent"), [True]).message == "Bitte true oder false angeben."
    assert error(spec("consent"), 1).code == "not_boolean"
    required = spec("consent", required=True)
    assert error(required, False).message == "Bitte bestätigen Sie: Ihre Frage"
    assert clean_answer(required, "on") is True


# --- several answers, wording, extension point ------------------------------------------------


def test_clean_answers_collects_values_and_errors_by_key():
    specs = [
        QuestionSpec(key="name", label="Name", kind="text", required=True),
        QuestionSpec(key="zahl", label="Zahl", kind="number"),
        QuestionSpec(key="leer", label="Leer", kind="text"),
        QuestionSpec(key="ok", label="OK", kind="consent"),
    ]
    answers, errors = questions.clean_answers(specs, {"zahl": "x", "leer": " ", "ok": "on"})
    assert answers == {"ok": True}
    assert errors == {
        "name": "Bitte beantworten Sie die Frage „Name“.",
        "zahl": "Bitte geben Sie eine Zahl ein.",
    }
    answers, errors = questions.clean_answers(specs, {"name": "Ada"}, complete=False)
    assert (answers, errors) == ({"name": "Ada", "ok": False}, {})  # an unticked box: "no"


def test_an_app_may_override_single_messages():
    s = spec("text", required=True, max_length=2)
    own = {"required": "Bitte füllen Sie „%(label)s“ aus.", "max_length": "max %(n)s (%(m)s)"}
    assert error(s, "", messages=own).message == "Bitte füllen Sie „Ihre Frage“ aus."
    assert error(s, "abc", messages=own).message == "max 2 (3)"
    assert error(spec("number"), "x", messages=own).message == "Bitte geben Sie eine Zahl ein."


def test_messages_follow_the_language():
    with translation.override("en"):
        message = error(spec("number"), "x").message
    assert message != "Bitte geben Sie eine Zahl ein." and message


def test_an_app_adds_its_own_kind():
    class Shout(questions.TextKind):
        def check(self, spec, value, messages, *, complete):
            return super().check(spec, value, messages, complete=complete).upper()

    kinds = {**questions.BASE_KINDS, "shout": Shout()}
    assert clean_answer(spec("shout"), "hallo", kinds=kinds) == "HALLO"
    with pytest.raises(ValueError, match="unknown kind 'shout'"):
        clean_answer(spec("shout"), "hallo")


# --- form fields and display ------------------------------------------------------------------


def test_form_fields_by_kind():
    choice = spec("choice", choices=("a", "b"), choice_labels=("A", "B"), help="Hilfe")
    cases = [
        (spec("text", max_length=20), forms.CharField, forms.Textarea),
        (spec("number"), forms.CharField, forms.TextInput),
        (choice, forms.ChoiceField, forms.Select),
        (spec("multiple", choices=("a",)), forms.MultipleChoiceField, forms.CheckboxSelectMultiple),
        (spec("consent"), forms.BooleanField, forms.CheckboxInput),
    ]
    for s, field_class, widget_class in cases:
        field = questions.form_field(s)
        assert type(field) is field_class, s.kind
        assert isinstance(field.widget, widget_class), s.kind
        assert field.required is False  # the services check
        assert field.label == "Ihre Frage (optional)"
    text = questions.form_field(spec("text", max_length=20))
    assert text.max_length == 20
    select = questions.form_field(choice)
    assert list(select.choices) == [("", "– bitte wählen –"), ("a", "A"), ("b", "B")]
    assert select.help_text == "Hilfe"


def test_a_required_field_is_marked_before_the_first_submit():
    field = questions.form_field(spec("text", required=True))
    assert field.label == "Ihre Frage (Pflichtangabe)"
    assert field.widget.attrs["aria-required"] == "true"
    assert field.widget.attrs["required"] is True
    assert "required" not in questions.form_field(spec("text")).widget.attrs


def test_display_for_tables_and_exports():
    choice = spec("choice", choices=("1", "2"), choice_labels=("Ja", "Nein"))
    multiple = spec("multiple", choices=("1", "2"), choice_labels=("Bus", "Bahn"))
    assert questions.display_answer(choice, "2") == "Nein"
    assert questions.display_answer(multiple, ["2", "1"]) == "Bahn; Bus"
    assert questions.display_answer(spec("consent"), True) == "ja"
    assert questions.display_answer(spec("number"), Decimal("2.5")) == "2.5"
    assert questions.display_value(False) == "nein"
    assert questions.display_value(None) == ""


def test_parse_decimal():
    assert questions.parse_decimal("1.234,56") == Decimal("1234.56")
    assert questions.parse_decimal("") is None
    assert questions.parse_decimal("abc") is None


@pytest.mark.django_db
def test_stored_questions_describe_themselves(event):
    from ortswandel.events.models import QuestionKind

    question = event.questions.create(
        kind=QuestionKind.CHOICE, label="Essen", choices="vegan\n\n bunt ", required=True
    )
    s = question.spec()
    assert s.key == question.key == f"q{question.pk}"
    assert (s.kind, s.label, s.required, s.choices) == ("choice", "Essen", True, ("vegan", "bunt"))
    assert clean_answer(s, "bunt") == "bunt"
    consent = event.questions.create(kind=QuestionKind.CONSENT, label="Fotos", required=True)
    assert consent.spec().required is False  # consent stays voluntary (GDPR Art. 7(4))


def test_the_survey_ranking_is_an_app_kind():
    from ortswandel.participation.surveys import SURVEY_KINDS

    s = spec("ranking", choices=("7", "8", "9"), choice_labels=("Bad", "Bus", "Bahn"))
    assert clean_answer(s, ["9", "7"], kinds=SURVEY_KINDS) == ["9", "7"]
    assert error(s, ["9", "9"], kinds=SURVEY_KINDS).code == "invalid_choice"
    assert questions.display_answer(s, ["9", "7"], kinds=SURVEY_KINDS) == "1. Bahn; 2. Bad"
    with pytest.raises(ValueError, match="unknown kind 'ranking'"):
        clean_answer(s, ["9"])  # not a built-in kind
