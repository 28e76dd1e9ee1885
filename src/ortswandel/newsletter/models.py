"""Newsletter data: subscriptions (one row per address and topic, each with double opt-in),
issues composed by programme editors or built as digests, one delivery row per address and
issue (the idempotency key of the batch sender) and the suppression list of hashed addresses.

Addresses are personal data: they appear only in the back office and in mails to their owner,
never in public pages or APIs. Links carry :func:`address_hash`, never the address.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ortswandel.core.richtext import RichTextField


def address_hash(email: str) -> str:
    """SHA-256 of the normalised address: the key of links, deliveries and suppressions."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(18)


class TopicKind(models.TextChoices):
    PROGRAMME = "programme", _("Programm")
    THEME = "theme", _("Thema")
    LAND = "land", _("Land")
    MUNICIPALITY = "municipality", _("Kommune")


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("unbestätigt")
    CONFIRMED = "confirmed", _("bestätigt")
    UNSUBSCRIBED = "unsubscribed", _("abgemeldet")


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def confirmed(self) -> SubscriptionQuerySet:
        return self.filter(status=SubscriptionStatus.CONFIRMED)


class Subscription(models.Model):
    """One address subscribed to one topic (programme, theme, Land or municipality by AGS)."""

    email = models.EmailField(_("E-Mail-Adresse"), max_length=254)
    address_hash = models.CharField(_("Adress-Prüfsumme"), max_length=64, db_index=True)
    topic_kind = models.CharField(_("Art des Themas"), max_length=20, choices=TopicKind.choices)
    topic_key = models.CharField(_("Schlüssel"), max_length=40, editable=False)
    programme = models.ForeignKey(
        "catalogue.Programme",
        verbose_name=_("Programm"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    theme = models.ForeignKey(
        "catalogue.Theme",
        verbose_name=_("Thema"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    land_code = models.CharField(_("Land (Schlüssel)"), max_length=2, blank=True)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(
        _("Sprache"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.PENDING,
    )
    secret = models.CharField(max_length=40, default=new_secret, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_demo = models.BooleanField(_("Demo-Daten"), default=False)
    created_at = models.DateTimeField(_("angelegt"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("abgemeldet am"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["address_hash", "topic_key"], name="newsletter_subscription_unique_topic"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.topic_label} ({self.get_status_display()})"

    @property
    def topic_label(self) -> str:
        if self.topic_kind == TopicKind.PROGRAMME and self.programme:
            return str(self.programme)
        if self.topic_kind == TopicKind.THEME and self.theme:
            return f"{self.theme.name} ({self.theme.programme})"
        if self.topic_kind == TopicKind.LAND:
            from ortswandel.municipalities.models import LAND_NAMES

            return str(LAND_NAMES.get(self.land_code, self.land_code))
        if self.topic_kind == TopicKind.MUNICIPALITY and self.municipality:
            return f"{self.municipality.name} ({self.municipality.ags})"
        return "–"


class DigestFrequency(models.TextChoices):
    OFF = "off", _("kein automatischer Versand")
    WEEKLY = "weekly", _("wöchentlich")
    MONTHLY = "monthly", _("monatlich")


class ProgrammeNewsletter(models.Model):
    """Newsletter settings of a programme: the digest schedule."""

    programme = models.OneToOneField(
        "catalogue.Programme",
        verbose_name=_("Programm"),
        on_delete=models.CASCADE,
        related_name="newsletter_settings",
    )
    digest = models.CharField(
        _("Digest"), max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.OFF
    )
    last_digest_at = models.DateTimeField(_("letzter Digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("Newsletter-Einstellung")
        verbose_name_plural = _("Newsletter-Einstellungen")

    def __str__(self) -> str:
        return str(self.programme)


class IssueKind(models.TextChoices):
    EDITED = "edited", _("redaktionell")
    DIGEST = "digest", _("Digest")


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SENDING = "sending", _("wird versandt")
    SENT = "sent", _("versandt")


class Issue(models.Model):
    """One newsletter issue of a programme: intro text and chosen news, events and results."""

    programme = models.ForeignKey(
        "catalogue.Programme",
        verbose_name=_("Programm"),
        on_delete=models.PROTECT,
        related_name="newsletter_issues",
    )
    kind = models.CharField(
        _("Art"), max_length=10, choices=IssueKind.choices, default=IssueKind.EDITED
    )
    subject = models.CharField(_("Betreff"), max_length=200)
    intro = RichTextField(_("Einleitung"), blank=True)
    news = models.ManyToManyField(
        "catalogue.NewsItem", verbose_name=_("Nachrichten"), blank=True, related_name="+"
    )
    events = models.ManyToManyField(
        "events.Event", verbose_name=_("Veranstaltungen"), blank=True, related_name="+"
    )
    results = models.ManyToManyField(
        "catalogue.Result", verbose_name=_("Ergebnisse"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt"), default=timezone.now)
    send_started_at = models.DateTimeField(_("Versand begonnen"), null=True, blank=True)
    sent_at = models.DateTimeField(_("Versand abgeschlossen"), null=True, blank=True)
    unsubscribed_count = models.PositiveIntegerField(_("Abmeldungen danach"), default=0)

    class Meta:
        verbose_name = _("Newsletter-Ausgabe")
        verbose_name_plural = _("Newsletter-Ausgaben")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One mail of an issue to one address; the unique constraint makes sending idempotent.

    The address itself is not stored (only its hash); ``mail_id`` is the queued mail, whose
    state gives the counts (sent, failed)."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    address_hash = models.CharField(max_length=64)
    mail_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "address_hash"], name="newsletter_delivery_once_per_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id}:{self.address_hash[:8]}"


class SuppressionReason(models.TextChoices):
    BOUNCE = "bounce", _("Unzustellbar (Bounce)")
    COMPLAINT = "complaint", _("Beschwerde (Spam-Meldung)")
    UNSUBSCRIBED = "unsubscribed", _("abgemeldet")


class SuppressedAddress(models.Model):
    """An address that gets no newsletter mail any more; kept only as its SHA-256 hash."""

    address_hash = models.CharField(_("Adress-Prüfsumme"), max_length=64, unique=True)
    reason = models.CharField(_("Grund"), max_length=20, choices=SuppressionReason.choices)
    created_at = models.DateTimeField(_("seit"), default=timezone.now)

    class Meta:
        verbose_name = _("gesperrte Adresse")
        verbose_name_plural = _("gesperrte Adressen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.address_hash[:12]}… ({self.get_reason_display()})"
