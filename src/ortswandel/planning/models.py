"""Planning: saved scenarios and background projection runs of the workspace (issue 8 §4)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedScenario(models.Model):
    """A named set of workspace assumptions for one municipality, owned by a user.

    ``settings`` holds the workspace form values (what the user changed); ``document`` the
    complete scenario JSON in the documented format (``docs/scenario-format.md``) that they
    produce, so a saved scenario can be run or exported without the data directory.
    ``share_version`` is bound into read-only share links: raising it revokes them.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_scenarios",
        verbose_name=_("Eigentümer"),
    )
    ags = models.CharField(_("AGS"), max_length=8, db_index=True)
    name = models.CharField(_("Name"), max_length=120)
    settings = models.JSONField(_("Einstellungen"), default=dict)
    document = models.JSONField(_("Szenario-Dokument"), default=dict)
    data_version = models.CharField(_("Datenstand"), max_length=64, blank=True)
    share_version = models.PositiveIntegerField(_("Freigabe-Version"), default=0)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Gespeichertes Szenario")
        verbose_name_plural = _("Gespeicherte Szenarien")
        ordering = ("-updated_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("owner", "ags", "name"), name="planning_savedscenario_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(ags__regex=r"^[0-9]{8}$"), name="planning_savedscenario_ags"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ags})"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("läuft")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


