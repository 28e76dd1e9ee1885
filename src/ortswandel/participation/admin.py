"""Back office: site admins (and staff with the model permissions) set up processes with their
phases, categories and survey questions. Everyday moderation happens on the moderation page of
each process (``/beteiligung/<slug>/moderation/``), through the services."""

from __future__ import annotations

from django.contrib import admin

from ortswandel.core.admin import AuditedModelAdmin

from .models import Category, Choice, Phase, Process, Question


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ("kind", "name", "starts_at", "ends_at", "budget", "budget_method", "approval_limit")


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Process)
class ProcessAdmin(AuditedModelAdmin):
    list_display = ("title", "municipality", "visibility", "admission", "is_published", "is_demo")
    list_filter = ("visibility", "admission", "is_published", "is_demo")
    search_fields = ("title", "slug", "municipality__name")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("municipality",)
    raw_id_fields = ("project", "programme", "catalogue_result")
    filter_horizontal = ("moderators", "themes", "events")
    inlines = (PhaseInline, CategoryInline)


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 2


@admin.register(Question)
class QuestionAdmin(AuditedModelAdmin):
    list_display = ("text", "kind", "phase")
    list_filter = ("kind",)
    raw_id_fields = ("phase",)
    inlines = (ChoiceInline,)
