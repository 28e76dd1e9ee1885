"""Accounts: Django's user plus a profile. Roles:

* site admin — ``is_superuser``;
* programme editor — ``is_staff`` and listed in ``Programme.editors`` (scoped to those programmes);
* staff of municipality Z — a :class:`MunicipalityStaffGrant` for that AGS;
* registered user — any other active account (municipal staff, researcher, citizen).

Sign-up creates the account inactive, with an :class:`EmailVerification` row, until the owner of
the address follows the activation link. Accounts created any other way (admin,
``createsuperuser``, demo content) are active and have no such row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class EmailVerification(models.Model):
    """Marks an account created by sign-up whose e-mail address is not confirmed yet.

    The account stays inactive (``is_active=False``) while this row exists; activation deletes
    the row. The row is what tells "never confirmed" (deleted after
    ``ORTSWANDEL_ACCOUNTS_UNVERIFIED_DAYS``) from "deactivated by an admin" (kept).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_verification"
    )
    created_at = models.DateTimeField(_("Registriert am"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Unbestätigte E-Mail-Adresse")
        verbose_name_plural = _("Unbestätigte E-Mail-Adressen")

    def __str__(self) -> str:
        return f"Bestätigung {self.user}"


class MunicipalityStaffGrantQuerySet(models.QuerySet):
    def current(self) -> MunicipalityStaffGrantQuerySet:
        """Grants in force today (open-ended or ending today or later)."""
        today = timezone.localdate()
        return self.filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today))


class MunicipalityStaffGrant(models.Model):
    """Role *staff of municipality Z*: the person acts for the municipality with this AGS (its
    data and decisions). Granted by site admins, audited (see :mod:`ortswandel.accounts.roles`);
    asked through the permission ``accounts.act_for_municipality``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="municipality_grants",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        related_name="staff_grants",
    )
    valid_until = models.DateField(
        _("gültig bis"), null=True, blank=True, help_text=_("Leer: unbefristet.")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vergeben von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vergeben am"), default=timezone.now)

    objects = MunicipalityStaffGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("Rolle: Verwaltung einer Kommune")
        verbose_name_plural = _("Rollen: Verwaltung einer Kommune")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"], name="municipality_staff_grant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.municipality}"
