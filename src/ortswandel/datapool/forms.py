"""Forms: a municipality's register upload, and the operators' upload of an official table."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ortswandel.core.validators import validate_upload

from .models import Aggregation, Level, RegisterKind, indicator_code_validator
from .specs import DL_DE_BY

MAX_TABLE_BYTES = 50 * 2**20


class RegisterUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Art der Daten"), choices=RegisterKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("Datei (CSV oder XLSX nach Vorlage)"),
        help_text=_("Höchstens 20 MB. Bitte eine der Vorlagen unten verwenden."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        validate_upload(upload)  # size, type and signature before anything is read
        return upload


class OfficialTableForm(forms.Form):
    """Metadata of a GENESIS / Regionalstatistik table that operators load into the pool."""

    file = forms.FileField(label=_("CSV-Datei (GENESIS oder Regionalstatistik)"))
    layout = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("auto", _("automatisch erkennen")),
            ("flat", _("flach (ffcsv, ein Wert je Zeile)")),
            ("classic", _("klassische Tabelle (Kopf, Vorspalte, Fußnoten)")),
        ],
        initial="auto",
    )
    code = forms.CharField(
        label=_("Kennung des Indikators"),
        max_length=60,
        validators=[indicator_code_validator],
        help_text=_("z. B. 12411-0018-bevoelkerung; bei mehreren Merkmalen wird ergänzt"),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.CharField(label=_("Einheit"), max_length=60, required=False)
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea, required=False)
    source_table = forms.CharField(label=_("Quelltabelle"), max_length=100, required=False)
    source = forms.CharField(label=_("Quelle"), max_length=300, required=False)
    attribution = forms.CharField(
        label=_("Quellenvermerk"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "z. B. „© Statistische Ämter des Bundes und der Länder, Deutschland, 2024, "
            "Tabelle …, dl-de/by-2-0“"
        ),
    )
    licence = forms.CharField(label=_("Lizenz"), max_length=100, initial=DL_DE_BY)
    reference_date = forms.DateField(
        label=_("Stand der Tabelle"), required=False, help_text=_("leer: aus der Fußzeile")
    )
    aggregation = forms.ChoiceField(
        label=_("Aggregation nach oben"), choices=Aggregation.choices, initial=Aggregation.SUM
    )
    weight = forms.CharField(
        label=_("Gewicht (Indikator)"),
        max_length=80,
        required=False,
        help_text=_("nur für gewichtete Mittelwerte, z. B. 12411-0018-bevoelkerung"),
    )
    weight_breakdown = forms.CharField(
        label=_("Gewicht: Gliederung"), max_length=200, required=False
    )
    levels = forms.MultipleChoiceField(
        label=_("Ebenen übernehmen"),
        choices=Level.choices,
        initial=list(Level.values),
        widget=forms.CheckboxSelectMultiple,
    )
    default_region = forms.CharField(
        label=_("Gebiet, wenn die Tabelle keines nennt"),
        max_length=12,
        required=False,
        help_text=_("z. B. DG für Deutschland"),
    )
    decimal = forms.ChoiceField(
        label=_("Dezimaltrennzeichen"), choices=[(",", _("Komma")), (".", _("Punkt"))], initial=","
    )
    encoding = forms.ChoiceField(
        label=_("Zeichenkodierung"),
        choices=[
            ("auto", _("automatisch")),
            ("utf-8", "UTF-8"),
            ("iso-8859-1", "ISO-8859-1"),
        ],
        initial="auto",
    )
    complete = forms.BooleanField(
        label=_("Die Tabelle enthält alle Einheiten ihrer Ebene (Summen bilden)"),
        required=False,
        initial=True,
    )
    territorial_status = forms.DateField(
        label=_("Gebietsstand"), required=False, help_text=_("leer: der jeweilige Stichtag")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TABLE_BYTES:
            raise ValidationError(
                gettext("Die Datei ist größer als %(mb)d MB.") % {"mb": MAX_TABLE_BYTES // 2**20}
            )
        return upload

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("aggregation") == Aggregation.WEIGHTED_MEAN and not data.get("weight"):
            self.add_error(
                "weight", _("Für einen gewichteten Mittelwert bitte das Gewicht angeben.")
            )
        return data
