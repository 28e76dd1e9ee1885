from django.urls import URLPattern, URLResolver, path

from . import outlook_views

app_name = "planning"

urlpatterns: list[URLPattern | URLResolver] = []

# --- outlook maps (issue 8 §4, ortswandel.planning.outlook_views) -----------------------------
urlpatterns += [
    path("karte/", outlook_views.outlook_map, name="outlook_map"),
    path("karte/<str:land>/", outlook_views.outlook_map, name="outlook_map_land"),
]
