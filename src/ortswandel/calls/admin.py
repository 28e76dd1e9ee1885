"""Back office: programme editors set up the calls of their own programmes (criteria with
weights, budgets per year inline); site admins see all. Everything after the set-up (jury,
assignment, decisions, grants) happens on the calls pages, through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from ortswandel.accounts.predicates import is_programme_editor, is_site_admin
from ortswandel.accounts.roles import restrict_to_programmes
from ortswandel.catalogue.models import Programme
from ortswandel.core.admin import AuditedModelAdmin, RulesAdminMixin

from .models import Budget, Call, Criterion
from .versions import bump_call


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("position", "name", "weight", "description")


class BudgetInline(admin.TabularInline):
    model = Budget
    extra = 0


@admin.register(Call)
class CallAdmin(RulesAdminMixin, AuditedModelAdmin):
    admin_scope = is_site_admin | is_programme_editor
    list_display = ("title", "programme", "phase", "opens_at", "closes_at", "status", "is_demo")
    list_filter = ("phase", "status")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (CriterionInline, BudgetInline)

    def get_queryset(self, request: HttpRequest) -> Any:
        return restrict_to_programmes(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "programme":
            kwargs["queryset"] = restrict_to_programmes(Programme.objects.all(), request.user, "pk")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not request.user.has_perm(self._rule("change" if change else "add"), obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Criteria (weights) and the scale change the jury's ranking: a new version."""
        super().save_related(request, form, formsets, change)
        bump_call(form.instance.pk)
