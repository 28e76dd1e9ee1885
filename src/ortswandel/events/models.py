"""Events: series, single events, agenda, materials, custom questions, registrations.

Seats: a registration in status ``pending`` (awaiting the double opt-in) or ``confirmed`` holds a
seat; ``waitlisted`` does not. Capacity rules live in :mod:`ortswandel.events.services` and are
enforced under a lock on the event row.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ortswandel.catalogue.models import OrganisationKind, Programme, Project, Theme
from ortswandel.core.files import ProtectedFileField
from ortswandel.core.models import Publishable
from ortswandel.core.questions import QuestionModel, QuestionSpec
from ortswandel.core.richtext import RichTextField
from ortswandel.municipalities.models import LAND_NAMES

from . import conf

#: Slugs that would collide with fixed URL segments under /veranstaltungen/.
RESERVED_SLUGS = {"reihen", "programm", "anmeldung", "organisation", "kalender"}

DEFAULT_CONSENT_TEXT = (
    "Ich willige ein, dass meine Angaben (Name, E-Mail-Adresse, Organisation, Antworten) zur "
    "Organisation dieser Veranstaltung verarbeitet werden. Ich erhalte E-Mails zur Bestätigung, "
    "Erinnerung und Nachbereitung. Meine Daten werden spätestens {days} Tage nach der "
    "Veranstaltung gelöscht oder anonymisiert. Ich kann die Einwilligung jederzeit über den "
    "Abmeldelink widerrufen."
)


def _new_key() -> str:
    return secrets.token_urlsafe(18)


class EventFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    ONSITE = "onsite", _("Vor Ort")
    HYBRID = "hybrid", _("Hybrid")


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Konferenz")
    WORKSHOP = "workshop", _("Werkstatt / Workshop")
    SPECIALIST = "specialist", _("Fachveranstaltung")
    NETWORK = "network", _("Netzwerktreffen")
    WEBINAR = "webinar", _("Online-Seminar")


class EventSeries(Publishable):
    """A series such as „Herbst-Konferenz 2020 — Was macht Kommunen innovativ?“."""

    public_parent = "programme"

    programme = models.ForeignKey(
        Programme, verbose_name=_("Programm"), on_delete=models.PROTECT, related_name="series"
    )
    title = models.CharField(_("Titel"), max_length=300)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=120, unique=True)
    summary = models.TextField(_("Kurzbeschreibung"), max_length=1000, blank=True)
    description = RichTextField(_("Beschreibung"), blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("Themen"), blank=True, related_name="event_series"
    )
    is_demo = models.BooleanField(_("Demo-Daten"), default=False)

    class Meta:
        verbose_name = _("Veranstaltungsreihe")
        verbose_name_plural = _("Veranstaltungsreihen")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:series_detail", kwargs={"slug": self.slug})


class Event(Publishable):
    public_parent = "programme"

    programme = models.ForeignKey(
        Programme, verbose_name=_("Programm"), on_delete=models.PROTECT, related_name="events"
    )
    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("Reihe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    title = models.CharField(_("Titel"), max_length=300)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=120, unique=True)
    kind = models.CharField(
        _("Art"), max_length=20, choices=EventKind.choices, default=EventKind.SPECIALIST
    )
    format = models.CharField(
        _("Format"), max_length=10, choices=EventFormat.choices, default=EventFormat.ONLINE
    )
    summary = models.TextField(_("Kurzbeschreibung"), max_length=1000, blank=True)
    description = RichTextField(_("Beschreibung"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"), db_index=True)
    ends_at = models.DateTimeField(_("Ende"))
    time_unknown = models.BooleanField(
        _("Uhrzeit nicht bekannt"),
        default=False,
        help_text=_("Nur das Datum ist gesichert (z. B. bei historischen Veranstaltungen)."),
    )
    schedule_note = models.CharField(_("Hinweis zum Termin"), max_length=300, blank=True)
    venue_name = models.CharField(_("Veranstaltungsort"), max_length=300, blank=True)
    venue_address = models.TextField(_("Adresse"), max_length=500, blank=True)
    online_url = models.URLField(
        _("Link zur Online-Veranstaltung"),
        max_length=500,
        blank=True,
        help_text=_("Nur bestätigte Teilnehmende sehen diesen Link (E-Mail, persönliche Seite)."),
    )
    organiser = models.CharField(_("Veranstalter"), max_length=300, blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("Themen"), blank=True, related_name="events"
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("Projekte"), blank=True, related_name="events"
    )
    # Registration
    registration_enabled = models.BooleanField(_("Online-Anmeldung"), default=True)
    registration_opens_at = models.DateTimeField(
        _("Anmeldung ab"), null=True, blank=True, help_text=_("Leer: sofort.")
    )
    registration_closes_at = models.DateTimeField(
        _("Anmeldeschluss"),
        null=True,
        blank=True,
        help_text=_("Leer: sieben Tage vor Beginn (einstellbar)."),
    )
    capacity = models.PositiveIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("Leer: unbegrenzt.")
    )
    waitlist_enabled = models.BooleanField(_("Warteliste"), default=True)
    consent_text = models.TextField(
        _("Einwilligungstext"),
        blank=True,
        help_text=_("Leer: Standardtext. Wird mit jeder Anmeldung gespeichert."),
    )
    reminder_hours = models.PositiveIntegerField(
        _("Erinnerung (Stunden vorher)"),
        null=True,
        blank=True,
        help_text=_("Leer: Standard (24). 0: keine Erinnerung."),
    )
    retention_days = models.PositiveIntegerField(
        _("Aufbewahrung (Tage nach Ende)"),
        null=True,
        blank=True,
        help_text=_("Leer: Standard (90 Tage). Danach werden personenbezogene Daten anonymisiert."),
    )
    followup_sent_at = models.DateTimeField(_("Nachbereitung versandt"), null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(
        _("Personenbezogene Daten gelöscht"), null=True, blank=True
    )
    is_demo = models.BooleanField(_("Demo-Daten"), default=False)

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("Dieser Kurzname ist für feste Adressen reserviert.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("Das Ende muss nach dem Beginn liegen.")
        if self.format == EventFormat.ONSITE and self.online_url:
            errors["online_url"] = _("Eine Veranstaltung vor Ort hat keinen Online-Link.")
        if (
            self.registration_opens_at
            and self.starts_at
            and self.registration_opens_at >= min(self.effective_closes_at, self.starts_at)
        ):
            errors["registration_opens_at"] = _(
                "Die Anmeldung muss vor dem Anmeldeschluss (Standard: sieben Tage vor Beginn) "
                "und vor dem Beginn öffnen."
            )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", kwargs={"slug": self.slug})

    # Small derived properties (the rules themselves live in services/selectors).
    @property
    def effective_closes_at(self):
        if self.registration_closes_at is not None:
            return self.registration_closes_at
        return self.starts_at - timedelta(days=conf.registration_close_days())

    @property
    def effective_consent_text(self) -> str:
        return self.consent_text or DEFAULT_CONSENT_TEXT.format(days=self.effective_retention_days)

    @property
    def effective_retention_days(self) -> int:
        return self.retention_days if self.retention_days is not None else conf.retention_days()

    @property
    def effective_reminder_hours(self) -> int:
        return self.reminder_hours if self.reminder_hours is not None else conf.reminder_hours()

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if not self.registration_enabled or not self.is_published:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return now < self.effective_closes_at and now < self.starts_at

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def has_online_part(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def has_venue(self) -> bool:
        return self.format in (EventFormat.ONSITE, EventFormat.HYBRID)


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    starts_at = models.TimeField(_("von"), null=True, blank=True)
    ends_at = models.TimeField(_("bis"), null=True, blank=True)
    title = models.CharField(_("Programmpunkt"), max_length=300)
    speakers = models.CharField(_("Mitwirkende"), max_length=500, blank=True)
    description = models.TextField(_("Beschreibung"), max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Programmpunkt")
        verbose_name_plural = _("Programmpunkte")
        ordering = ["position", "starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class MaterialKind(models.TextChoices):
    SLIDES = "slides", _("Folien")
    RECORDING = "recording", _("Aufzeichnung")
    DOCUMENTATION = "documentation", _("Dokumentation")
    OTHER = "other", _("Sonstiges")


class Material(models.Model):
    """Slides, recordings and documentation published after the event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("Art"), max_length=20, choices=MaterialKind.choices)
    title = models.CharField(_("Titel"), max_length=300)
    url = models.URLField(_("Link"), max_length=500, blank=True)
    file = ProtectedFileField(
        _("Datei"), prefix="events/materials", permission="events.view_material", blank=True
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Material")
        verbose_name_plural = _("Materialien")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        if self.file:
            return self.file.url
        return self.url


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Freitext")
    CHOICE = "choice", _("Auswahl")
    CONSENT = "consent", _("Einwilligung (freiwilliges Häkchen)")


#: Longest answer to a registration question (characters).
ANSWER_MAX_LENGTH = 2000


class Question(QuestionModel):
    """A custom question of one event's registration form (Indico-style)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("Art"), max_length=10, choices=QuestionKind.choices)
    label = models.CharField(_("Frage"), max_length=300)
    help_text = models.CharField(_("Hinweis"), max_length=300, blank=True)
    choices = models.TextField(
        _("Auswahlmöglichkeiten"), blank=True, help_text=_("Eine Möglichkeit pro Zeile.")
    )
    required = models.BooleanField(_("Pflichtfeld"), default=False)

    class Meta:
        verbose_name = _("Anmeldefrage")
        verbose_name_plural = _("Anmeldefragen")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_required(self) -> bool:
        """Whether participants must answer. A consent question never is: consent to something
        the event does not need (photos, newsletter) must be voluntary (GDPR Art. 7(4)); only the
        privacy-notice acknowledgement of the form itself is a condition of registering."""
        return self.required and self.kind != QuestionKind.CONSENT

    def clean(self) -> None:
        super().clean()
        if self.kind == QuestionKind.CONSENT and self.required:
            raise ValidationError(
                {
                    "required": _(
                        "Eine Einwilligung (z. B. in Fotos) darf keine Bedingung für die "
                        "Anmeldung sein: Sie muss freiwillig sein (Art. 7 Abs. 4 DSGVO). Bitte "
                        "entfernen Sie das Häkchen bei „Pflichtfeld“ – Teilnehmende können die "
                        "Einwilligung dann geben oder ablehnen."
                    )
                }
            )

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def spec(self) -> QuestionSpec:
        return QuestionSpec(
            key=self.key,
            label=self.label,
            kind=self.kind,
            required=self.is_required,
            help=self.help_text,
            choices=tuple(self.choice_list) if self.kind == QuestionKind.CHOICE else (),
            max_length=ANSWER_MAX_LENGTH,
            position=self.position,
        )


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Bestätigung")
    CONFIRMED = "confirmed", _("bestätigt")
    WAITLISTED = "waitlisted", _("Warteliste")
    CANCELLED = "cancelled", _("abgemeldet")
    EXPIRED = "expired", _("verfallen (nicht bestätigt)")


#: Statuses that hold a seat.
SEAT_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)
#: Statuses that block a second registration with the same email.
ACTIVE_STATUSES = (*SEAT_STATUSES, RegistrationStatus.WAITLISTED)

LAND_CHOICES = sorted(LAND_NAMES.items(), key=lambda item: item[1])


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(
        _("Status"), max_length=12, choices=RegistrationStatus.choices, db_index=True
    )
    # Personal data (anonymised after the retention period).
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail"), max_length=254)
    organisation = models.CharField(_("Organisation"), max_length=300, blank=True)
    answers = models.JSONField(_("Antworten"), default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    # Kept for statistics (counts), never shown publicly.
    organisation_kind = models.CharField(
        _("Art der Organisation"), max_length=30, choices=OrganisationKind.choices, blank=True
    )
    land_code = models.CharField(_("Land"), max_length=2, choices=LAND_CHOICES, blank=True)
    # Consent as given (DSGVO Art. 7(1): the controller must be able to demonstrate consent).
    consent_text = models.TextField(_("Einwilligungstext"))
    consented_at = models.DateTimeField(_("eingewilligt am"))
    # The UI language at registration: mails to this person are written in it.
    language = models.CharField(_("Sprache"), max_length=8, default="de", editable=False)
    # Life cycle
    access_key = models.CharField(max_length=40, default=_new_key, editable=False)
    batch = models.CharField(max_length=40, default=_new_key, editable=False, db_index=True)
    created_at = models.DateTimeField(_("angemeldet am"), default=timezone.now)
    seat_held_since = models.DateTimeField(null=True, blank=True)
    # Keyed hash of the client that registered, while the seat is unconfirmed: caps unconfirmed
    # seats per client and event (ORTSWANDEL_EVENTS_UNCONFIRMED_PER_CLIENT). Never an address.
    client_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    email_verified_at = models.DateTimeField(_("E-Mail bestätigt"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("nachgerückt am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("abgemeldet am"), null=True, blank=True)
    attended = models.BooleanField(_("teilgenommen"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    followup_sent_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=["pending", "confirmed", "waitlisted"])
                & Q(anonymised_at__isnull=True),
                name="registration_one_active_per_email",
            )
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        if self.anonymised_at:
            return f"#{self.pk} (anonymisiert)"
        return f"{self.name} – {self.event}"

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_STATUSES

    @property
    def land_name(self) -> str:
        return LAND_NAMES.get(self.land_code, "")
