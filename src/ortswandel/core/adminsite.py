"""The admin site (``admin.site``), installed through ``core.apps.OrtswandelAdminConfig``.

Kept apart from ``admin.py``: Django imports this class to build the default site, before the
apps' ``admin`` modules register their models on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.views.i18n import JavaScriptCatalog

from . import dashboard


class OrtswandelAdminSite(admin.AdminSite):
    """The admin site (``admin.site``, installed through ``core.apps.OrtswandelAdminConfig``).

    Its "view on site" redirect (``r/<content type>/<id>/``) answers 404 unless the user may see
    the object (``<app>.view_<model>``): Django's own redirects any staff user to any object's
    URL, which gave away draft slugs of other programmes.
    """

    index_template = "admin/ortswandel_index.html"

    #: Labels of choices in autocomplete fields, per model (``register_choice_label``): e.g. a
    #: municipality with its district and Land, so that two "Bad Belzig" can be told apart.
    choice_labels: ClassVar[dict[type, Callable[[Any], str]]] = {}

    def register_choice_label(self, model: type, label: Callable[[Any], str]) -> None:
        self.choice_labels[model] = label

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        response: Any = _LabelledAutocomplete.as_view(admin_site=self)(request)
        return response  # a JsonResponse

    def i18n_javascript(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The admin's JavaScript catalogue in the request's language, with the rich-text
        editor's strings (django-prose-editor's menu and dialogs) and our additions to Django's
        German catalogue (``locale/de/LC_MESSAGES/djangojs.po``, merged through LOCALE_PATHS)."""
        view = JavaScriptCatalog.as_view(packages=["django.contrib.admin", "django_prose_editor"])
        response: Any = view(request)
        return response

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        """The back-office dashboard (:mod:`ortswandel.core.dashboard`): per programme, panels
        registered by the apps."""
        context = {
            **self.each_context(request),
            "title": _("Übersicht der Redaktion"),
            "sections": dashboard.sections(request),
        }
        return TemplateResponse(request, "admin/dashboard.html", context)

    def get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super().get_urls()
        urls.insert(0, path("uebersicht/", self.admin_view(self.dashboard_view), name="dashboard"))
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


class _LabelledAutocomplete(AutocompleteJsonView):
    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, str]:
        result = super().serialize_result(obj, to_field_name)
        label = OrtswandelAdminSite.choice_labels.get(type(obj))
        if label is not None:
            result["text"] = label(obj)
        return result


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