class ProjectionRun(models.Model):
    """A long projection run (1,000 trajectories for several scenarios) in the job queue.

    The worker writes ``progress`` (0–100) as it goes and the quantiles into ``result``.
    The id is a random UUID: knowing it is what lets a person see the run (it is shown only
    to whoever started it, and carries no personal data).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="projection_runs",
        verbose_name=_("gestartet von"),
    )
    ags = models.CharField(_("AGS"), max_length=8, db_index=True)
    settings = models.JSONField(_("Einstellungen"), default=dict)
    trajectories = models.PositiveIntegerField(_("Pfade"), default=1000)
    status = models.CharField(
        _("Status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("Fortschritt (%)"), default=0)
    result = models.JSONField(_("Ergebnis"), default=dict, blank=True)
    error = models.TextField(_("Fehler"), blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    finished_at = models.DateTimeField(_("beendet"), null=True, blank=True)

    class Meta:
        verbose_name = _("Vorausberechnungs-Lauf")
        verbose_name_plural = _("Vorausberechnungs-Läufe")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.ags} {self.status} {self.progress} %"


# --- outlook: the all-Germany default projection (ortswandel.planning.outlook) -----------------
class OutlookRun(models.Model):
    """One computation of the default projection for every municipality.

    ``data_version`` is the fingerprint of the official files it was computed from; only the
    run marked ``is_current`` is shown.
    """

    data_version = models.CharField(_("Datenstand (Kennung)"), max_length=40)
    launch_year = models.PositiveSmallIntegerField(_("Basisjahr (31.12.)"))
    horizon_year = models.PositiveSmallIntegerField(_("Zieljahr"))
    source = models.TextField(_("Quellen"))
    estimates = models.JSONField(_("Schätzungen"), default=list, blank=True)
    municipalities = models.PositiveIntegerField(_("Gemeinden"), default=0)
    seconds = models.FloatField(_("Rechenzeit (s)"), default=0.0)
    is_current = models.BooleanField(_("aktuell"), default=False, db_index=True)
    computed_at = models.DateTimeField(_("berechnet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Vorausberechnung aller Gemeinden")
        verbose_name_plural = _("Vorausberechnungen aller Gemeinden")
        ordering = ["-computed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="planning_outlook_one_current_run",
            )
        ]

    def __str__(self) -> str:
        return f"{self.launch_year}–{self.horizon_year} ({self.data_version})"


class MunicipalityOutlook(models.Model):
    """Summary of the default projection for one municipality (AGS), in persons and percent.

    ``*_pct`` are changes from the launch year to the horizon in percent (``None`` where the
    group is empty at the launch); ``share_*`` are shares of the population in percent.
    """

    run = models.ForeignKey(
        OutlookRun, on_delete=models.CASCADE, related_name="rows", verbose_name=_("Berechnung")
    )
    ags = models.CharField(_("AGS"), max_length=8)
    population_now = models.FloatField(_("Einwohner im Basisjahr"))
    population_horizon = models.FloatField(_("Einwohner im Zieljahr"))
    change_pct = models.FloatField(_("Veränderung der Einwohnerzahl (%)"))
    share_65_now = models.FloatField(_("Anteil 65+ im Basisjahr (%)"))
    share_65_horizon = models.FloatField(_("Anteil 65+ im Zieljahr (%)"))
    share_80_now = models.FloatField(_("Anteil 80+ im Basisjahr (%)"))
    share_80_horizon = models.FloatField(_("Anteil 80+ im Zieljahr (%)"))
    change_0_2_pct = models.FloatField(_("Veränderung 0–2 Jahre (%)"), null=True)
    change_3_5_pct = models.FloatField(_("Veränderung 3–5 Jahre (%)"), null=True)
    change_6_9_pct = models.FloatField(_("Veränderung 6–9 Jahre (%)"), null=True)
    change_80_pct = models.FloatField(_("Veränderung 80+ (%)"), null=True)

    class Meta:
        verbose_name = _("Vorausberechnung einer Gemeinde")
        verbose_name_plural = _("Vorausberechnungen der Gemeinden")
        constraints = [
            models.UniqueConstraint(fields=["run", "ags"], name="planning_outlook_unique_ags")
        ]

    def __str__(self) -> str:
        return self.ags


# --- challenges: from challenge to knowledge (ortswandel.planning.challenges) ------------------
class Challenge(models.Model):
    """A challenge a projection can show, its rule, and the catalogue themes that address it.

    The rule: the challenge applies when ``indicator`` is ``direction`` ``threshold`` (for
    example ``change_6_9_pct`` below ``-15``). Editors change rules and themes in the admin.
    """

    class Indicator(models.TextChoices):
        CHANGE = "change_pct", _("Veränderung der Einwohnerzahl (%)")
        CHANGE_0_2 = "change_0_2_pct", _("Veränderung der Kinder von 0–2 Jahren (%)")
        CHANGE_3_5 = "change_3_5_pct", _("Veränderung der Kinder von 3–5 Jahren (%)")
        CHANGE_6_9 = "change_6_9_pct", _("Veränderung der Kinder im Grundschulalter 6–9 (%)")
        CHANGE_80 = "change_80_pct", _("Veränderung der Menschen ab 80 (%)")
        SHARE_65 = "share_65_horizon", _("Anteil 65+ im Zieljahr (%)")
        SHARE_80 = "share_80_horizon", _("Anteil 80+ im Zieljahr (%)")
        KITA_GAP = "kita_gap", _("fehlende Kita-Plätze (Plätze)")
        CARE_GAP = "care_gap", _("fehlende Pflegeplätze (Plätze)")

    class Direction(models.TextChoices):
        ABOVE = "above", _("größer als")
        BELOW = "below", _("kleiner als")

    code = models.SlugField(_("Kennung"), max_length=60, unique=True)
    name = models.CharField(_("Name (deutsch)"), max_length=200)
    name_en = models.CharField(_("Name (englisch)"), max_length=200, blank=True)
    description = models.TextField(
        _("Beschreibung in einfachem Deutsch"),
        help_text=_("Was die Herausforderung für die Kommune bedeutet, in zwei, drei Sätzen."),
    )
    indicator = models.CharField(_("Kennzahl"), max_length=30, choices=Indicator.choices)
    direction = models.CharField(_("Richtung"), max_length=5, choices=Direction.choices)
    threshold = models.FloatField(_("Schwelle"))
    themes = models.ManyToManyField(
        "catalogue.Theme",
        verbose_name=_("Themen im Katalog"),
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Herausforderung")
        verbose_name_plural = _("Herausforderungen")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    def applies(self, value: float | None) -> bool:
        """Whether the rule holds for ``value`` (``None``: not known, never applies)."""
        if value is None:
            return False
        if self.direction == self.Direction.ABOVE:
            return value > self.threshold
        return value < self.threshold
