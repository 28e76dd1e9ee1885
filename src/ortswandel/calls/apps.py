from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "ortswandel.calls"
    verbose_name = _("Ausschreibungen")
    default_auto_field = "django.db.models.BigAutoField"
    demo_loader = "ortswandel.calls.demo.load"  # see ortswandel.core.demo
    demo_accounts = "ortswandel.calls.demo.accounts"

    def ready(self) -> None:
        from ortswandel.catalogue.contributions import register_project_contributor

        from .contributions import project_section

        register_project_contributor(project_section)
