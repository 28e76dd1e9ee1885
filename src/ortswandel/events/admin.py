"""Back office in the Django admin: programme editors edit the events and series of their own
programmes (agenda, materials, questions inline); participant work happens in the organiser pages
(``/veranstaltungen/organisation/``). The mail queue is in the core admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ortswandel.accounts.roles import restrict_to_programmes
from ortswandel.catalogue.admin import scheduled_status, scoped_manytomany
from ortswandel.catalogue.models import Programme
from ortswandel.core import versions
from ortswandel.core.admin import AuditedModelAdmin, RulesAdminMixin
from ortswandel.core.audit import audit_log
from ortswandel.core.changes import notify_content_changed

from . import dashboard as _dashboard  # noqa: F401  (registers the dashboard panel)
from . import services
from .models import AgendaItem, Event, EventSeries, Material, Question, Registration
from .predicates import is_organiser

URL_FIELDS: dict[type[models.Field], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


def _series_label(series: EventSeries) -> str:
    """A series named with its programme (the choice list may span several programmes)."""
    return f"{series.title} ({series.programme})"


class ProgrammeScopedAdmin(RulesAdminMixin, AuditedModelAdmin):
    """Editors see and change only rows of programmes they edit; site admins see all. Object
    permissions come from ``events/rules.py``."""

    programme_field = "programme"
    content_versions = (versions.EVENTS,)  # cached event page fragments
    formfield_overrides = URL_FIELDS
    admin_scope = is_organiser

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return restrict_to_programmes(
            super().get_queryset(request), request.user, self.programme_field
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "programme":
            kwargs["queryset"] = restrict_to_programmes(Programme.objects.all(), request.user, "pk")
        if db_field.name == "series":
            kwargs["queryset"] = restrict_to_programmes(
                EventSeries.objects.select_related("programme"), request.user
            )
        field: Any = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "series" and field is not None:
            field.label_from_instance = _series_label
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Only the editor's programmes' themes and projects, each named with its programme.
        return scoped_manytomany(super().formfield_for_manytomany, db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Server-side re-check of the target programme and (on change) the stored one.
        if not request.user.has_perm(self._rule("change" if change else "add"), obj):
            raise PermissionDenied
        if change:
            stored = type(obj).objects.filter(pk=obj.pk).first()
            if stored is not None and not request.user.has_perm(self._rule("change"), stored):
                raise PermissionDenied
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            if formset.has_changed():
                audit_log(
                    action=f"events.{form.instance._meta.model_name}.{formset.model._meta.model_name}s_changed",
                    actor=request.user,
                    obj=form.instance,
                    payload={"changed_forms": sum(1 for f in formset.forms if f.has_changed())},
                )


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class MaterialInline(admin.TabularInline):
    model = Material
    formfield_overrides = URL_FIELDS
    extra = 0


class QuestionInline(admin.StackedInline):
    model = Question
    fields = ["kind", "label", "help_text", "choices", "required", "position"]
    extra = 0


@admin.register(EventSeries)
class EventSeriesAdmin(ProgrammeScopedAdmin):
    list_display = ["title", "programme", "status", "is_demo"]
    list_filter = ["status", "programme", "is_demo"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes"]


@admin.register(Event)
class EventAdmin(ProgrammeScopedAdmin):
    def content_changed(self, request: HttpRequest, objects: list[Any], *, deleting: bool) -> None:
        """Cached fragments, and the site search (through ``core.changes``)."""
        super().content_changed(request, objects, deleting=deleting)
        notify_content_changed(objects=objects, deleting=deleting)

    list_display = [
        "short_title",
        "starts_at",
        "format",
        "programme",
        "status_display",
        "capacity",
        "participants_link",
    ]
    list_display_links = ["short_title"]
    list_filter = [
        "status",
        "format",
        "kind",
        ("programme", admin.RelatedOnlyFieldListFilter),
        "is_demo",
    ]
    search_fields = ["title", "summary"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes", "projects"]
    inlines = [AgendaItemInline, MaterialInline, QuestionInline]
    readonly_fields = ["followup_sent_at", "personal_data_purged_at"]
    # The form is long: grouped into sections, the rarely changed ones collapsed (<details>).
    fieldsets = [
        (
            _("Veranstaltung"),
            {"fields": ["title", "slug", "programme", "series", ("kind", "format")]},
        ),
        (
            _("Veröffentlichung"),
            {
                "fields": [("status", "publish_at")],
                "description": _(
                    "Entwurf mit Datum: wird zu diesem Zeitpunkt öffentlich sichtbar."
                ),
            },
        ),
        (
            _("Termin und Ort"),
            {
                "fields": [
                    ("starts_at", "ends_at"),
                    ("time_unknown", "schedule_note"),
                    ("venue_name", "venue_address"),
                    "online_url",
                    "organiser",
                ]
            },
        ),
        (_("Inhalt"), {"fields": ["summary", "description"]}),
        (
            _("Themen und Projekte"),
            {"fields": ["themes", "projects"], "classes": ["collapse"]},
        ),
        (
            _("Anmeldung"),
            {
                "fields": [
                    "registration_enabled",
                    ("registration_opens_at", "registration_closes_at"),
                    ("capacity", "waitlist_enabled"),
                    "consent_text",
                    "reminder_hours",
                ],
                "classes": ["collapse"],
            },
        ),
        (
            _("Datenschutz und Versand"),
            {
                "fields": [
                    "retention_days",
                    ("followup_sent_at", "personal_data_purged_at"),
                    "is_demo",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    @admin.display(description=_("Titel"), ordering="title")
    def short_title(self, obj: Event) -> str:
        return Truncator(obj.title).chars(60)

    @admin.display(description=_("Status"), ordering="status")
    def status_display(self, obj: Event) -> str:
        return scheduled_status(obj)

    @admin.display(description=_("Teilnehmende"))
    def participants_link(self, obj: Event) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("events:organiser_event", args=[obj.slug]), _("Liste")
        )

    def save_model(self, request: HttpRequest, obj: Event, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            promoted = services.event_fill_from_waitlist(event=obj, acting_user=request.user)
            if promoted:
                messages.info(
                    request,
                    _("%(n)s Personen sind von der Warteliste nachgerückt.") % {"n": len(promoted)},
                )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only overview; changes go through the organiser pages (services, audit, mail)."""

    list_display = ["__str__", "event", "status", "created_at", "attended"]
    list_filter = ["status", "event__programme"]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["event"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return restrict_to_programmes(
            super().get_queryset(request), request.user, "event__programme"
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Registration._meta.fields]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None:
            return request.user.has_perm("events.view_registration", obj)
        return super().has_view_permission(request) and is_organiser.test(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
