"""Admin for the official register: read-only for everyone except site admins."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ortswandel.core import versions
from ortswandel.core.admin import AuditedModelAdmin
from ortswandel.core.roles import is_site_admin

from .models import Municipality


@admin.register(Municipality)
class MunicipalityAdmin(AuditedModelAdmin):
    """The register is official data (GV100AD): editors may look, only site admins may change
    it (and the import command overwrites their changes with the official values)."""

    list_display = ["name", "ags", "kreis_name", "land_name", "population", "size_class"]
    list_filter = ["land_name", "size_class", "municipality_type"]
    search_fields = ["name", "name_normalized", "=ags", "=ars", "=postal_code"]
    ordering = ["name", "ags"]
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = ["name_normalized", "updated_at"]
    #: similarity arrays; the facet index of the catalogue counts Länder and size classes
    content_versions = (versions.REGISTER, versions.CATALOGUE)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff) or is_site_admin(user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_site_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_site_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_site_admin(request.user)
