"""Back office of the planning app: challenges (editable), outlook runs (read only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ortswandel.core.admin import AuditedModelAdmin, RulesAdminMixin
from ortswandel.core.predicates import is_site_admin, is_staff_member

from .models import Challenge, OutlookRun
from .outlook.compute import OUTLOOK_VERSION


@admin.register(Challenge)
class ChallengeAdmin(RulesAdminMixin, AuditedModelAdmin):
    list_display = ("name", "code", "indicator", "direction", "threshold", "is_active", "position")
    list_editable = ("is_active", "position")
    list_filter = ("is_active", "indicator")
    search_fields = ("name", "name_en", "code", "description")
    filter_horizontal = ("themes",)
    admin_scope = is_staff_member
    content_versions = (OUTLOOK_VERSION,)
    fieldsets = (
        (None, {"fields": ("code", "name", "name_en", "description", "is_active", "position")}),
        (_("Regel"), {"fields": ("indicator", "direction", "threshold")}),
        (_("Wissen"), {"fields": ("themes",)}),
    )


@admin.register(OutlookRun)
class OutlookRunAdmin(RulesAdminMixin, admin.ModelAdmin):
    list_display = (
        "computed_at",
        "launch_year",
        "horizon_year",
        "municipalities",
        "seconds",
        "data_version",
        "is_current",
    )
    readonly_fields = [f.name for f in OutlookRun._meta.fields]
    admin_scope = is_site_admin

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
