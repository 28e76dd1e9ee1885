from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "ortswandel.core"
    verbose_name = "Plattform"
    default = True

    def ready(self) -> None:
        from django.core.checks import register
        from django.utils.module_loading import autodiscover_modules

        from . import checks, health, jobs, pdf

        for check in (checks.check_site_identity, checks.check_shared_cache):
            register(check, "ortswandel", deploy=True)
        register(checks.check_demo_accounts, "ortswandel", "database", deploy=True)
        register(pdf.check_font, "ortswandel", deploy=True)  # W010: no Unicode font for PDFs
        # Each app declares its periodic jobs in its ``tasks.py`` (see ortswandel.core.jobs).
        autodiscover_modules("tasks")
        post_migrate.connect(
            jobs.schedules_sync_after_migrate, sender=self, dispatch_uid="ortswandel-schedules"
        )
        health.register("jobs", jobs.worker_health)  # the worker's heartbeat (non-critical)


class OrtswandelAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with our admin site (permission-checked "view on site")."""

    default = False
    default_site = "ortswandel.core.adminsite.OrtswandelAdminSite"
