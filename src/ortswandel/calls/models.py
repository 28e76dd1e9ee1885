"""Calls for model projects (Ausschreibungen): applications, jury review, decisions, grants.

A :class:`Call` belongs to a catalogue programme. Municipalities (their staff, see
``accounts.MunicipalityStaffGrant``) apply with an :class:`Application`; a jury
(:class:`JuryMember`) declares conflicts, reviews on weighted :class:`Criterion` rows
(:class:`Review`, :class:`Score`); the chair decides (:class:`Decision`); selected applications
receive :class:`Grant` rows per year within the call's :class:`Budget` and become model projects in
the catalogue. Every write goes through :mod:`ortswandel.calls.services` (audited).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ortswandel.catalogue.models import Programme, Project
from ortswandel.core.files import ProtectedFileField
from ortswandel.core.models import PublicationStatus
from ortswandel.municipalities.models import Municipality

#: The default criteria (round 2 of "Meine Stadt der Zukunft", Brandenburg): name, weight.
DEFAULT_CRITERIA: tuple[tuple[str, int], ...] = (
    ("Innovationsgehalt", 1),
    ("Qualität des integrierten Ansatzes", 1),
    ("Partizipationsansatz", 1),
    ("Schlüssigkeit des räumlichen Betrachtungsschwerpunkts", 1),
    ("Umsetzungsorientierung", 1),
)
OPTIONAL_CRITERIA: tuple[str, ...] = ("Übertragbarkeit",)


class CallPhase(models.TextChoices):
    """Review phases (as in pretalx): what applicants may do and what jurors see."""

    SUBMISSION = "submission", _("Einreichung")
    REVIEW = "review", _("Begutachtung")
    MEETING = "meeting", _("Jurysitzung")
    DECIDED = "decided", _("Entschieden")


class CallQuerySet(models.QuerySet):
    def public(self) -> CallQuerySet:
        return self.filter(status=PublicationStatus.PUBLISHED, programme__status="published")


class Call(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("Programm"), on_delete=models.PROTECT, related_name="calls"
    )
    title = models.CharField(_("Titel"), max_length=300)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=120, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    phase = models.CharField(
        _("Phase"), max_length=20, choices=CallPhase.choices, default=CallPhase.SUBMISSION
    )
    opens_at = models.DateTimeField(_("Einreichung ab"))
    closes_at = models.DateTimeField(_("Einreichungsfrist"))
    # eligibility
    lands = models.JSONField(
        _("zugelassene Länder (Schlüssel)"), default=list, blank=True, help_text=_("Leer: alle.")
    )
    population_min = models.PositiveIntegerField(_("Einwohner mindestens"), null=True, blank=True)
    population_max = models.PositiveIntegerField(_("Einwohner höchstens"), null=True, blank=True)
    municipality_types = models.JSONField(
        _("zugelassene Gemeindetypen"), default=list, blank=True, help_text=_("Leer: alle.")
    )
    one_per_municipality = models.BooleanField(_("eine Bewerbung je Kommune"), default=True)
    # the form
    form_fields = models.JSONField(_("Formularfelder"), default=list, blank=True)
    grant_years = models.JSONField(_("Förderjahre"), default=list, blank=True)
    max_grant = models.DecimalField(
        _("Höchstförderung je Bewerbung (€)"), max_digits=12, decimal_places=2
    )
    own_share_min = models.DecimalField(
        _("Eigenanteil mindestens (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    attachment_types = models.JSONField(
        _("erlaubte Dateitypen der Anlagen"), default=list, blank=True
    )
    attachment_max_mb = models.PositiveSmallIntegerField(_("Anlagen höchstens (MB)"), default=10)
    # review
    scale_max = models.PositiveSmallIntegerField(
        _("Skala bis"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    reviews_per_application = models.PositiveSmallIntegerField(
        _("Gutachten je Bewerbung"), default=3
    )
    blind_review = models.BooleanField(_("verdeckte Begutachtung"), default=True)
    scores_after_own = models.BooleanField(
        _("Bewertungen anderer erst nach der eigenen"), default=True
    )
    is_demo = models.BooleanField(_("Demodaten"), default=False)
    source_note = models.TextField(_("Quellen"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ausschreibung")
        verbose_name_plural = _("Ausschreibungen")
        ordering = ["-closes_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:call_detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED and self.programme.is_public

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.phase == CallPhase.SUBMISSION and self.opens_at <= now < self.closes_at


class Budget(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    amount = models.DecimalField(_("Mittel (€)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("Budget")
        verbose_name_plural = _("Budgets")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["call", "year"], name="calls_budget_year")]

    def __str__(self) -> str:
        return f"{self.call} {self.year}"


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("Kriterium"), max_length=200)
    description = models.TextField(_("Erläuterung"), blank=True)
    weight = models.DecimalField(
        _("Gewicht"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Kriterium")
        verbose_name_plural = _("Kriterien")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="calls_criterion_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("eingereicht")
    WITHDRAWN = "withdrawn", _("zurückgezogen")
    SELECTED = "selected", _("ausgewählt")
    RESERVE = "reserve", _("Nachrückliste")
    REJECTED = "rejected", _("nicht ausgewählt")


#: Applications the jury sees (submitted, and those decided on).
REVIEWABLE = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SELECTED,
    ApplicationStatus.RESERVE,
    ApplicationStatus.REJECTED,
)


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Antragsteller/in"),
        on_delete=models.PROTECT,
        related_name="call_applications",
    )
    title = models.CharField(_("Titel des Vorhabens"), max_length=300)
    answers = models.JSONField(_("Angaben"), default=dict, blank=True)
    # The applicant's UI language at creation and submission: mails to the applicant use it.
    language = models.CharField(_("Sprache"), max_length=8, default="de", editable=False)
    budget = models.JSONField(_("Finanzplan"), default=dict, blank=True)
    co_municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("Mitantragstellende Kommunen"), blank=True, related_name="+"
    )
    partners = models.TextField(_("Partner (eine Zeile je Partner)"), blank=True, max_length=3000)
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    reserve_rank = models.PositiveSmallIntegerField(_("Platz Nachrückliste"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    submitted_copy = models.TextField(_("eingereichte Fassung (HTML)"), blank=True)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("Demodaten"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Bewerbung")
        verbose_name_plural = _("Bewerbungen")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:application_detail", kwargs={"pk": self.pk})

    @property
    def programme_id(self) -> int:
        return self.call.programme_id

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("Bezeichnung"), max_length=200)
    file = ProtectedFileField(_("Datei"), prefix="calls", permission="calls.view_attachment")
    size = models.PositiveIntegerField(_("Größe (Bytes)"), default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class JuryMember(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="jury")
    email = models.EmailField(_("E-Mail"))
    name = models.CharField(_("Name"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jury_memberships",
    )
    is_chair = models.BooleanField(_("Vorsitz"), default=False)
    invited_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Jurymitglied")
        verbose_name_plural = _("Jury")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["call", "email"], name="calls_jury_email")]

    def __str__(self) -> str:
        return self.name or self.email


class ConflictOfInterest(models.Model):
    juror = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("Grund"), max_length=500, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Interessenkonflikt")
        verbose_name_plural = _("Interessenkonflikte")
        constraints = [
            models.UniqueConstraint(fields=["juror", "application"], name="calls_conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.juror} – {self.application_id}"


class Assignment(models.Model):
    juror = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="assignments")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )

    class Meta:
        verbose_name = _("Zuteilung")
        verbose_name_plural = _("Zuteilungen")
        constraints = [
            models.UniqueConstraint(fields=["juror", "application"], name="calls_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.juror} → {self.application_id}"


class Review(models.Model):
    juror = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="reviews")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reviews")
    comment = models.TextField(_("Gesamteinschätzung"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Gutachten")
        verbose_name_plural = _("Gutachten")
        constraints = [
            models.UniqueConstraint(fields=["juror", "application"], name="calls_review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.juror} → {self.application_id}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("Punkte"))
    comment = models.TextField(_("Begründung"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="calls_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class DiscussionNote(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("Notiz"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Outcome(models.TextChoices):
    SELECTED = "selected", _("ausgewählt")
    RESERVE = "reserve", _("Nachrückliste")
    REJECTED = "rejected", _("nicht ausgewählt")


class Decision(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("Entscheidung"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("Begründung"), max_length=5000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Entscheidung")
        verbose_name_plural = _("Entscheidungen")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.outcome}"


class Grant(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="grants")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="grants")
    amount = models.DecimalField(
        _("Zuwendung (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("Zuwendung")
        verbose_name_plural = _("Zuwendungen")
        constraints = [
            models.UniqueConstraint(fields=["application", "budget"], name="calls_grant_year")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.amount}"


class MilestoneKind(models.TextChoices):
    PAYMENT = "payment", _("Auszahlung")
    REPORT = "report", _("Bericht fällig")


class Milestone(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=MilestoneKind.choices)
    due_on = models.DateField(_("fällig am"))
    amount = models.DecimalField(
        _("Betrag (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    label = models.CharField(_("Bezeichnung"), max_length=200)
    done_on = models.DateField(_("erledigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.label


#: Days before a report is due when the applicants are reminded (and the editors see it coming).
REPORT_REMINDER_DAYS = 14


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Erinnerung vor der Frist")
    OVERDUE = "overdue", _("Erinnerung nach der Frist")


class MilestoneReminder(models.Model):
    """A reminder mailed for a report milestone: one per milestone and kind, recorded in the same
    transaction as the queued mail (the unique constraint keeps the daily job idempotent)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("Art"), max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("verschickt am"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("Empfänger"), default=0)

    class Meta:
        verbose_name = _("Erinnerung an einen Bericht")
        verbose_name_plural = _("Erinnerungen an Berichte")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "kind"], name="calls_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id}: {self.kind}"
