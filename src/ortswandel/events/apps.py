from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Cached event page fragments are keyed by the events and catalogue content versions
    (``selectors.page_cache_version``), replaced on commit by whatever changes them (the admin)."""

    name = "ortswandel.events"
    verbose_name = _("Veranstaltungen")
    demo_loader = "ortswandel.events.demo.load"  # see ortswandel.core.demo

    def ready(self) -> None:
        from ortswandel.core.searchables import register_searchable

        from .search_documents import SOURCE

        register_searchable(SOURCE)  # found by the site search (ortswandel.core.searchables)

        from ortswandel.catalogue.content_import import register_record_handler

        from .content_facts import import_event_records

        register_record_handler("event", import_event_records)  # import_content's events
