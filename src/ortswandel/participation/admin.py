"""Back office: site admins (and staff with the model permissions) set up processes with their
phases, categories and survey questions. Everyday moderation happens on the moderation page of
each process (``/beteiligung/<slug>/moderation/``), through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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


def _answered(question: Question | None) -> bool:
    return question is not None and question.phase.responses.exists()


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 2

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _answered(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _answered(obj) and super().has_delete_permission(request, obj)


@admin.register(Question)
class QuestionAdmin(AuditedModelAdmin):
    """Once the survey has answers, a question can no longer change its kind, rules or choices
    here either (the survey editor in the back office allows wording fixes; see
    :mod:`.survey_editor`)."""

    list_display = ("text", "kind", "phase")
    list_filter = ("kind",)
    raw_id_fields = ("phase",)
    inlines = (ChoiceInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if _answered(obj):
            return ("phase", "kind", "position", "required", "max_choices")
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _answered(obj) and super().has_delete_permission(request, obj)
