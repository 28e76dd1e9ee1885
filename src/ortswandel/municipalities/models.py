"""Municipalities (Gemeinden) from the official register GV100AD, keyed by the 8-digit AGS."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ortswandel.sources.lands import LAND_NAMES  # re-exported: apps import it from here

AGS_RE = re.compile(r"\A[0-9]{8}\Z")  # ASCII digits only; no trailing newline
ARS_RE = re.compile(r"\A[0-9]{12}\Z")


def validate_ags(value: str) -> None:
    """AGS (Amtlicher Gemeindeschlüssel, official municipality key): 8 digits, valid Land prefix."""
    if not AGS_RE.match(value or "") or value[:2] not in LAND_NAMES:
        raise ValidationError(
            _("„%(value)s“ ist kein gültiger Gemeindeschlüssel (AGS, 8 Ziffern, z. B. 12054000)."),
            params={"value": value},
            code="invalid_ags",
        )


def validate_ars(value: str) -> None:
    """ARS (Amtlicher Regionalschlüssel, official regional key): 12 digits, valid Land prefix."""
    if not ARS_RE.match(value or "") or value[:2] not in LAND_NAMES:
        raise ValidationError(
            _("„%(value)s“ ist kein gültiger Amtlicher Regionalschlüssel (12 Ziffern)."),
            params={"value": value},
            code="invalid_ars",
        )


def fold_name(value: str) -> str:
    """Case- and accent-insensitive form of a name for searching (``Lübeck`` → ``lubeck``,
    ``Weißenfels`` → ``weissenfels``); the same function is applied to queries."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def population_density(population: int | None, area_km2: float | None) -> float | None:
    """Inhabitants per km², one decimal; ``None`` without population or area."""
    if population is None or not area_km2 or area_km2 <= 0 or not math.isfinite(area_km2):
        return None
    return round(population / area_km2, 1)


class SizeClass(models.TextChoices):
    """Municipality size classes after BBSR (Stadt- und Gemeindetyp), by population."""

    RURAL = "landgemeinde", _("Landgemeinde (unter 5.000)")
    SMALL_TOWN = "kleinstadt", _("Kleinstadt (5.000–19.999)")
    MEDIUM_TOWN = "mittelstadt", _("Mittelstadt (20.000–99.999)")
    CITY = "grossstadt", _("Großstadt (ab 100.000)")
    UNINHABITED = "unbewohnt", _("gemeindefreies Gebiet / unbewohnt")

    @classmethod
    def for_population(cls, population: int | None) -> SizeClass:
        if not population:
            return cls.UNINHABITED
        if population < 5_000:
            return cls.RURAL
        if population < 20_000:
            return cls.SMALL_TOWN
        if population < 100_000:
            return cls.MEDIUM_TOWN
        return cls.CITY


class MunicipalityQuerySet(models.QuerySet):
    def public(self) -> MunicipalityQuerySet:
        """The official register is public: every municipality has its page."""
        return self.all()


class Municipality(models.Model):
    """One Gemeinde of the official register (GV100AD, Destatis)."""

    ags = models.CharField(_("AGS"), max_length=8, unique=True, validators=[validate_ags])
    ars = models.CharField(_("ARS"), max_length=12, unique=True, validators=[validate_ars])
    name = models.CharField(_("Name"), max_length=200, db_index=True)
    municipality_type = models.CharField(
        _("Gemeindetyp"), max_length=100, blank=True, help_text=_("laut GV100AD, z. B. Stadt")
    )
    type_code = models.CharField(
        _("Textkennzeichen"),
        max_length=2,
        blank=True,
        help_text=_("Gemeindetyp als Schlüssel laut GV100AD (60–67)"),
    )
    name_normalized = models.CharField(
        _("Name (Suchform)"), max_length=200, blank=True, db_index=True, editable=False
    )
    land_code = models.CharField(_("Land (Schlüssel)"), max_length=2, db_index=True)
    land_name = models.CharField(_("Land"), max_length=60)
    kreis_code = models.CharField(_("Kreis (Schlüssel)"), max_length=5, db_index=True)
    kreis_name = models.CharField(_("Kreis"), max_length=200, blank=True)
    kreis_type_code = models.CharField(
        _("Kreistyp (Schlüssel)"),
        max_length=2,
        blank=True,
        help_text=_(
            "41 kreisfreie Stadt, 42 Stadtkreis, 43 Kreis, 44 Landkreis, 45 Regionalverband"
        ),
    )
    population = models.PositiveIntegerField(
        _("Einwohnerzahl"), null=True, blank=True, db_index=True
    )
    population_male = models.PositiveIntegerField(_("männlich"), null=True, blank=True)
    population_female = models.PositiveIntegerField(_("weiblich"), null=True, blank=True)
    population_date = models.DateField(_("Stichtag der Einwohnerzahl"), null=True, blank=True)
    population_census_2022 = models.PositiveIntegerField(
        _("Einwohnerzahl Zensus 2022"), null=True, blank=True
    )
    area_km2 = models.FloatField(_("Fläche (km²)"), null=True, blank=True)
    density = models.FloatField(_("Einwohner je km²"), null=True, blank=True, db_index=True)
    size_class = models.CharField(
        _("Größenklasse"), max_length=20, choices=SizeClass.choices, db_index=True, blank=True
    )
    postal_code = models.CharField(_("PLZ"), max_length=5, blank=True, db_index=True)
    postal_code_is_unique = models.BooleanField(
        _("nur eine PLZ"),
        default=True,
        help_text=_("Nein: die Gemeinde hat mehrere PLZ; angegeben ist die des Verwaltungssitzes."),
    )
    latitude = models.FloatField(_("Breite"), null=True, blank=True)
    longitude = models.FloatField(_("Länge"), null=True, blank=True)
    reference_date = models.DateField(_("Stand"), null=True, blank=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True, db_index=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name", "ags"]
        indexes = [models.Index(fields=["land_code", "size_class"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.ags})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_derived()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("municipalities:detail", kwargs={"ags": self.ags})

    def refresh_derived(self) -> None:
        """Recompute the fields that follow from others (search form, density, size class);
        density and size class only when their inputs are there (otherwise kept as given)."""
        self.name_normalized = fold_name(self.name)
        density = population_density(self.population, self.area_km2)
        if density is not None:
            self.density = density
        if self.population is not None or not self.size_class:
            self.size_class = SizeClass.for_population(self.population)

    @property
    def is_public(self) -> bool:
        return True  # official register data (see MunicipalityQuerySet.public)

    @property
    def short_name(self) -> str:
        """Name without the official suffix (``Potsdam, Stadt`` → ``Potsdam``)."""
        return self.name.split(",", 1)[0].strip()

    @property
    def is_district_free(self) -> bool:
        return self.kreis_type_code in {"41", "42"}
