"""Admin plumbing: the audited base ModelAdmin, permission methods that ask the apps' rules, and
the audit log (read-only, site admins only). The admin site itself is in ``adminsite.py``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from reversion.admin import VersionAdmin

from . import versions
from .audit import audit_log, model_diff, snapshot
from .models import AuditEntry
from .richtext import RichTextField, rich_text_form_field


class RulesAdminMixin:
    """ModelAdmin permission methods that ask the app's rules, like views, API and templates.

    * For one object: ``request.user.has_perm("<app>.<verb>_<model>", obj)`` — the rule of the
      app's ``rules.py`` decides (programme scope, municipality scope, …).
    * Without an object (change list, add form, app index): Django's model permission *and*
      ``admin_scope`` (a predicate on the user, e.g. "editor of some programme"); ``model_scope``
      overrides it per verb (e.g. ``{"add": is_site_admin}``).
    * "View on site" appears only for objects that are public (``is_public``): the public page
      of anything else is a 404, for editors too.
    """

    admin_scope: Any = None
    model_scope: dict[str, Any] = {}

    def _rule(self, verb: str) -> str:
        opts = self.opts  # type: ignore[attr-defined]
        return f"{opts.app_label}.{verb}_{opts.model_name}"

    def _in_scope(self, request: HttpRequest, verb: str) -> bool:
        predicate = self.model_scope.get(verb, self.admin_scope)
        return predicate is None or bool(predicate.test(request.user))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) and self._in_scope(request, "view")  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_view_permission(request, obj) and self._in_scope(request, "view")  # type: ignore[misc]
        return allowed and (obj is None or request.user.has_perm(self._rule("view"), obj))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request, *args) and self._in_scope(request, "add")  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None:
            return request.user.has_perm(self._rule("change"), obj)
        return super().has_change_permission(request) and self._in_scope(request, "change")  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None:
            return request.user.has_perm(self._rule("delete"), obj)
        return super().has_delete_permission(request) and self._in_scope(request, "delete")  # type: ignore[misc]

    def get_view_on_site_url(self, obj: Any = None) -> str | None:
        if obj is None or not getattr(obj, "is_public", False):
            return None
        return super().get_view_on_site_url(obj)  # type: ignore[misc]


class AuditedModelAdmin(admin.ModelAdmin):
    """Every create, change and delete through the admin lands in the audit log, and queues its
    side effects for the commit (:meth:`content_changed`)."""

    class Media:
        # Accessible names for the rich-text editor and autocomplete widgets.
        js = ["ortswandel/js/admin-a11y.js"]

    #: Content versions (:mod:`ortswandel.core.versions`) replaced when a change made here commits.
    content_versions: tuple[str, ...] = ()

    def content_changed(self, request: HttpRequest, objects: list[Any], *, deleting: bool) -> None:
        """Side effects of a change made here, called inside the admin's transaction after a
        save and before a delete. By default: replace :attr:`content_versions` on commit.
        Apps whose content has more side effects call their service instead."""
        versions.bump_on_commit(*self.content_versions)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Every long text (RichTextField) gets the rich-text editor; sanitised on save.
        if isinstance(db_field, RichTextField):
            return rich_text_form_field(db_field, admin=True)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

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


class VersionedAdmin(VersionAdmin):
    """Revision history with restore (django-reversion), limited to what the user may edit.

    django-reversion keeps a serialised version of the object (and the inlines it follows) at
    every save through the admin, with who saved it and Django's change message ("Titel und
    Zusammenfassung geändert"). Restoring renders the normal change form filled with the old
    version, so the save goes through the same form validation, permission re-checks, audit log
    and side effects as any edit. Its own views check only *model* permissions; here every one
    asks the object's permission first:

    * history and a version: 404 unless the user may view/change *that* object (the version
      must belong to it, which reversion checks), so no revision of another programme's content
      is shown or applied;
    * recovering deleted objects (whose programme cannot be asked any more): site admins only.
    """

    history_latest_first = True

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            raise Http404
        return super().revision_view(request, object_id, version_id, extra_context)

    def recoverlist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request: HttpRequest, version_id: str, extra_context: Any = None) -> Any:
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)


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
