from django.urls import URLPattern, URLResolver, path, re_path

from . import outlook_views, views

app_name = "planning"

urlpatterns: list[URLPattern | URLResolver] = []

# --- projection workspace (helper "workspace") ---------------------------------------------
urlpatterns += [
    path("szenario/<int:pk>/", views.saved, name="saved"),
    path("szenario/<int:pk>/loeschen/", views.saved_delete, name="saved_delete"),
    path("szenario/<int:pk>/links-sperren/", views.saved_revoke, name="saved_revoke"),
    path("geteilt/<str:token>/", views.shared, name="shared"),
    path("lauf/<str:pk>/", views.run_status, name="run"),
    # digits only, so that other pages under /planen/ (the outlook map) keep their names
    re_path(r"^(?P<ags>[0-9]{1,12})/$", views.workspace, name="workspace"),
    re_path(r"^(?P<ags>[0-9]{1,12})/speichern/$", views.save, name="save"),
    re_path(r"^(?P<ags>[0-9]{1,12})/berechnen/$", views.run_start, name="run_start"),
    re_path(r"^(?P<ags>[0-9]{1,12})/export\.(?P<fmt>[a-z]{2,5})$", views.export, name="export"),
]

# --- outlook maps (issue 8 §4, ortswandel.planning.outlook_views) -----------------------------
urlpatterns += [
    path("karte/", outlook_views.outlook_map, name="outlook_map"),
    path("karte/<str:land>/", outlook_views.outlook_map, name="outlook_map_land"),
]
