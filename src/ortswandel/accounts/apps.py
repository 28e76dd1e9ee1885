from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ortswandel.accounts"
    verbose_name = "Konten und Rollen"
    demo_accounts = "ortswandel.accounts.demo.demo_accounts_create"  # see ortswandel.core.demo

    def ready(self) -> None:
        from ortswandel.core import roles as core_roles

        from . import roles

        # The data pool (below accounts in the layer order) asks core.roles for a user's AGS.
        core_roles.register_granted_ags_provider(roles.granted_municipality_ags)
