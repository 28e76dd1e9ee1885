from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("registrieren/", views.signup, name="signup"),
    path("registrieren/gesendet/", views.signup_done, name="signup_done"),
    path("bestaetigen/neuer-link/", views.activation_resend, name="activation_resend"),
    path("bestaetigen/<uidb64>/<token>/", views.activate, name="activate"),
    path("profil/", views.profile, name="profile"),
    path("profil/daten.json", views.export_data, name="export"),
    path("profil/loeschen/", views.delete_account, name="delete"),
    path("passwort/zuruecksetzen/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passwort/zuruecksetzen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "passwort/neu/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "passwort/neu/fertig/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
