"""Admin of role grants: site admins give and take the role *staff of municipality Z*."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ortswandel.core.admin import AuditedModelAdmin, RulesAdminMixin

from .models import MunicipalityStaffGrant
from .predicates import is_site_admin


@admin.register(MunicipalityStaffGrant)
class MunicipalityStaffGrantAdmin(RulesAdminMixin, AuditedModelAdmin):
    """Grants are audited (``AuditedModelAdmin``); the rules are in ``accounts/rules.py``."""

    list_display = ["user", "municipality", "valid_until", "granted_by", "created_at"]
    list_filter = [("valid_until", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__email", "municipality__name", "=municipality__ags"]
    autocomplete_fields = ["user", "municipality"]
    readonly_fields = ["granted_by", "created_at"]
    admin_scope = is_site_admin

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
