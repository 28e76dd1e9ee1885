"""Participation (Bürgerbeteiligung): processes with phases, ideas, comments, votes, polls,
participatory budgeting and accountability (issue 11).

The shape follows adhocracy4/meinBerlin (a process has phases on a timeline; what a participant
may do depends on the phase active *now*), Decidim (accountability: results linked to the ideas
they came from, with an implementation status tracked over time) and CONSUL (participatory
budgeting: costed proposals, one ballot per verified participant). Written from scratch.

Counters (``Idea.support_count``, ``comment_count``) are updated with ``F()`` expressions inside
the service's transaction; the unique constraints on votes and ballots make a second vote of the
same person impossible even under concurrency.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ortswandel.catalogue.models import Programme, Project, Result, Theme
from ortswandel.core.files import ProtectedFileField
from ortswandel.core.questions import QuestionModel, QuestionSpec
from ortswandel.core.richtext import RichTextField
from ortswandel.events.models import Event
from ortswandel.municipalities.models import Municipality


class Visibility(models.TextChoices):
    PUBLIC = "public", _("öffentlich")
    RESTRICTED = "restricted", _("nur für eingeladene Teilnehmende")


class Admission(models.TextChoices):
    VERIFIED = "verified", _("alle mit bestätigter E-Mail-Adresse")
    RESIDENTS = "residents", _("nur Einwohnerinnen und Einwohner (Selbsterklärung)")
    INVITATION = "invitation", _("nur mit Einladungscode")


class ProcessQuerySet(models.QuerySet):
    def public(self) -> ProcessQuerySet:
        """Published processes open to everybody (restricted ones are listed for their
        participants and moderators only)."""
        return self.filter(is_published=True, visibility=Visibility.PUBLIC)


class Process(models.Model):
    """A co-creation process of one municipality (a model project's future discussion, a
    Reallabor, a workshop series)."""

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=120, unique=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        related_name="participation_processes",
    )
    description = RichTextField(_("Beschreibung"), blank=True)
    project = models.ForeignKey(
        Project,
        verbose_name=_("Projekt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participation_processes",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("Programm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participation_processes",
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("Themen"), blank=True, related_name="+")
    events = models.ManyToManyField(
        Event,
        verbose_name=_("Veranstaltungen (Werkstätten, Reallabor-Termine)"),
        blank=True,
        related_name="participation_processes",
    )
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    admission = models.CharField(
        _("Wer darf mitmachen"),
        max_length=20,
        choices=Admission.choices,
        default=Admission.VERIFIED,
    )
    first_post_review = models.BooleanField(
        _("Erste Beiträge prüfen"),
        default=False,
        help_text=_("Der erste Beitrag einer Person erscheint erst nach Freigabe."),
    )
    code_of_conduct = models.TextField(_("Verhaltensregeln"), blank=True)
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Moderation"),
        blank=True,
        related_name="moderated_processes",
    )
    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    is_demo = models.BooleanField(_("Demo-Daten"), default=False)
    source_note = models.CharField(_("Quelle"), max_length=500, blank=True)
    catalogue_result = models.ForeignKey(
        Result,
        verbose_name=_("Abschlussbericht im Katalog"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beteiligungsprozess")
        verbose_name_plural = _("Beteiligungsprozesse")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:process", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.is_published and self.visibility == Visibility.PUBLIC

    def active_phase(self, now: object = None) -> Phase | None:
        moment = now or timezone.now()
        return self.phases.filter(starts_at__lte=moment, ends_at__gt=moment).first()


class PhaseKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    IDEAS = "ideas", _("Ideensammlung")
    DISCUSSION = "discussion", _("Diskussion")
    VOTING = "voting", _("Priorisierung / Abstimmung")
    SURVEY = "survey", _("Umfrage")
    BUDGET = "budget", _("Bürgerhaushalt")
    RESULTS = "results", _("Ergebnisse")


#: What each phase kind lets participants do (adhocracy4: a phase's ``features``).
PHASE_FEATURES: dict[str, frozenset[str]] = {
    PhaseKind.INFORMATION: frozenset(),
    PhaseKind.IDEAS: frozenset({"propose", "comment"}),
    PhaseKind.DISCUSSION: frozenset({"comment"}),
    PhaseKind.VOTING: frozenset({"vote", "comment"}),
    PhaseKind.SURVEY: frozenset({"answer"}),
    PhaseKind.BUDGET: frozenset({"ballot"}),
    PhaseKind.RESULTS: frozenset(),
}


class BudgetMethod(models.TextChoices):
    KNAPSACK = "knapsack", _("Warenkorb (bis zum Budget)")
    APPROVAL = "approval", _("Zustimmung (bis zu N Vorschläge)")


class Phase(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("Art"), max_length=20, choices=PhaseKind.choices)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    budget = models.DecimalField(
        _("Budget (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_method = models.CharField(
        _("Abstimmungsverfahren"),
        max_length=20,
        choices=BudgetMethod.choices,
        default=BudgetMethod.KNAPSACK,
    )
    approval_limit = models.PositiveSmallIntegerField(_("Höchstzahl Stimmen"), default=3)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Phase")
        verbose_name_plural = _("Phasen")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="phase_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.process}: {self.name}"

    @property
    def features(self) -> frozenset[str]:
        return PHASE_FEATURES.get(self.kind, frozenset())

    def is_active(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return bool(self.starts_at <= moment < self.ends_at)  # type: ignore[operator]

    def state(self, now: object = None) -> str:
        moment = now or timezone.now()
        if moment < self.starts_at:  # type: ignore[operator]
            return "upcoming"
        return "active" if moment < self.ends_at else "past"  # type: ignore[operator]


class InvitationCode(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("Code"), max_length=32, unique=True)
    note = models.CharField(_("Notiz (z. B. Veranstaltung)"), max_length=200, blank=True)
    max_uses = models.PositiveIntegerField(_("höchstens einzulösen"), default=1)
    uses = models.PositiveIntegerField(_("eingelöst"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Einladungscode")
        verbose_name_plural = _("Einladungscodes")

    def __str__(self) -> str:
        return self.code


class Participant(models.Model):
    """A person taking part in one process: display name, accepted code of conduct, how they
    were admitted, whether their posts still need a first review."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    display_name = models.CharField(_("Anzeigename"), max_length=60)
    accepted_code_at = models.DateTimeField(_("Verhaltensregeln akzeptiert am"))
    resident_declared = models.BooleanField(
        _("wohnt in der Kommune (Selbsterklärung)"), default=False
    )
    invitation = models.ForeignKey(
        InvitationCode, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trusted = models.BooleanField(_("Beiträge ohne Prüfung"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Teilnehmende Person")
        verbose_name_plural = _("Teilnehmende")
        constraints = [
            models.UniqueConstraint(fields=["process", "user"], name="participant_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name


class Category(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("Name"), max_length=100)

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FeedbackStatus(models.TextChoices):
    NONE = "", _("noch ohne Rückmeldung")
    IN_REVIEW = "in_review", _("in Prüfung")
    TAKEN_UP = "taken_up", _("aufgegriffen")
    NOT_TAKEN_UP = "not_taken_up", _("nicht aufgegriffen")


class IdeaQuerySet(models.QuerySet):
    def visible(self) -> IdeaQuerySet:
        """Ideas anyone who may see the process may see: not hidden, not awaiting review."""
        return self.filter(is_hidden=False, awaiting_review=False)


class Idea(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participation_ideas",
    )
    author_name = models.CharField(_("Anzeigename"), max_length=60)
    title = models.CharField(_("Titel"), max_length=120)
    text = RichTextField(_("Beschreibung"))
    category = models.ForeignKey(
        Category, verbose_name=_("Kategorie"), null=True, blank=True, on_delete=models.SET_NULL
    )
    #: Position on the municipality map as a fraction of its frame (0…1, x to the east, y to the
    #: south); both empty when the idea has no place.
    map_x = models.FloatField(_("Position (x)"), null=True, blank=True)
    map_y = models.FloatField(_("Position (y)"), null=True, blank=True)
    location_text = models.CharField(_("Ort (Beschreibung)"), max_length=200, blank=True)
    image = ProtectedFileField(_("Bild"), prefix="participation", blank=True)
    image_alt = models.CharField(_("Bildbeschreibung (Alternativtext)"), max_length=300, blank=True)
    cost = models.DecimalField(
        _("geschätzte Kosten (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    feedback_status = models.CharField(
        _("Rückmeldung"),
        max_length=20,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.NONE,
        blank=True,
        db_index=True,
    )
    feedback_text = models.TextField(_("Begründung der Moderation"), blank=True)
    is_hidden = models.BooleanField(_("ausgeblendet"), default=False)
    hidden_reason = models.CharField(_("Grund für das Ausblenden"), max_length=300, blank=True)
    awaiting_review = models.BooleanField(_("wartet auf Freigabe"), default=False)
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)
    against_count = models.PositiveIntegerField(_("Gegenstimmen"), default=0)
    comment_count = models.PositiveIntegerField(_("Kommentare"), default=0)
    is_demo = models.BooleanField(_("Demo-Daten"), default=False)
    created_at = models.DateTimeField(_("eingereicht am"), default=timezone.now)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("Idee")
        verbose_name_plural = _("Ideen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["process", "is_hidden", "awaiting_review", "-created_at"],
                name="idea_list_new",
            ),
            models.Index(
                fields=["process", "is_hidden", "awaiting_review", "-support_count"],
                name="idea_list_support",
            ),
            models.Index(
                fields=["process", "is_hidden", "awaiting_review", "-comment_count"],
                name="idea_list_comments",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(map_x__isnull=True) & Q(map_y__isnull=True))
                | (Q(map_x__gte=0, map_x__lte=1, map_y__gte=0, map_y__lte=1)),
                name="idea_position_in_frame",
            ),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""), name="idea_image_has_alt"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:idea", kwargs={"slug": self.process.slug, "pk": self.pk})


class IdeaVersion(models.Model):
    """Edit history: the state of an idea *before* each edit."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="versions")
    title = models.CharField(max_length=120)
    text = models.TextField()
    edited_by_moderator = models.BooleanField(default=False)
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.edited_at:%Y-%m-%d %H:%M})"


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participation_comments",
    )
    author_name = models.CharField(_("Anzeigename"), max_length=60)
    text = models.TextField(_("Kommentar"))
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    awaiting_review = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["idea", "created_at"], name="comment_idea_time")]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"


class Vote(models.Model):
    """A support (+1) or objection (−1) of one person for one idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="participation_votes",
    )
    value = models.SmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="vote_one_per_person"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_pm1"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} {self.idea_id}"


class Report(models.Model):
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("Grund der Meldung"))
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reason[:60]


class Follow(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participation_follows"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The UI language when following (or joining): mails to the follower are written in it.
    language = models.CharField(_("Sprache"), max_length=8, default="de", editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["process", "user"], name="follow_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.process_id}"


# --- polls and surveys ----------------------------------------------------------------------


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Einfachauswahl")
    MULTIPLE = "multiple", _("Mehrfachauswahl")
    RANKING = "ranking", _("Rangfolge")
    TEXT = "text", _("Freitext")


#: Longest free-text answer to a survey question (characters).
ANSWER_MAX_LENGTH = 2000


class Question(QuestionModel):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("Frage"), max_length=300)
    kind = models.CharField(_("Art"), max_length=20, choices=QuestionKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    #: Multiple choice: at most this many answers; ranking: at most this many places (empty:
    #: no limit).
    max_choices = models.PositiveSmallIntegerField(
        _("höchstens so viele Antworten"), null=True, blank=True
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(max_choices__gte=1),
                name="question_max_choices_positive",
            )
        ]

    def __str__(self) -> str:
        return self.text

    def spec(self) -> QuestionSpec:
        """The shared description (:mod:`ortswandel.core.questions`); the choices are the
        primary keys of :class:`Choice` rows (use ``prefetch_related("choices")``)."""
        choices = list(self.choices.all()) if self.kind != QuestionKind.TEXT else []
        return QuestionSpec(
            key=self.key,
            label=self.text,
            kind=self.kind,
            choices=tuple(str(c.pk) for c in choices),
            choice_labels=tuple(c.label for c in choices),
            max_length=ANSWER_MAX_LENGTH,
            position=self.position,
        )


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("Antwort"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class SurveyResponse(models.Model):
    """One person's answers to the questions of a survey phase (one per person and phase)."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phase", "user"], name="survey_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.phase_id}/{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.CASCADE)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choice_id or self.text[:40]}"


# --- participatory budgeting ----------------------------------------------------------------


class Ballot(models.Model):
    """One ballot per verified participant and budget phase (CONSUL: one per person)."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="ballots")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ideas = models.ManyToManyField(Idea, related_name="ballots")
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phase", "user"], name="ballot_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.phase_id}/{self.pk}"


# --- accountability -------------------------------------------------------------------------


class ImplementationStatus(models.TextChoices):
    DECIDED = "decided", _("beschlossen")
    PLANNING = "planning", _("in Planung")
    IN_PROGRESS = "in_progress", _("in Umsetzung")
    DONE = "done", _("umgesetzt")
    DROPPED = "dropped", _("nicht umgesetzt")


class Outcome(models.Model):
    """What was decided (Decidim: an accountability result), linked to the ideas it came from."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(_("Titel"), max_length=200)
    description = RichTextField(_("Beschreibung"), blank=True)
    ideas = models.ManyToManyField(
        Idea, verbose_name=_("Ideen"), blank=True, related_name="outcomes"
    )
    status = models.CharField(
        _("Umsetzungsstand"),
        max_length=20,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.DECIDED,
    )
    progress = models.PositiveSmallIntegerField(_("Fortschritt (%)"), default=0)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Ergebnis")
        verbose_name_plural = _("Ergebnisse")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="outcome_progress_pct")
        ]

    def __str__(self) -> str:
        return self.title


class OutcomeUpdate(models.Model):
    """The implementation status over time."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=ImplementationStatus.choices)
    progress = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.status} {self.progress} %"
