"""Editors' admin for the knowledge portal.

Roles (see :mod:`ortswandel.accounts.roles`); every object check asks the permissions declared in
:mod:`ortswandel.catalogue.rules`:

* site admins see and edit everything, create programmes and appoint their editors;
* programme editors (``is_staff`` + listed in ``Programme.editors`` + model permissions) see and
  edit only content of *their* programmes: querysets are restricted, the programme/theme/project
  choices offer only their programmes, and every save is re-checked on the server so a forged
  POST cannot move content into a foreign programme;
* organisations are shared master data across programmes: every editor may add and change them
  (only site admins may delete them, because a deletion affects other programmes' projects).

Every create/change/delete is written to the audit log (``AuditedModelAdmin``); publish and
unpublish are admin actions that go through :mod:`ortswandel.catalogue.services` (audited too).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortswandel.accounts.predicates import is_site_admin
from ortswandel.accounts.roles import restrict_to_programmes
from ortswandel.core.admin import AuditedModelAdmin, RulesAdminMixin, VersionedAdmin
from ortswandel.core.audit import audit_log
from ortswandel.core.errors import PermissionDenied as OrtswandelPermissionDenied
from ortswandel.core.images import renditions_update_on_commit
from ortswandel.municipalities.models import Municipality

from . import services
from .models import (
    NewsItem,
    Organisation,
    Programme,
    Project,
    ProjectPartner,
    Publication,
    Result,
    Theme,
)
from .predicates import is_editor_or_admin
from .selectors import municipality_choice_label, project_choice_label, theme_choice_label

URL_FIELDS: dict[type[models.Field], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


#: Models with a preview of their public page (``catalogue.views.PREVIEW_VIEWS``).
PREVIEW_MODELS = {"project", "result", "publication", "newsitem"}


def scoped_manytomany(
    parent: Any, db_field: Any, request: HttpRequest, **kwargs: Any
) -> forms.Field:
    """Theme/project/municipality choices for an editor: only their programmes' themes and
    projects, each labelled with its programme (two projects named "Bad Belzig" differ by
    programme and start year), municipalities with district and Land. Used by the catalogue
    and events admins."""
    if db_field.name == "themes":
        kwargs["queryset"] = restrict_to_programmes(
            Theme.objects.select_related("programme").order_by("programme__name", "name"),
            request.user,
        )
    elif db_field.name == "projects":
        kwargs["queryset"] = restrict_to_programmes(
            Project.objects.select_related("programme").order_by("programme__name", "acronym"),
            request.user,
        )
    field = parent(db_field, request, **kwargs)
    if field is not None:
        labels = {
            "themes": theme_choice_label,
            "projects": project_choice_label,
            "municipalities": municipality_choice_label,
        }
        if db_field.name in labels:
            field.label_from_instance = labels[db_field.name]
    return field


admin.site.register_choice_label(Municipality, municipality_choice_label)  # type: ignore[attr-defined]


class ThemesOfProgrammeForm(forms.ModelForm):
    """Checks that the chosen themes belong to the chosen programme."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        programme = cleaned.get("programme")
        themes = cleaned.get("themes")
        if programme is not None and themes is not None:
            foreign = [t for t in themes if t.programme_id != programme.pk]
            if foreign:
                self.add_error(
                    "themes",
                    _("Diese Themen gehören nicht zum Programm „%(programme)s“: %(themes)s.")
                    % {"programme": programme, "themes": ", ".join(t.name for t in foreign)},
                )
        return cleaned


class CatalogueContentAdmin(AuditedModelAdmin):
    """Every save and delete queues the catalogue's side effects (content version, search
    index) through the same service as publish/unpublish."""

    def content_changed(self, request: HttpRequest, objects: list[Any], *, deleting: bool) -> None:
        services.content_changed(objects=objects, deleting=deleting)


