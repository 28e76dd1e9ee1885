"""Admin of the data pool.

* Imports: list of runs with their line-level problems, and the upload page for GENESIS /
  Regionalstatistik tables — staff with the permission ``datapool.import_official_data`` only.
* Indicators, spatial units and territorial changes: visible to that staff; changed by site
  admins (audited).
* Register uploads and per-AGS staff grants: site admins only (private data).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from ortswandel.core.admin import AuditedModelAdmin
from ortswandel.core.errors import PermissionDenied

from .forms import OfficialTableForm
from .models import (
    ImportRun,
    Indicator,
    RegisterUpload,
    SpatialUnit,
    TerritorialChange,
)
from .rules import is_site_admin, may_import_official_data
from .services.imports import ImportRejected, table_import
from .specs import upload_spec


class _OperatorReadable:
    """Importing staff may look; only site admins may change."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_import_official_data(request.user) or is_site_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_site_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_site_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_site_admin(request.user)


class _SiteAdminOnly:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_site_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_site_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_site_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_site_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_site_admin(request.user)


@admin.register(Indicator)
class IndicatorAdmin(_OperatorReadable, AuditedModelAdmin):
    list_display = ["code", "name", "unit", "source_table", "reference_date", "aggregation"]
    list_filter = ["aggregation", "period", "is_register"]
    search_fields = ["code", "name", "source_table"]
    readonly_fields = ["is_register", "updated_at"]


@admin.register(SpatialUnit)
class SpatialUnitAdmin(_OperatorReadable, AuditedModelAdmin):
    list_display = ["code", "name", "level", "territorial_status", "valid_until", "in_register"]
    list_filter = ["level", "in_register"]
    search_fields = ["=code", "name", "=ars"]
    raw_id_fields = ["parent"]
    show_full_result_count = False


@admin.register(TerritorialChange)
class TerritorialChangeAdmin(_OperatorReadable, AuditedModelAdmin):
    list_display = ["date", "level", "kind", "successor", "source"]
    raw_id_fields = ["successor"]
    filter_horizontal = ["predecessors"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "dataset", "file_name", "status", "created", "updated", "deleted"]
    list_filter = ["status", "dataset"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]
    change_list_template = "admin/datapool/importrun_changelist.html"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_import_official_data(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_import_official_data(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            "hochladen/",
            self.admin_site.admin_view(self.upload_view),
            name="datapool_importrun_upload",
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a GENESIS / Regionalstatistik table (all-or-nothing, problems by line)."""
        if not may_import_official_data(request.user):
            raise PermissionDenied()
        form = OfficialTableForm(request.POST or None, request.FILES or None)
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": _("Amtliche Tabelle in den Datenpool laden"),
            "form": form,
            "opts": self.model._meta,
            "problems": [],
            "report": None,
        }
        status = 200
        if request.method == "POST":
            status = self._import(request, form, context) if form.is_valid() else 400
        return TemplateResponse(
            request, "admin/datapool/importrun_upload.html", context, status=status
        )

    def _import(self, request: HttpRequest, form: OfficialTableForm, context: dict) -> int:
        data = form.cleaned_data
        upload = data["file"]
        spec = upload_spec(
            file_name=upload.name or "upload.csv",
            code=data["code"],
            name=data["name"],
            attribution=data["attribution"],
            unit=data["unit"],
            definition=data["definition"],
            layout=data["layout"],
            source_table=data["source_table"],
            source=data["source"],
            licence=data["licence"],
            reference_date=data["reference_date"],
            aggregation=data["aggregation"],
            weight=data["weight"],
            weight_breakdown=data["weight_breakdown"],
            levels=frozenset(data["levels"]),
            default_region=data["default_region"].strip() or None,
            decimal=data["decimal"],
            encoding=data["encoding"],
            complete=data["complete"],
            territorial_status=data["territorial_status"],
        )
        try:
            report = table_import(
                spec=spec, data=upload.read(), file_name=upload.name or "", actor=request.user
            )
        except ImportRejected as exc:
            context["problems"] = exc.problems
            messages.error(request, exc.message)
            return 400
        context["report"] = report
        messages.success(
            request,
            _(
                "%(file)s: %(created)d neu, %(updated)d geändert, %(deleted)d entfernt, "
                "%(unchanged)d unverändert."
            )
            % {
                "file": report.file_name,
                "created": report.counts.created,
                "updated": report.counts.updated,
                "deleted": report.counts.deleted,
                "unchanged": report.counts.unchanged,
            },
        )
        return 200


@admin.register(RegisterUpload)
class RegisterUploadAdmin(_SiteAdminOnly, admin.ModelAdmin):
    list_display = ["unit", "kind", "reference_date", "rows", "is_published", "created_at"]
    list_filter = ["kind", "is_published"]
    readonly_fields = [f.name for f in RegisterUpload._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
