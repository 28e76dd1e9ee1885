from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from ortswandel.core import views as core_views

from .api import api

admin.site.site_header = "Ortswandel – Verwaltung"
admin.site.site_title = "Ortswandel"
admin.site.index_title = "Inhalte und Protokoll"

urlpatterns = [
    path("api/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("verwaltung/", admin.site.urls),
    path("konto/", include("ortswandel.accounts.urls")),
    path("kommunen/", include("ortswandel.municipalities.urls")),
    path("suche/", include("ortswandel.search.urls")),
    path("veranstaltungen/", include("ortswandel.events.urls")),
    path("datenpool/", include("ortswandel.datapool.urls")),
    path("", include("ortswandel.core.urls")),
    path("", include("ortswandel.catalogue.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    from django.urls import re_path
    from django.views.static import serve

    # Uploaded files of published content (PDFs etc.). A reverse proxy may serve them instead.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

handler400 = "ortswandel.core.views.bad_request"
handler403 = "ortswandel.core.views.permission_denied"
handler404 = "ortswandel.core.views.page_not_found"
handler500 = "ortswandel.core.views.server_error"
