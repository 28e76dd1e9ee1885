from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "ortswandel.search"
    verbose_name = _("Suche")
    demo_context = "ortswandel.search.demo.bulk_load"  # see ortswandel.core.demo

    def ready(self) -> None:
        from . import signals

        signals.connect()
