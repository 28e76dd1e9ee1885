from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ortswandel.accounts"
    verbose_name = "Konten und Rollen"
