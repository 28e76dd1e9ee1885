"""Admin for the mail queue and the background jobs (schedules, queued, successful and failed
tasks of django-q2): site admins only. Imported by :mod:`ortswandel.core.admin`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_q import admin as q_admin
from django_q.models import Failure, OrmQ, Schedule, Success

from . import notifications
from .models import QueuedMail


def _is_site_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


class SiteAdminOnly:
    """Mixin for ModelAdmins: nobody but a site admin sees or touches these rows, whatever model
    permissions a staff account was given."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_site_admin(request) and super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_site_admin(request) and super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_site_admin(request) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_site_admin(request) and super().has_delete_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_site_admin(request) and super().has_add_permission(request, *args)  # type: ignore[misc]


@admin.register(QueuedMail)
class QueuedMailAdmin(SiteAdminOnly, admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "to",
        "subject",
        "language",
        "attempts",
        "sent_at",
        "failed_at",
        "last_error",
    ]
    list_filter = [
        "kind",
        ("sent_at", admin.EmptyFieldListFilter),
        ("failed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["subject", "to"]
    actions = ["retry_now"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in QueuedMail._meta.fields]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Jetzt erneut senden"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = notifications.mail_retry(mail_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            _("%(n)s E-Mail(s) zum Versand eingeplant; der Hintergrundprozess sendet sie gleich.")
            % {"n": count},
        )


def _reregister(model: Any, base: type[admin.ModelAdmin]) -> None:
    """Replace django-q's ModelAdmin for ``model`` by one limited to site admins."""
    if admin.site.is_registered(model):  # (the queue of the database broker only)
        admin.site.unregister(model)
        admin.site.register(model, type(base.__name__, (SiteAdminOnly, base), {}))


_reregister(Schedule, q_admin.ScheduleAdmin)
_reregister(Success, q_admin.TaskAdmin)
_reregister(Failure, q_admin.FailAdmin)
_reregister(OrmQ, q_admin.QueueAdmin)
