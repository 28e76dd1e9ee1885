"""Forms of the newsletter: sign-up (with honeypot), preferences, the issue composer."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from ortswandel.catalogue import selectors as catalogue_selectors
from ortswandel.core.errors import OrtswandelError
from ortswandel.municipalities import selectors as municipality_selectors
from ortswandel.municipalities.models import LAND_NAMES

from .models import DigestFrequency, TopicKind
from .services import Topic


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an (name@beispiel.de)."),
        },
    )
    programme = forms.ModelChoiceField(
        label=_("Programm"),
        queryset=catalogue_selectors.published_programmes(),
        required=False,
        to_field_name="slug",
        empty_label=_("– kein Programm –"),
    )
    theme = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=catalogue_selectors.published_themes().select_related("programme"),
        required=False,
        empty_label=_("– kein Thema –"),
    )
    land = forms.ChoiceField(label=_("Land"), required=False)
    ags = forms.CharField(
        label=_("Kommune (Amtlicher Gemeindeschlüssel, 8 Ziffern)"),
        required=False,
        max_length=8,
        help_text=_("Zum Beispiel 12069616 für Stahnsdorf."),
    )
    language = forms.ChoiceField(
        label=_("Sprache der Newsletter"), choices=settings.LANGUAGES, initial="de"
    )
    # Honeypot: hidden from people (CSS and aria-hidden); bots fill it in.
    website = forms.CharField(label=_("Bitte leer lassen"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["land"]).choices = [
            ("", _("– kein Land –")),
            *sorted(LAND_NAMES.items(), key=lambda item: item[1]),
        ]
        self.fields["theme"].label_from_instance = lambda t: f"{t.name} ({t.programme})"  # type: ignore[attr-defined]
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_ags(self) -> str:
        value = (self.cleaned_data.get("ags") or "").strip()
        if value and not (len(value) == 8 and value.isdigit()):
            raise forms.ValidationError(_("Der Gemeindeschlüssel hat genau 8 Ziffern."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ags = data.get("ags")
        municipality = None
        if ags:
            try:
                municipality = municipality_selectors.municipality_get(ags=ags)
            except OrtswandelError:
                self.add_error("ags", _("Zu diesem Gemeindeschlüssel kennen wir keine Kommune."))
        data["municipality"] = municipality
        if not self.errors and not self.topics():
            raise forms.ValidationError(
                _("Bitte wählen Sie mindestens ein Programm, Thema, Land oder eine Kommune.")
            )
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def topics(self) -> list[Topic]:
        data = self.cleaned_data
        topics = []
        if data.get("programme"):
            topics.append(Topic(TopicKind.PROGRAMME, programme=data["programme"]))
        if data.get("theme"):
            topics.append(Topic(TopicKind.THEME, theme=data["theme"]))
        if data.get("land"):
            topics.append(Topic(TopicKind.LAND, land_code=data["land"]))
        if data.get("municipality"):
            topics.append(Topic(TopicKind.MUNICIPALITY, municipality=data["municipality"]))
        return topics


class PreferencesForm(forms.Form):
    keep = forms.TypedMultipleChoiceField(
        label=_("Diese Themen weiter erhalten"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(label=_("Sprache der Newsletter"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, subscriptions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["keep"]).choices = [
            (s.pk, f"{s.get_topic_kind_display()}: {s.topic_label}") for s in subscriptions
        ]


class IssueForm(forms.Form):
    subject = forms.CharField(
        label=_("Betreff"),
        max_length=200,
        error_messages={"required": _("Bitte geben Sie einen Betreff an.")},
    )
    intro = forms.CharField(
        label=_("Einleitung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Erlaubt sind Absätze, Überschriften, Listen, Links und Hervorhebungen."),
    )
    news = forms.TypedMultipleChoiceField(
        label=_("Nachrichten"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    events = forms.TypedMultipleChoiceField(
        label=_("Veranstaltungen"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    results = forms.TypedMultipleChoiceField(
        label=_("Ergebnisse"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, options: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["news"]).choices = [
            (n.pk, f"{n.title} ({date_format(n.published_on, 'SHORT_DATE_FORMAT')})")
            for n in options.news
        ]
        cast(forms.ChoiceField, self.fields["events"]).choices = [
            (e.pk, f"{e.title} ({date_format(localtime(e.starts_at), 'SHORT_DATE_FORMAT')})")
            for e in options.events
        ]
        cast(forms.ChoiceField, self.fields["results"]).choices = [
            (r.pk, r.title) for r in options.results
        ]


class DigestForm(forms.Form):
    digest = forms.ChoiceField(
        label=_("Digest (automatisch, nur wenn es Neues gibt)"),
        choices=DigestFrequency.choices,
    )
