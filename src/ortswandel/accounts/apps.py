from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ortswandel.accounts"
    verbose_name = "Konten und Rollen"
    demo_accounts = "ortswandel.accounts.demo.demo_accounts_create"  # see ortswandel.core.demo