class PublishingAdmin(CatalogueContentAdmin):
    """Audited admin with publish/unpublish actions through the audited service."""

    actions = ["publish_selected", "unpublish_selected"]

    def _set_status(self, request: HttpRequest, queryset: QuerySet, *, publish: bool) -> None:
        service = services.content_publish if publish else services.content_unpublish
        try:
            changed = service(objects=queryset, actor=request.user)
        except OrtswandelPermissionDenied as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        text = (
            _("%(n)d Einträge veröffentlicht.") if publish else _("%(n)d Einträge zurückgezogen.")
        )
        self.message_user(request, text % {"n": len(changed)}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Ausgewählte veröffentlichen"), permissions=["change"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, publish=True)

    @admin.action(
        description=gettext_lazy("Ausgewählte zurückziehen (Entwurf)"), permissions=["change"]
    )
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, publish=False)


def scheduled_status(obj: Any) -> str:
    """ "Entwurf", "Veröffentlicht" or "geplant: 12.01.2027 10:00" for lists and the dashboard."""
    if obj.publish_at is not None and obj.publish_at > timezone.now():
        when = formats.date_format(timezone.localtime(obj.publish_at), "SHORT_DATETIME_FORMAT")
        return _("geplant: %(when)s") % {"when": when}
    return str(obj.get_status_display())


