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
