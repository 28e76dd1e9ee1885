from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "ortswandel.planning"
    verbose_name = _("Planen")
    default_auto_field = "django.db.models.BigAutoField"
    demo_loader = "ortswandel.planning.demo.load"  # see ortswandel.core.demo

    def ready(self) -> None:
        from ortswandel.core.changes import register_change_listener
        from ortswandel.municipalities.contributions import register_page_contributor

        from . import hooks

        register_change_listener(hooks.refresh_outlook_after_import)
        register_page_contributor(hooks.contribute_challenges)
