from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "newsletter"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.signup, name="signup"),
    path("angemeldet/", views.signup_done, name="signup_done"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("einstellungen/<str:token>/", views.preferences, name="preferences"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("meine/", views.mine, name="mine"),
    path("zustellung/webhook/", views.delivery_webhook, name="delivery_webhook"),
    path("redaktion/", views.editor_home, name="editor_home"),
    path("redaktion/programm/<slug:slug>/", views.programme_issues, name="programme_issues"),
    path("redaktion/programm/<slug:slug>/digest/", views.programme_digest, name="programme_digest"),
    path("redaktion/ausgabe/<int:pk>/", views.issue_detail, name="issue"),
    path("redaktion/ausgabe/<int:pk>/vorschau/", views.issue_preview, name="issue_preview"),
    path("redaktion/ausgabe/<int:pk>/test/", views.issue_test, name="issue_test"),
    path("redaktion/ausgabe/<int:pk>/senden/", views.issue_send, name="issue_send"),
]
