from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from ortswandel.core import files as core_files
from ortswandel.core import images as core_images
from ortswandel.core import views as core_views

from .api import api

admin.site.site_header = "Ortswandel – Verwaltung"
admin.site.site_title = "Ortswandel"
admin.site.index_title = "Inhalte und Protokoll"

urlpatterns = [
    path("api/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    # Uploaded files, each checked against its object's permission (MEDIA_ROOT is never served
    # as a directory: see ortswandel.core.files).
    path(
        "dateien/<slug:app_label>/<slug:model_name>/<int:pk>/<slug:field_name>/<str:filename>",
        core_files.serve_protected_file,
        name="protected_file",
    ),
    # Renditions of teaser images and logos (WebP/JPEG), checked like uploaded files.
    path(
        "bilder/<slug:app_label>/<slug:model_name>/<int:pk>/<slug:field_name>/<str:filename>",
        core_images.serve_rendition,
        name="image_rendition",
    ),
]

urlpatterns += i18n_patterns(
    path("verwaltung/", admin.site.urls),
    path("konto/", include("ortswandel.accounts.urls")),
    path("kommunen/", include("ortswandel.municipalities.urls")),
    path("suche/", include("ortswandel.search.urls")),
    path("veranstaltungen/", include("ortswandel.events.urls")),
    path("datenpool/", include("ortswandel.datapool.urls")),
    path("ausschreibungen/", include("ortswandel.calls.urls")),
    path("beteiligung/", include("ortswandel.participation.urls")),
    path("newsletter/", include("ortswandel.newsletter.urls")),
    path("planen/", include("ortswandel.planning.urls")),
    path("", include("ortswandel.core.urls")),
    path("", include("ortswandel.catalogue.urls")),
    prefix_default_language=False,
)


handler400 = "ortswandel.core.views.bad_request"
handler403 = "ortswandel.core.views.permission_denied"
handler404 = "ortswandel.core.views.page_not_found"
handler500 = "ortswandel.core.views.server_error"
