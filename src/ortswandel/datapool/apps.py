from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatapoolConfig(AppConfig):
    name = "ortswandel.datapool"
    verbose_name = _("Datenpool")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401 - registers the object permissions
