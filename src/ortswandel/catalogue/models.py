"""The knowledge portal: programmes, themes, projects, partners, results, publications, news."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ortswandel.core.fields import FoldedTextField
from ortswandel.core.files import ProtectedFileField
from ortswandel.core.images import TeaserImageMixin, image_field
from ortswandel.core.models import Publishable
from ortswandel.core.richtext import RichTextField
from ortswandel.municipalities.models import Municipality


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Kommune")
    DISTRICT = "district", _("Landkreis")
    UNIVERSITY = "university", _("Hochschule")
    RESEARCH_INSTITUTE = "research_institute", _("Forschungseinrichtung")
    COMPANY = "company", _("Unternehmen")
    ASSOCIATION = "association", _("Verband/Verein")
    PUBLIC_BODY = "public_body", _("Behörde/Ministerium")
    OTHER = "other", _("Sonstige")


class OrganisationQuerySet(models.QuerySet):
    def public(self) -> OrganisationQuerySet:
        """Organisations are shared master data without a draft state: all are public (their
        pages list only partnerships in public projects, see ``ProjectPartner.public()``)."""
        return self.all()


class Organisation(models.Model):
    name = models.CharField(_("Name"), max_length=300)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=120, unique=True)
    kind = models.CharField(_("Art"), max_length=30, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Sitz (Kommune)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    website = models.URLField(_("Website"), blank=True)
    description = RichTextField(_("Beschreibung"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:organisation_detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return True  # no draft state (see OrganisationQuerySet.public)


class ProgrammeKind(models.TextChoices):
    FEDERAL_FUNDING = "federal_funding", _("Fördermaßnahme des Bundes")
    STATE_INITIATIVE = "state_initiative", _("Landesinitiative")
    TRANSFER_INITIATIVE = "transfer_initiative", _("Transferinitiative")


class Programme(TeaserImageMixin, Publishable):
    name = models.CharField(_("Name"), max_length=300)
    short_name = models.CharField(_("Kurzname"), max_length=100, blank=True)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=120, unique=True)
    kind = models.CharField(_("Art"), max_length=30, choices=ProgrammeKind.choices)
    funder = models.CharField(_("Fördermittelgeber"), max_length=300, blank=True)
    start_year = models.PositiveSmallIntegerField(_("Beginn (Jahr)"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("Ende (Jahr)"), null=True, blank=True)
    summary = models.TextField(_("Kurzbeschreibung"), blank=True, max_length=1000)
    name_en = models.CharField(_("Name (englisch)"), max_length=300, blank=True)
    summary_en = models.TextField(_("Kurzbeschreibung (englisch)"), blank=True, max_length=1000)
    description = RichTextField(_("Beschreibung"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Redaktion"),
        blank=True,
        related_name="edited_programmes",
        help_text=_("Diese Personen dürfen Inhalte des Programms bearbeiten."),
    )
    logo = image_field(_("Logo"), logo=True)
    logo_alt = models.CharField(
        _("Alternativtext des Logos"),
        max_length=250,
        blank=True,
        help_text=_("Pflicht, wenn ein Logo gesetzt ist, z. B. „Logo des Programms …“."),
    )
    logo_renditions = models.JSONField(default=dict, blank=True, editable=False)

    image_fields = ("teaser_image", "logo")

    class Meta:
        verbose_name = _("Programm")
        verbose_name_plural = _("Programme")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:programme_detail", kwargs={"slug": self.slug})


class ThemeKind(models.TextChoices):
    FOCUS_THEME = "focus_theme", _("Fokusthema")
    CORE_MESSAGE = "core_message", _("Kernbotschaft")
    FIELD_OF_ACTION = "field_of_action", _("Handlungsfeld")
    WORKSHOP_AREA = "workshop_area", _("Werkstattbereich")


class Theme(Publishable):
    public_parent = "programme"

    programme = models.ForeignKey(
        Programme, verbose_name=_("Programm"), on_delete=models.CASCADE, related_name="themes"
    )
    kind = models.CharField(_("Art"), max_length=30, choices=ThemeKind.choices)
    name = models.CharField(_("Name"), max_length=300)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=120)
    description = RichTextField(_("Beschreibung"), blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["programme", "kind", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "slug"], name="theme_unique_slug_per_programme"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "catalogue:theme_detail", kwargs={"programme": self.programme.slug, "slug": self.slug}
        )


class DatePrecision(models.TextChoices):
    """How much of a date the source states: ``2016``, ``2016-06`` or ``2016-06-01`` (the
    date field then holds the first day of the year or month)."""

    DAY = "day", _("Tag")
    MONTH = "month", _("Monat")
    YEAR = "year", _("Jahr")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    RUNNING = "running", _("laufend")
    COMPLETED = "completed", _("abgeschlossen")


class Project(TeaserImageMixin, Publishable):
    public_parent = "programme"

    programme = models.ForeignKey(
        Programme, verbose_name=_("Programm"), on_delete=models.PROTECT, related_name="projects"
    )
    acronym = models.CharField(_("Akronym"), max_length=60)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=120, unique=True)
    title = models.CharField(_("Titel"), max_length=400, blank=True)
    #: Acronym and title, folded: the text filter of the project directory (SQL and facets).
    search_text = FoldedTextField(_("Suchtext"), source_fields=("acronym", "title"))
    summary = RichTextField(_("Zusammenfassung"), blank=True)
    title_en = models.CharField(_("Titel (englisch)"), max_length=400, blank=True)
    summary_en = RichTextField(_("Zusammenfassung (englisch)"), blank=True)
    start_date = models.DateField(_("Beginn"), null=True, blank=True)
    start_precision = models.CharField(
        _("Genauigkeit des Beginns"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    end_date = models.DateField(_("Ende"), null=True, blank=True)
    end_precision = models.CharField(
        _("Genauigkeit des Endes"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    funding_amount = models.DecimalField(
        _("Fördersumme (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    funding_reference = models.CharField(_("Förderkennzeichen"), max_length=100, blank=True)
    project_status = models.CharField(
        _("Projektstand"), max_length=20, choices=ProjectStatus.choices, blank=True, db_index=True
    )
    website = models.URLField(_("Website"), blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("Themen"), blank=True, related_name="projects"
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("Modellkommunen"), blank=True, related_name="projects"
    )
    partners = models.ManyToManyField(
        Organisation, through="ProjectPartner", verbose_name=_("Partner"), related_name="projects"
    )

    class Meta:
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        ordering = ["acronym"]
        indexes = [
            # The public project directory filters on status and sorts/filters by these.
            models.Index(fields=["status", "acronym"], name="project_status_acronym"),
            models.Index(fields=["status", "start_date"], name="project_status_start"),
            models.Index(fields=["status", "end_date"], name="project_status_end"),
        ]

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self) -> str:
        return reverse("catalogue:project_detail", kwargs={"slug": self.slug})


class PartnerRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Verbundkoordination")
    RESEARCH_PARTNER = "research_partner", _("Forschungspartner")
    MUNICIPAL_PARTNER = "municipal_partner", _("kommunaler Partner")
    PRACTICE_PARTNER = "practice_partner", _("Praxispartner")
    ASSOCIATED_PARTNER = "associated_partner", _("assoziierter Partner")


class ProjectPartnerQuerySet(models.QuerySet):
    def public(self) -> ProjectPartnerQuerySet:
        """Partnerships in public projects."""
        return self.filter(Project.public_q("project__"))


class ProjectPartner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partnerships"
    )
    role = models.CharField(_("Rolle"), max_length=30, choices=PartnerRole.choices)

    objects = ProjectPartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Projektpartner")
        verbose_name_plural = _("Projektpartner")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation", "role"], name="project_partner_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display()}"


class ResultKind(models.TextChoices):
    INSTRUMENT = "instrument", _("Instrument")
    GUIDELINE = "guideline", _("Leitfaden")
    TOOL = "tool", _("Werkzeug")
    METHOD = "method", _("Methode")
    STUDY = "study", _("Studie")


class Result(TeaserImageMixin, Publishable):
    public_parent = "programme"

    title = models.CharField(_("Titel"), max_length=400)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=150, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=ResultKind.choices)
    programme = models.ForeignKey(
        Programme, verbose_name=_("Programm"), on_delete=models.PROTECT, related_name="results"
    )
    summary = RichTextField(_("Beschreibung"), blank=True)
    title_en = models.CharField(_("Titel (englisch)"), max_length=400, blank=True)
    summary_en = RichTextField(_("Beschreibung (englisch)"), blank=True)
    target_group = models.CharField(_("Zielgruppe"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("Jahr"), null=True, blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("Themen"), blank=True, related_name="results"
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("Projekte"), blank=True, related_name="results"
    )
    url = models.URLField(_("Link"), blank=True)
    file = ProtectedFileField(_("Datei"), prefix="results", blank=True)
    is_featured = models.BooleanField(
        _("Auf der Startseite zeigen"),
        default=False,
        help_text=_("Hervorgehobene Ergebnisse erscheinen auf der Startseite."),
    )

    class Meta:
        verbose_name = _("Ergebnis")
        verbose_name_plural = _("Ergebnisse")
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "kind"], name="result_status_kind")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:result_detail", kwargs={"slug": self.slug})


class PublicationKind(models.TextChoices):
    DOCUMENTATION = "documentation", _("Dokumentation")
    REPORT = "report", _("Bericht")
    BROCHURE = "brochure", _("Broschüre")
    ARTICLE = "article", _("Fachartikel")
    BOOK = "book", _("Buch")


class Publication(Publishable):
    public_parent = "programme"

    title = models.CharField(_("Titel"), max_length=400)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=150, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=PublicationKind.choices)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("Programm"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    authors = models.CharField(_("Autorinnen und Autoren"), max_length=500, blank=True)
    publisher = models.CharField(_("Herausgeber"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("Jahr"), null=True, blank=True)
    summary = RichTextField(_("Zusammenfassung"), blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("Themen"), blank=True, related_name="publications"
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("Projekte"), blank=True, related_name="publications"
    )
    url = models.URLField(_("Link"), blank=True)
    file = ProtectedFileField(_("Datei"), prefix="publications", blank=True)

    class Meta:
        verbose_name = _("Publikation")
        verbose_name_plural = _("Publikationen")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:publication_detail", kwargs={"slug": self.slug})


class NewsItem(TeaserImageMixin, Publishable):
    public_parent = "programme"

    title = models.CharField(_("Titel"), max_length=300)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=150, unique=True)
    programme = models.ForeignKey(
        Programme, verbose_name=_("Programm"), on_delete=models.PROTECT, related_name="news"
    )
    published_on = models.DateField(_("Datum"), db_index=True)
    teaser = models.TextField(_("Anreißer"), max_length=600, blank=True)
    title_en = models.CharField(_("Titel (englisch)"), max_length=300, blank=True)
    teaser_en = models.TextField(_("Anreißer (englisch)"), max_length=600, blank=True)
    body = RichTextField(_("Text"), blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("Themen"), blank=True, related_name="news"
    )

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:news_detail", kwargs={"slug": self.slug})


class CitationQuerySet(models.QuerySet):
    def of(self, obj: models.Model) -> CitationQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )


class Citation(models.Model):
    """The public source (URL) of one fact: a field of a catalogue object (``field``) or, with
    ``field`` empty, the object as a whole. ``statement`` holds the fact in words where it is
    not a field value (a programme's key facts, a model municipality as named in the source).

    Written by the content import (:mod:`ortswandel.catalogue.content_import`) and shown as
    "Quelle: …" beside the fact.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("Feld"), max_length=60, blank=True)
    url = models.URLField(_("Quelle"), max_length=1000)
    statement = models.TextField(_("Aussage"), blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    objects = CitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Quellenangabe")
        verbose_name_plural = _("Quellenangaben")
        ordering = ["content_type", "object_id", "field", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "statement", "url"],
                name="citation_unique",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="citation_target")]

    def __str__(self) -> str:
        return f"{self.field or '–'}: {self.url}"
