from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ortswandel.core"
    verbose_name = "Plattform"

    def ready(self) -> None:
        from django.core.checks import register

        from . import checks

        for check in (checks.check_site_identity, checks.check_shared_cache):
            register(check, "ortswandel", deploy=True)
        register(checks.check_demo_accounts, "ortswandel", "database", deploy=True)
