"""Forms of the survey editor (back office): they parse input; the rules (choices, limits, the
lock once answers exist) live in :mod:`.survey_editor`, whose field errors come back here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ortswandel.events.forms import AccessibleForm

from .forms import ServiceErrorsMixin
from .models import QuestionKind
from .survey_editor import MAX_CHOICES, QuestionData, split_choices

_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SurveyPhaseForm(ServiceErrorsMixin, AccessibleForm):
    name = forms.CharField(label=_("Name der Umfrage"), max_length=200)
    description = forms.CharField(
        label=_("Einleitung (öffentlich)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_at = forms.DateTimeField(label=_("Beginn"), widget=_LOCAL)
    ends_at = forms.DateTimeField(label=_("Ende"), widget=_LOCAL)


class QuestionForm(ServiceErrorsMixin, AccessibleForm):
    text = forms.CharField(label=_("Frage"), max_length=300)
    kind = forms.ChoiceField(label=_("Art der Frage"), choices=QuestionKind.choices)
    choices = forms.CharField(
        label=_("Antwortmöglichkeiten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Eine Antwortmöglichkeit je Zeile, in der gewünschten Reihenfolge (2 bis %(n)d). "
            "Bei Freitextfragen leer lassen."
        )
        % {"n": MAX_CHOICES},
    )
    required = forms.BooleanField(label=_("Pflichtfrage"), required=False)
    max_choices = forms.IntegerField(
        label=_("Höchstzahl Antworten bzw. Ränge"),
        required=False,
        min_value=1,
        max_value=MAX_CHOICES,
        help_text=_("Nur bei Mehrfachauswahl und Rangfolge; leer lassen = keine Grenze."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def data_for_service(self) -> QuestionData:
        data = self.cleaned_data
        return QuestionData(
            text=data["text"],
            kind=data["kind"],
            choices=split_choices(data.get("choices") or ""),
            required=bool(data.get("required")),
            max_choices=data.get("max_choices"),
        )


def question_initial(question: Any) -> dict[str, Any]:
    return {
        "text": question.text,
        "kind": question.kind,
        "choices": "\n".join(c.label for c in question.choices.all()),
        "required": question.required,
        "max_choices": question.max_choices,
    }
