from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("impressum/", views.imprint, name="imprint"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("datenquellen/", views.data_sources, name="data_sources"),
]
