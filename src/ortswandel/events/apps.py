from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "ortswandel.events"
    verbose_name = _("Veranstaltungen")
    demo_loader = "ortswandel.events.demo.load"  # see ortswandel.core.demo

    def ready(self) -> None:
        """Any change to what an event page shows (besides the live seat count) invalidates the
        cached page fragments (see ``selectors.page_cache_version``)."""
        from ortswandel.core.versions import version_on_change

        from . import models
        from .selectors import CONTENT_VERSION_KEY

        version_on_change(
            CONTENT_VERSION_KEY,
            senders=[
                models.EventSeries,
                models.Event,
                models.AgendaItem,
                models.Material,
                models.Question,
            ],
            m2m=[models.Event.themes.through, models.Event.projects.through],
        )
