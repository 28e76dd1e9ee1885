from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Cached event page fragments are keyed by the events and catalogue content versions
    (``selectors.page_cache_version``), replaced on commit by whatever changes them (the admin)."""

    name = "ortswandel.events"
    verbose_name = _("Veranstaltungen")
    demo_loader = "ortswandel.events.demo.load"  # see ortswandel.core.demo

    def ready(self) -> None:
        from ortswandel.catalogue.contributions import register_project_contributor

        from .selectors import project_events_section

        register_project_contributor(project_events_section)