class ProgrammeScopedAdmin(RulesAdminMixin, VersionedAdmin, PublishingAdmin):
    """Base for content that belongs to one programme (field ``programme``). Object permissions
    come from ``catalogue/rules.py``; lists and choices are narrowed to the user's programmes,
    each choice named with its programme. Revision history with restore (``VersionedAdmin``)
    and a preview link to the public page of a draft (``catalogue:preview``)."""

    admin_scope = is_editor_or_admin

    form = ThemesOfProgrammeForm
    formfield_overrides = URL_FIELDS
    list_filter = ["status", ("programme", admin.RelatedOnlyFieldListFilter)]
    save_on_top = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request).select_related("programme")
        return restrict_to_programmes(qs, request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "programme":
            kwargs["queryset"] = restrict_to_programmes(
                Programme.objects.order_by("name"), request.user, "id"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        return scoped_manytomany(super().formfield_for_manytomany, db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("Status"), ordering="status")
    def status_display(self, obj: Any) -> str:
        return scheduled_status(obj)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        model = self.opts.model_name
        if model in PREVIEW_MODELS and object_id.isdigit():
            url = reverse("catalogue:preview", kwargs={"model": model, "pk": int(object_id)})
            extra_context = {**(extra_context or {}), "preview_url": url}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Server-side re-check: the target programme *and* (on change) the stored one.
        if not request.user.has_perm(self._rule("change" if change else "add"), obj):
            raise PermissionDenied
        if change:
            stored = type(obj).objects.filter(pk=obj.pk).first()
            if stored is not None and not request.user.has_perm(self._rule("change"), stored):
                raise PermissionDenied
        super().save_model(request, obj, form, change)
        renditions_update_on_commit(obj)


@admin.register(Programme)
class ProgrammeAdmin(RulesAdminMixin, VersionedAdmin, PublishingAdmin):
    list_display = ["name", "short_name", "kind", "status_display", "start_year", "end_year"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ("short_name",)}
    filter_horizontal = ["editors"]
    formfield_overrides = URL_FIELDS
    admin_scope = is_editor_or_admin
    model_scope = {"add": is_site_admin, "delete": is_site_admin}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return restrict_to_programmes(super().get_queryset(request), request.user, "id")

    @admin.display(description=gettext_lazy("Status"), ordering="status")
    def status_display(self, obj: Any) -> str:
        return scheduled_status(obj)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if not request.user.has_perm("catalogue.appoint_editors"):
            fields = [f for f in fields if f != "editors"]
        return fields

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        if not request.user.has_perm("catalogue.appoint_editors"):
            kwargs["exclude"] = [*(kwargs.get("exclude") or []), "editors"]
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not request.user.has_perm(self._rule("change" if change else "add"), obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        renditions_update_on_commit(obj)


@admin.register(Theme)
class ThemeAdmin(ProgrammeScopedAdmin):
    list_display = ["name", "kind", "programme", "status_display", "position"]
    list_filter = ["status", "kind", ("programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}


class ProjectPartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(Project)
class ProjectAdmin(ProgrammeScopedAdmin):
    list_display = [
        "acronym",
        "short_title",
        "programme",
        "status_display",
        "project_status",
        "start_date",
        "end_date",
    ]
    list_filter = [
        "status",
        "project_status",
        ("programme", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["acronym", "title", "slug", "funding_reference"]
    prepopulated_fields = {"slug": ("acronym",)}
    filter_horizontal = ["themes"]
    autocomplete_fields = ["municipalities"]
    inlines = [ProjectPartnerInline]
    date_hierarchy = "start_date"
    fieldsets = [
        (None, {"fields": ["programme", ("acronym", "slug"), "title"]}),
        (
            gettext_lazy("Veröffentlichung"),
            {
                "fields": [("status", "publish_at")],
                "description": gettext_lazy(
                    "Ein Entwurf mit Datum wird zu diesem Zeitpunkt veröffentlicht "
                    "(Vorschau: oben rechts)."
                ),
            },
        ),
        (gettext_lazy("Text"), {"fields": ["summary"]}),
        (gettext_lazy("Teaserbild"), {"fields": [("teaser_image", "teaser_image_alt")]}),
        (
            gettext_lazy("Projektdaten"),
            {
                "fields": [
                    ("start_date", "end_date"),
                    "project_status",
                    ("funding_amount", "funding_reference"),
                    "website",
                ],
                "classes": ["collapse"],
            },
        ),
        (
            gettext_lazy("Themen und Modellkommunen"),
            {"fields": ["themes", "municipalities"], "classes": ["collapse"]},
        ),
    ]

    @admin.display(description=gettext_lazy("Titel"), ordering="title")
    def short_title(self, obj: Project) -> str:
        return Truncator(obj.title).chars(60)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        partners = {
            "added": [str(o) for o in formset.new_objects],
            "changed": [str(o) for o, _fields in formset.changed_objects],
            "deleted": [str(o) for o in formset.deleted_objects],
        }
        if any(partners.values()):
            audit_log(
                action="catalogue.project.partners_changed",
                actor=request.user,
                obj=form.instance,
                payload={"partners": partners},
            )


@admin.register(Result)
class ResultAdmin(ProgrammeScopedAdmin):
    list_display = ["title", "kind", "programme", "status_display", "year", "is_featured"]
    list_filter = ["status", "kind", "is_featured", ("programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "target_group"]
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ["themes", "projects"]


@admin.register(Publication)
class PublicationAdmin(ProgrammeScopedAdmin):
    list_display = ["title", "kind", "programme", "status_display", "year"]
    list_filter = ["status", "kind", ("programme", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "authors"]
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ["themes", "projects"]


@admin.register(NewsItem)
class NewsItemAdmin(ProgrammeScopedAdmin):
    list_display = ["title", "programme", "published_on", "status_display"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ["themes"]
    date_hierarchy = "published_on"


@admin.register(Organisation)
class OrganisationAdmin(RulesAdminMixin, CatalogueContentAdmin):
    """Shared across programmes: editors may add and change, only site admins delete."""

    list_display = ["name", "kind", "municipality", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["municipality"]
    formfield_overrides = URL_FIELDS
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "slug", "kind", "municipality", "website", "description"],
                "description": gettext_lazy(
                    "Organisationen werden von allen Programmen gemeinsam genutzt: Änderungen "
                    "wirken auch in Projekten anderer Programme. Löschen dürfen nur "
                    "Administratorinnen und Administratoren."
                ),
            },
        )
    ]
    model_scope = {"delete": is_site_admin}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # shared master data: Django's model permission, for every organisation
        return super(RulesAdminMixin, self).has_change_permission(request, obj)


from . import dashboard as _dashboard  # noqa: E402, F401  (registers the dashboard panels)
