from django.urls import path

from . import views

app_name = "datapool"

urlpatterns = [
    path("gemeinde/<str:ags>/registerdaten/", views.register_page, name="register"),
    path(
        "gemeinde/<str:ags>/registerdaten/vorlage/<str:kind>/<str:fmt>/",
        views.register_template,
        name="register_template",
    ),
    path(
        "gemeinde/<str:ags>/registerdaten/<int:pk>/<str:action>/",
        views.register_action,
        name="register_action",
    ),
]
