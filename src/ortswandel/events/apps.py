from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _bump_content_version(**kwargs: object) -> None:
    from .selectors import bump_content_version

    bump_content_version()


class EventsConfig(AppConfig):
    name = "ortswandel.events"
    verbose_name = _("Veranstaltungen")

    def ready(self) -> None:
        """Any change to what an event page shows (besides the live seat count) invalidates the
        cached page fragments (see ``selectors.page_cache_version``)."""
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import models

        for sender in [
            models.EventSeries,
            models.Event,
            models.AgendaItem,
            models.Material,
            models.Question,
        ]:
            uid = f"events-version-{sender._meta.label_lower}"
            post_save.connect(_bump_content_version, sender=sender, dispatch_uid=uid)
            post_delete.connect(_bump_content_version, sender=sender, dispatch_uid=f"{uid}-del")
        for through in [models.Event.themes.through, models.Event.projects.through]:
            m2m_changed.connect(
                _bump_content_version,
                sender=through,
                dispatch_uid=f"events-version-{through._meta.label_lower}",
            )
