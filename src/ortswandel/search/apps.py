from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The index is updated by the services that change content, on commit
    (:func:`ortswandel.search.services.search_index_on_commit`), not by model signals."""

    name = "ortswandel.search"
    verbose_name = _("Suche")
