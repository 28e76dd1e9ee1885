"""Admin for the audit log (read-only, site admins only) and the audited base ModelAdmin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from . import versions
from .audit import audit_log, model_diff, snapshot
from .models import AuditEntry


class AuditedModelAdmin(admin.ModelAdmin):
    """Every create, change and delete through the admin lands in the audit log, and queues its
    side effects for the commit (:meth:`content_changed`)."""

    #: Content versions (:mod:`ortswandel.core.versions`) replaced when a change made here commits.
    content_versions: tuple[str, ...] = ()

    def content_changed(self, request: HttpRequest, objects: list[Any], *, deleting: bool) -> None:
        """Side effects of a change made here, called inside the admin's transaction after a
        save and before a delete. By default: replace :attr:`content_versions` on commit.
        Apps whose content has more side effects call their service instead."""
        versions.bump_on_commit(*self.content_versions)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before: dict[str, Any] = {}
            if change and obj.pk:
                previous = type(obj).objects.filter(pk=obj.pk).first()
                before = snapshot(previous) if previous is not None else {}
            super().save_model(request, obj, form, change)
            after = snapshot(obj)
            verb = "changed" if change else "created"
            audit_log(
                action=f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}",
                actor=request.user,
                obj=obj,
                payload={"changes": model_diff(before, after)},
            )
            self.content_changed(request, [obj], deleting=False)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        m2m = {
            name: sorted(str(item.pk) for item in form.cleaned_data[name])
            for name in form.cleaned_data
            if hasattr(form.cleaned_data[name], "model") and name in form.changed_data
        }
        if m2m:
            audit_log(
                action=f"{form.instance._meta.app_label}.{form.instance._meta.model_name}.relations_changed",
                actor=request.user,
                obj=form.instance,
                payload={"relations": m2m},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_log(
                action=f"{obj._meta.app_label}.{obj._meta.model_name}.deleted",
                actor=request.user,
                obj=obj,
                payload={"before": snapshot(obj)},
            )
            self.content_changed(request, [obj], deleting=True)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            objects = list(queryset)
            for obj in objects:
                audit_log(
                    action=f"{obj._meta.app_label}.{obj._meta.model_name}.deleted",
                    actor=request.user,
                    obj=obj,
                    payload={"before": snapshot(obj)},
                )
            self.content_changed(request, objects, deleting=True)
            super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "action", "actor__username"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


from . import admin_jobs  # noqa: E402, F401  (mail queue and background jobs)
