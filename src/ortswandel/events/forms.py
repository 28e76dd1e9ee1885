"""HTML forms. They only parse input; every rule is checked by the services, whose field errors
are put back onto the form (``apply_error``) so that messages sit next to their fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ortswandel.catalogue.models import OrganisationKind
from ortswandel.core.errors import OrtswandelError
from ortswandel.core.forms import AccessibleForm
from ortswandel.core.questions import form_field

from .models import LAND_CHOICES, Event, Question
from .services.organiser import AUDIENCES

__all__ = ["AccessibleForm", "MessageForm", "PersonForm", "SeriesRegistrationForm"]


class PersonForm(AccessibleForm):
    name = forms.CharField(label=_("Vor- und Nachname"), max_length=200, required=False)
    email = forms.CharField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"), max_length=300, required=False
    )
    organisation_kind = forms.ChoiceField(
        label=_("Art der Organisation (optional, für die Statistik)"),
        choices=[("", _("keine Angabe")), *OrganisationKind.choices],
        required=False,
    )
    land_code = forms.ChoiceField(
        label=_("Land (optional, für die Statistik)"),
        choices=[("", _("keine Angabe")), *LAND_CHOICES],
        required=False,
    )
    consent = forms.BooleanField(required=False)

    def __init__(self, *args: Any, questions: Sequence[Question] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autocomplete": "name", "aria-required": "true"})
        self.fields["email"].widget.attrs["aria-required"] = "true"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.questions = list(questions)
        for question in self.questions:
            self.fields[question.key] = form_field(question.spec())
        self._describe_all()

    def answers(self) -> dict[str, Any]:
        return {q.key: self.cleaned_data.get(q.key) for q in self.questions}

    def question_fields(self) -> list[tuple[Question, forms.BoundField]]:
        return [(q, self[q.key]) for q in self.questions]

    def apply_error(self, error: OrtswandelError) -> None:
        """Attach a service error's field messages to the matching fields (else: non-field)."""
        attached = False
        for field, message in error.fields.items():
            name = field.removeprefix("answers.")
            if name in self.fields:
                self.add_error(name, message)
                attached = True
        if not attached or not error.fields:
            self.add_error(None, error.message)


class SeriesRegistrationForm(PersonForm):
    events = forms.MultipleChoiceField(
        label=_("Veranstaltungen"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, events: Sequence[Event] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_events = list(events)
        choices = [(str(e.pk), e.title) for e in self.open_events]
        self.fields["events"].choices = choices  # type: ignore[attr-defined]
        self._describe_all()

    def selected_events(self) -> list[Event]:
        chosen = set(self.cleaned_data.get("events") or [])
        return [e for e in self.open_events if str(e.pk) in chosen]


class MessageForm(AccessibleForm):
    audience = forms.ChoiceField(
        label=_("An"),
        choices=[
            ("confirmed", _("bestätigte Teilnehmende")),
            ("waitlisted", _("Warteliste")),
            ("pending", _("noch nicht bestätigte Anmeldungen")),
            ("all", _("alle aktiven Anmeldungen")),
        ],
    )
    subject = forms.CharField(label=_("Betreff"), max_length=200)
    body = forms.CharField(label=_("Nachricht"), max_length=10000, widget=forms.Textarea)

    def clean_audience(self) -> str:
        value = self.cleaned_data["audience"]
        if value not in AUDIENCES:
            raise forms.ValidationError(_("Bitte wählen Sie einen Empfängerkreis."))
        return value
