"""Shared building blocks: the audit log, the draft/published life cycle of content and the
outgoing mail queue (written and sent by :mod:`ortswandel.core.notifications`)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who changed what, when. Written by services in the same transaction as the change."""

    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("Aktion"), max_length=100, db_index=True)
    object_type = models.CharField(_("Objekttyp"), max_length=100, blank=True)
    object_id = models.CharField(_("Objekt-ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("Objekt"), max_length=300, blank=True)
    payload = models.JSONField(_("Details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Änderungsprotokoll")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("Veröffentlicht")


class PublishedQuerySet(models.QuerySet):
    """Querysets of :class:`Publishable` content.

    ``published()`` is the row's own state; ``public()`` is what anonymous visitors may see: the
    row is published, its publication date (``publish_at``, if set) has come, *and* its parent
    (``Publishable.public_parent``, e.g. the programme) is public, recursively. Public pages,
    feeds, search and the API use ``public()`` only.
    """

    def published(self) -> PublishedQuerySet:
        return self.filter(status=PublicationStatus.PUBLISHED)

    def public(self) -> PublishedQuerySet:
        return self.filter(self.model.public_q())  # type: ignore[attr-defined]


class Publishable(models.Model):
    """Content with a draft/published state. Public pages show only ``public()``.

    A subclass whose visibility also depends on a parent names the foreign key in
    ``public_parent`` (the parent must be :class:`Publishable` too): a theme is public when it is
    published and its programme is public.
    """

    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    publish_at = models.DateTimeField(
        _("Veröffentlichen am"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Geplante Veröffentlichung: Ein Entwurf wird zu diesem Zeitpunkt veröffentlicht. "
            "Vorher ist der Inhalt öffentlich nicht sichtbar, auch wenn er schon "
            "„Veröffentlicht“ ist."
        ),
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    #: Foreign key to the parent whose visibility this content inherits ("" = none).
    public_parent: ClassVar[str] = ""

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    @property
    def is_scheduled(self) -> bool:
        """A publication date in the future is set."""
        return self.publish_at is not None and self.publish_at > timezone.now()

    @property
    def is_public(self) -> bool:
        """The same rule as :meth:`PublishedQuerySet.public`, for one loaded object."""
        if not self.is_published or self.is_scheduled:
            return False
        if not self.public_parent:
            return True
        parent = getattr(self, self.public_parent)
        return parent is not None and parent.is_public

    @classmethod
    def public_q(cls, prefix: str = "") -> Q:
        """The ``public()`` condition as a ``Q`` for this model reached through ``prefix``
        (e.g. ``Project.public_q("project__")`` on project partners): one definition of
        "public" for querysets, joins, annotations and subqueries."""
        condition = Q(**{f"{prefix}status": PublicationStatus.PUBLISHED}) & (
            Q(**{f"{prefix}publish_at__isnull": True})
            | Q(**{f"{prefix}publish_at__lte": timezone.now()})
        )
        if cls.public_parent:
            parent = cls._meta.get_field(cls.public_parent).related_model
            condition &= parent.public_q(f"{prefix}{cls.public_parent}__")  # type: ignore[union-attr]
        return condition


class QueuedMail(models.Model):
    """An outgoing mail of any app; kept until sent, retried with exponential backoff.

    ``object_type``/``object_id`` name what the mail is about (e.g. ``events.registration`` 42,
    ``auth.user`` 7), as in the audit log, so that erasing personal data can delete its mails.
    """

    to = models.EmailField(_("an"), max_length=254)
    subject = models.CharField(_("Betreff"), max_length=300)
    body = models.TextField(_("Text"))
    html_body = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(
        _("zusätzliche Kopfzeilen"),
        default=dict,
        blank=True,
        help_text=_("z. B. List-Unsubscribe für Newsletter (RFC 8058)."),
    )
    kind = models.CharField(_("Art"), max_length=40, blank=True, db_index=True)
    language = models.CharField(_("Sprache"), max_length=8, blank=True)
    object_type = models.CharField(_("Objekttyp"), max_length=100, blank=True)
    object_id = models.CharField(_("Objekt-ID"), max_length=64, blank=True)
    sensitive = models.BooleanField(
        _("vertraulich"),
        default=False,
        help_text=_("Der Text enthält einen Zugangslink und wird nach dem Versand gelöscht."),
    )
    created_at = models.DateTimeField(_("angelegt"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), default=timezone.now)
    locked_until = models.DateTimeField(_("in Arbeit bis"), null=True, blank=True)
    sent_at = models.DateTimeField(_("versandt"), null=True, blank=True, db_index=True)
    failed_at = models.DateTimeField(_("aufgegeben"), null=True, blank=True)
    last_error = models.TextField(_("letzter Fehler"), blank=True)

    class Meta:
        verbose_name = _("E-Mail (Warteschlange)")
        verbose_name_plural = _("E-Mail-Warteschlange")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["sent_at", "failed_at", "next_attempt_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
