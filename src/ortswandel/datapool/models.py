"""The data pool: indicators, spatial units and values of official statistics and of
municipalities' own register data.

* :class:`SpatialUnit` — Germany, Land, Kreis (district), Gemeindeverband (association of
  municipalities) and Gemeinde (municipality), each with its official key and the territorial
  status (Gebietsstand) it was taken from; units dissolved by a territorial change are kept
  (``valid_until``) so that values published for them stay on their territory.
* :class:`TerritorialChange` — a merger or incorporation: predecessors → successor at a date.
* :class:`Indicator` — what is measured, with the metadata the licence requires (source table,
  reference date, licence, attribution) and how it aggregates up the hierarchy.
* :class:`Value` — one number per indicator, unit, date and breakdown (e.g. ``age=27;sex=w``),
  as published (``origin=published``), summed/averaged up from the level below
  (``aggregated``) or uploaded by a municipality (``register``, private until published).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: AGS (Amtlicher Gemeindeschlüssel): 8 ASCII digits, Land prefix 01–16. The data pool sits below
#: the municipality app in the layer order, so it cannot use that app's validator.
validate_ags = RegexValidator(
    r"\A(0[1-9]|1[0-6])[0-9]{6}\Z",
    _("„%(value)s“ ist kein gültiger Gemeindeschlüssel (AGS, 8 Ziffern, z. B. 12054000)."),
    code="invalid_ags",
)


class Level(models.TextChoices):
    """Spatial levels, from the finest to the coarsest."""

    MUNICIPALITY = "gemeinde", _("Gemeinde")
    ASSOCIATION = "gemeindeverband", _("Gemeindeverband")
    DISTRICT = "kreis", _("Kreis")
    STATE = "land", _("Land")
    COUNTRY = "bund", _("Deutschland")


#: Bottom-up order used by the aggregation.
LEVEL_ORDER = (
    Level.MUNICIPALITY,
    Level.ASSOCIATION,
    Level.DISTRICT,
    Level.STATE,
    Level.COUNTRY,
)
#: Key of Germany (as in GENESIS).
GERMANY_CODE = "DG"


class SpatialUnit(models.Model):
    """One territorial unit, identified by level and official key.

    Keys: Gemeinde = AGS (8 digits), Gemeindeverband = first 9 digits of the ARS, Kreis = 5,
    Land = 2 digits, Germany = ``DG``. ``territorial_status`` is the Gebietsstand of the record
    the unit was taken from (e.g. GV100AD 30.11.2023); ``valid_from``/``valid_until`` bound the
    unit's existence where a recorded territorial change says so (``None`` = not known/open).
    """

    level = models.CharField(_("Ebene"), max_length=20, choices=Level.choices, db_index=True)
    code = models.CharField(_("Schlüssel"), max_length=12, db_index=True)
    name = models.CharField(_("Name"), max_length=200)
    ars = models.CharField(_("ARS"), max_length=12, blank=True)
    type_code = models.CharField(_("Typ (Textkennzeichen)"), max_length=2, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("übergeordnete Einheit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    territorial_status = models.DateField(_("Gebietsstand"), null=True, blank=True)
    valid_from = models.DateField(_("besteht seit"), null=True, blank=True)
    valid_until = models.DateField(_("bestand bis"), null=True, blank=True)
    in_register = models.BooleanField(
        _("im aktuellen Gemeindeverzeichnis"),
        default=True,
        help_text=_("Nein: frühere Gebietseinheit, nur für veröffentlichte Werte geführt."),
    )
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Gebietseinheit")
        verbose_name_plural = _("Gebietseinheiten")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="datapool_unit_level_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def in_force(self, date) -> bool:
        """Whether the unit existed at ``date`` as far as recorded changes tell."""
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_until is None or date <= self.valid_until
        )


class TerritorialChange(models.Model):
    """Predecessor units became ``successor`` on ``date`` (merger, incorporation).

    The successor may be one of its predecessors (an incorporation keeps the key, e.g. the
    Wartburgkreis 16063 took in Eisenach 16056 on 01.07.2021).
    """

    class Kind(models.TextChoices):
        MERGER = "zusammenschluss", _("Zusammenschluss")
        INCORPORATION = "eingliederung", _("Eingliederung")

    date = models.DateField(_("wirksam ab"))
    level = models.CharField(_("Ebene"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    successor = models.ForeignKey(
        SpatialUnit,
        verbose_name=_("Nachfolger"),
        on_delete=models.CASCADE,
        related_name="changes_as_successor",
    )
    predecessors = models.ManyToManyField(
        SpatialUnit, verbose_name=_("Vorgänger"), related_name="changes_as_predecessor"
    )
    source = models.CharField(_("Quelle"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Gebietsänderung")
        verbose_name_plural = _("Gebietsänderungen")
        ordering = ["-date", "successor__code"]
        constraints = [
            models.UniqueConstraint(fields=["date", "successor"], name="datapool_change_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()} → {self.successor}"


class Aggregation(models.TextChoices):
    SUM = "sum", _("Summe")
    WEIGHTED_MEAN = "weighted_mean", _("gewichteter Mittelwert")
    NONE = "none", _("keine Aggregation")


class PeriodKind(models.TextChoices):
    DATE = "stichtag", _("Stichtag")
    YEAR = "jahr", _("Jahr")
    SPAN = "zeitraum", _("Zeitraum")


indicator_code_validator = RegexValidator(
    r"\A[a-z0-9][a-z0-9._-]{0,79}\Z",
    _("Nur Kleinbuchstaben, Ziffern, Punkt, Binde- und Unterstrich (höchstens 80 Zeichen)."),
)


class Indicator(models.Model):
    """What a value measures, with source and licence metadata.

    ``aggregation``: ``sum`` for counts, ``weighted_mean`` for rates (weighted with the values of
    ``weight_indicator``/``weight_breakdown`` at the same unit and date, e.g. population), or
    ``none``. Aggregation only ever goes up the hierarchy, never down.
    """

    code = models.CharField(
        _("Kennung"), max_length=80, unique=True, validators=[indicator_code_validator]
    )
    name = models.CharField(_("Name"), max_length=200)
    unit = models.CharField(_("Einheit"), max_length=60)
    definition = models.TextField(_("Definition"), blank=True)
    source_table = models.CharField(_("Quelltabelle"), max_length=100, blank=True)
    source = models.CharField(_("Quelle"), max_length=300, blank=True)
    reference_date = models.DateField(
        _("Stand"), null=True, blank=True, help_text=_("Stand der Quelltabelle")
    )
    licence = models.CharField(_("Lizenz"), max_length=100, default="dl-de/by-2-0")
    licence_url = models.URLField(
        _("Lizenztext"), blank=True, default="https://www.govdata.de/dl-de/by-2-0"
    )
    attribution = models.TextField(_("Quellenvermerk"))
    period = models.CharField(
        _("Zeitbezug"), max_length=20, choices=PeriodKind.choices, default=PeriodKind.DATE
    )
    aggregation = models.CharField(
        _("Aggregation"), max_length=20, choices=Aggregation.choices, default=Aggregation.SUM
    )
    weight_indicator = models.ForeignKey(
        "self",
        verbose_name=_("Gewicht"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="weighted_indicators",
    )
    weight_breakdown = models.CharField(_("Gewicht: Gliederung"), max_length=200, blank=True)
    complete_tables = models.BooleanField(
        _("vollständige Tabellen"),
        default=True,
        help_text=_(
            "Die Quelltabellen enthalten alle Einheiten ihrer Ebene; nur dann werden Summen für "
            "Gemeindeverbände und Kreise gebildet."
        ),
    )
    dimensions = models.JSONField(
        _("Gliederungen"), default=dict, blank=True, help_text=_("Beschriftungen der Gliederungen")
    )
    is_register = models.BooleanField(
        _("Registerdaten einer Gemeinde"), default=False, editable=False
    )
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} [{self.code}]"


class Origin(models.TextChoices):
    PUBLISHED = "published", _("veröffentlicht")
    AGGREGATED = "aggregated", _("berechnet (Aggregat)")
    REGISTER = "register", _("Register der Gemeinde")


class RegisterKind(models.TextChoices):
    POPULATION = "bevoelkerung", _("Einwohner nach Alter und Geschlecht")
    FACILITIES = "einrichtungen", _("Kita, Schule, Pflege: Plätze und Belegung")


class RegisterUpload(models.Model):
    """One upload of a municipality's own register data (private until published)."""

    unit = models.ForeignKey(
        SpatialUnit, verbose_name=_("Gemeinde"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=RegisterKind.choices)
    reference_date = models.DateField(_("Stichtag"))
    file_name = models.CharField(_("Datei"), max_length=255)
    sha256 = models.CharField(_("Prüfsumme"), max_length=64)
    rows = models.PositiveIntegerField(_("Zeilen"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hochgeladen von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("hochgeladen am"), default=timezone.now)
    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Registerdaten-Upload")
        verbose_name_plural = _("Registerdaten-Uploads")
        ordering = ["-reference_date", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "reference_date"], name="datapool_register_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit.code} {self.reference_date:%d.%m.%Y}"


class Value(models.Model):
    """One number. ``value`` is ``None`` for GENESIS signs that mean unknown or secret
    (``.``, ``x``, ``...``, ``/``); ``-`` (nothing) is stored as 0 with its sign."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey(SpatialUnit, on_delete=models.CASCADE, related_name="values")
    date = models.DateField(_("Stichtag/Periode"))
    breakdown = models.CharField(_("Gliederung"), max_length=200, blank=True, default="")
    value = models.FloatField(_("Wert"), null=True, blank=True)
    sign = models.CharField(_("Zeichen"), max_length=3, blank=True, default="")
    origin = models.CharField(
        _("Herkunft"), max_length=20, choices=Origin.choices, default=Origin.PUBLISHED
    )
    territorial_status = models.DateField(_("Gebietsstand"), null=True, blank=True)
    period_label = models.CharField(_("Periode"), max_length=20, blank=True)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)
    is_private = models.BooleanField(_("nicht öffentlich"), default=False)
    register_upload = models.ForeignKey(
        RegisterUpload, null=True, blank=True, on_delete=models.CASCADE, related_name="values"
    )

    class Meta:
        verbose_name = _("Wert")
        verbose_name_plural = _("Werte")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "date", "breakdown"], name="datapool_value_unique"
            )
        ]
        # The unique constraint serves "by indicator"; this one "by unit" (key figures, series).
        # A third index (indicator, date) cost 30 % more insert time for little gain.
        indexes = [
            models.Index(fields=["unit", "indicator", "date"], name="datapool_value_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_id} {self.date} {self.breakdown} = {self.value}"


class ImportRun(models.Model):
    """One import of an official table (or of the spatial units): what it did or why not."""

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", _("importiert")
        UNCHANGED = "unchanged", _("unverändert")
        FAILED = "failed", _("abgelehnt")

    dataset = models.CharField(_("Datensatz"), max_length=100, db_index=True)
    file_name = models.CharField(_("Datei"), max_length=255)
    sha256 = models.CharField(_("Prüfsumme"), max_length=64, blank=True)
    status = models.CharField(_("Ergebnis"), max_length=20, choices=Status.choices)
    started_at = models.DateTimeField(_("Beginn"), default=timezone.now)
    seconds = models.FloatField(_("Dauer (s)"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.PositiveIntegerField(_("neu"), default=0)
    updated = models.PositiveIntegerField(_("geändert"), default=0)
    deleted = models.PositiveIntegerField(_("entfernt"), default=0)
    unchanged = models.PositiveIntegerField(_("unverändert"), default=0)
    aggregated = models.PositiveIntegerField(_("Aggregate geändert"), default=0)
    indicators = models.JSONField(_("Indikatoren"), default=list, blank=True)
    problems = models.JSONField(_("Probleme"), default=list, blank=True)
    notes = models.JSONField(_("Hinweise"), default=list, blank=True)

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")
        ordering = ["-started_at", "-id"]
        permissions = [("import_official_data", _("Amtliche Tabellen in den Datenpool laden"))]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
