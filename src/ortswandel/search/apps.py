from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The index is updated by the services that change content, on commit
    (:func:`ortswandel.search.services.search_index_on_commit`, registered here as a listener of
    :mod:`ortswandel.core.changes`), not by model signals."""

    name = "ortswandel.search"
    verbose_name = _("Suche")
    demo_context = "ortswandel.search.demo.bulk_load"  # see ortswandel.core.demo

    def ready(self) -> None:
        from ortswandel.core.changes import register_change_listener

        from .services import search_index_on_commit

        register_change_listener(search_index_on_commit)
