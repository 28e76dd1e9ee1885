"""HTML forms: they parse input; the services check the rules, and their field errors go back
next to the fields (``apply_error``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ortswandel.core.errors import OrtswandelError
from ortswandel.core.forms import AccessibleForm

from .models import FeedbackStatus, Process

#: A field no person sees (hidden by CSS and from assistive technology); bots fill it in.
HONEYPOT = "website"


def _cells(process: Process, current: str = "") -> list[tuple[str, Any]]:
    """The squares on offer: only those inside the municipality (see :mod:`.places`), plus the
    idea's ``current`` square when it lies outside (placed before the check existed): editing
    the text must not silently drop its place."""
    from .places import offered_cells

    cells: list[tuple[str, Any]] = [("", _("kein Ort auf der Karte"))]
    offered = offered_cells(process)
    cells += [(cell, cell) for cell in offered]
    if current and current not in offered:
        cells.append(
            (
                current,
                _("%(cell)s (bisheriger Ort, außerhalb der Gemeindefläche)") % {"cell": current},
            )
        )
    return cells


class ServiceErrorsMixin:
    def apply_error(self: Any, error: OrtswandelError) -> None:
        attached = False
        for field, message in error.fields.items():
            target = "cell" if field in {"map_x", "map_y"} else field
            if target in self.fields:
                self.add_error(target, message)
                attached = True
        if not attached or not error.fields:
            self.add_error(None, error.message)


class HoneypotMixin:
    def add_honeypot(self: Any) -> None:
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Bitte dieses Feld leer lassen"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def is_bot(self: Any) -> bool:
        return bool(self.data.get(HONEYPOT))


class JoinForm(ServiceErrorsMixin, AccessibleForm):
    display_name = forms.CharField(
        label=_("Anzeigename"),
        max_length=60,
        help_text=_(
            "Unter diesem Namen erscheinen Ihre Beiträge. "
            "Sie müssen nicht Ihren echten Namen angeben."
        ),
    )
    accept_code = forms.BooleanField(
        label=_("Ich akzeptiere die Verhaltensregeln."), required=False
    )
    resident = forms.BooleanField(
        label=_("Ich wohne in der Kommune (Selbsterklärung)."), required=False
    )
    code = forms.CharField(label=_("Einladungscode"), max_length=32, required=False)

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if process.admission != "residents":
            del self.fields["resident"]
        if process.admission != "invitation":
            del self.fields["code"]


class IdeaForm(ServiceErrorsMixin, HoneypotMixin, AccessibleForm):
    title = forms.CharField(label=_("Titel"), max_length=120)
    text = forms.CharField(label=_("Beschreibung"), widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.TypedChoiceField(
        label=_("Kategorie"), required=False, coerce=int, empty_value=None
    )
    cell = forms.ChoiceField(
        label=_("Planquadrat auf der Karte"),
        required=False,
        help_text=_(
            "Spalten A–J von West nach Ost, Zeilen 1–10 von Nord nach Süd. "
            "Auf der Karte können Sie auch klicken oder die Pfeiltasten benutzen."
        ),
    )
    location_text = forms.CharField(
        label=_("Ort (Adresse oder Beschreibung)"), max_length=200, required=False
    )
    image = forms.ImageField(label=_("Bild"), required=False)
    image_alt = forms.CharField(
        label=_("Bildbeschreibung (Alternativtext)"),
        max_length=300,
        required=False,
        help_text=_("Pflicht, wenn Sie ein Bild hochladen: Was ist darauf zu sehen?"),
    )
    cost = forms.DecimalField(
        label=_("geschätzte Kosten (€)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )

    def __init__(
        self,
        *args: Any,
        process: Process,
        edit: bool = False,
        current_cell: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cell"].choices = _cells(process, current_cell)  # type: ignore[attr-defined]
        self.fields["cell"].error_messages["invalid_choice"] = _(
            "Das Planquadrat %%(value)s liegt außerhalb von %(name)s oder gibt es nicht. Bitte "
            "wählen Sie ein Planquadrat, das die Gemeindefläche berührt."
        ) % {"name": process.municipality.name}
        categories: list[tuple[Any, Any]] = [("", _("keine"))]
        categories += [(c.pk, c.name) for c in process.categories.all()]
        self.fields["category"].choices = categories  # type: ignore[attr-defined]
        if not process.phases.filter(kind="budget").exists():
            del self.fields["cost"]
        if edit:
            del self.fields["image"], self.fields["image_alt"]
        else:
            self.add_honeypot()
        self._describe_all()


class CommentForm(ServiceErrorsMixin, HoneypotMixin, AccessibleForm):
    text = forms.CharField(
        label=_("Ihr Kommentar"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_honeypot()


class ReportForm(ServiceErrorsMixin, AccessibleForm):
    reason = forms.CharField(
        label=_("Grund der Meldung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class HideForm(ServiceErrorsMixin, AccessibleForm):
    reason = forms.CharField(
        label=_("Grund für das Ausblenden (öffentlich sichtbar)"), max_length=300, required=False
    )


class FeedbackForm(ServiceErrorsMixin, AccessibleForm):
    status = forms.ChoiceField(label=_("Status"), choices=FeedbackStatus.choices, required=False)
    text = forms.CharField(
        label=_("Begründung (öffentlich)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
