"""HTML forms. They only parse input; every rule is checked by the services, whose field errors
are put back onto the form (``apply_error``) so that messages sit next to their fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ortswandel.catalogue.models import OrganisationKind
from ortswandel.core.errors import OrtswandelError

from .models import LAND_CHOICES, Event, Question, QuestionKind
from .services.organiser import AUDIENCES


class AccessibleForm(forms.Form):
    """Ties help texts and errors to their inputs (``aria-describedby``, ``aria-invalid``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe_all()

    def _describe_all(self) -> None:
        for name in self.fields:
            self._describe(name)

    def _describe(self, name: str) -> None:
        field = self.fields[name]
        auto_id = self[name].auto_id
        ids = []
        if field.help_text:
            ids.append(f"{auto_id}-help")
        if self.is_bound and name in self._errors_or_empty():
            ids.append(f"{auto_id}-error")
            field.widget.attrs["aria-invalid"] = "true"
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)

    def _errors_or_empty(self) -> dict[str, Any]:
        return getattr(self, "_errors", None) or {}

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        if field and field in self.fields:
            self._describe(field)


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
            self.fields[question.key] = _question_field(question)
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


def _question_field(question: Question) -> forms.Field:
    field = _question_field_unmarked(question)
    if question.is_required:
        # Marked before the first submit: in the label (text, not only a symbol) and for
        # assistive technology; the form is ``novalidate``, so the services still check it.
        field.widget.attrs.update({"required": True, "aria-required": "true"})
    return field


def _question_field_unmarked(question: Question) -> forms.Field:
    label = (
        _("%(label)s (Pflichtangabe)") % {"label": question.label}
        if question.is_required
        else _("%(label)s (optional)") % {"label": question.label}
    )
    if question.kind == QuestionKind.CHOICE:
        return forms.ChoiceField(
            label=label,
            choices=[("", _("– bitte wählen –")), *[(c, c) for c in question.choice_list]],
            required=False,
            help_text=question.help_text,
        )
    if question.kind == QuestionKind.CONSENT:
        return forms.BooleanField(label=label, required=False, help_text=question.help_text)
    return forms.CharField(
        label=label,
        max_length=2000,
        required=False,
        help_text=question.help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


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
