from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "ortswandel.core"
    verbose_name = "Plattform"

    def ready(self) -> None:
        from django.core.checks import register
        from django.utils.module_loading import autodiscover_modules

        from . import checks, health, jobs

        for check in (checks.check_site_identity, checks.check_shared_cache):
            register(check, "ortswandel", deploy=True)
        register(checks.check_demo_accounts, "ortswandel", "database", deploy=True)
        # Each app declares its periodic jobs in its ``tasks.py`` (see ortswandel.core.jobs).
        autodiscover_modules("tasks")
        post_migrate.connect(
            jobs.schedules_sync_after_migrate, sender=self, dispatch_uid="ortswandel-schedules"
        )
        health.register("jobs", jobs.worker_health)  # the worker's heartbeat (non-critical)
