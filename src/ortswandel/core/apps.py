from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "ortswandel.core"
    verbose_name = "Plattform"
    default = True

    def ready(self) -> None:
        from django.core.checks import register

        from . import checks

        for check in (checks.check_site_identity, checks.check_shared_cache):
            register(check, "ortswandel", deploy=True)
        register(checks.check_demo_accounts, "ortswandel", "database", deploy=True)


class OrtswandelAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with our admin site (permission-checked "view on site")."""

    default = False
    default_site = "ortswandel.core.adminsite.OrtswandelAdminSite"
