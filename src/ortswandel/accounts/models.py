"""Accounts: Django's user plus a profile. Roles:

* site admin — ``is_superuser``;
* programme editor — ``is_staff`` and listed in ``Programme.editors`` (scoped to those programmes);
* registered user — any other active account (municipal staff, researcher, citizen).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ortswandel.municipalities.models import Municipality


class ProfileKind(models.TextChoices):
    MUNICIPAL_STAFF = "municipal_staff", _("Kommunalverwaltung / Kommunalpolitik")
    RESEARCHER = "researcher", _("Wissenschaft")
    PROGRAMME_OFFICE = "programme_office", _("Programmbüro / Begleitforschung")
    CITIZEN = "citizen", _("Bürgerin / Bürger")
    OTHER = "other", _("Sonstige")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    kind = models.CharField(
        _("Ich bin"), max_length=30, choices=ProfileKind.choices, default=ProfileKind.OTHER
    )
    organisation_name = models.CharField(_("Organisation"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Meine Kommune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(
        _("Demo-Daten"), default=False, help_text=_("Fiktive Person aus den Demo-Inhalten.")
    )

    class Meta:
        verbose_name = _("Profil")
        verbose_name_plural = _("Profile")

    def __str__(self) -> str:
        return f"Profil {self.user}"
