from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "ortswandel.core"
    verbose_name = "Plattform"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import jobs

        # Each app declares its periodic jobs in its ``tasks.py`` (see ortswandel.core.jobs).
        autodiscover_modules("tasks")
        post_migrate.connect(
            jobs.schedules_sync_after_migrate, sender=self, dispatch_uid="ortswandel-schedules"
        )
