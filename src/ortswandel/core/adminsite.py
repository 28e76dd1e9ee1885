"""The admin site (``admin.site``), installed through ``core.apps.OrtswandelAdminConfig``.

Kept apart from ``admin.py``: Django imports this class to build the default site, before the
apps' ``admin`` modules register their models on it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, URLResolver, path


class OrtswandelAdminSite(admin.AdminSite):
    """The admin site (``admin.site``, installed through ``core.apps.OrtswandelAdminConfig``).

    Its "view on site" redirect (``r/<content type>/<id>/``) answers 404 unless the user may see
    the object (``<app>.view_<model>``): Django's own redirects any staff user to any object's
    URL, which gave away draft slugs of other programmes.
    """

    def get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super().get_urls()
        checked = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [checked if getattr(u, "name", None) == "view_on_site" else u for u in urls]

    def view_on_site(
        self, request: HttpRequest, content_type_id: str, object_id: str
    ) -> HttpResponse:
        obj = _object_or_none(content_type_id, object_id)
        if obj is None or not hasattr(obj, "get_absolute_url"):
            raise Http404
        perm = f"{obj._meta.app_label}.view_{obj._meta.model_name}"
        if not request.user.has_perm(perm, obj):
            raise Http404  # not 403: do not confirm that the object exists
        return HttpResponseRedirect(obj.get_absolute_url())


def _object_or_none(content_type_id: str, object_id: str) -> Any:
    if not content_type_id.isdigit():
        return None
    content_type = ContentType.objects.filter(pk=int(content_type_id)).first()
    model = content_type.model_class() if content_type is not None else None
    if model is None:
        return None
    try:
        return model._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError):
        return None
