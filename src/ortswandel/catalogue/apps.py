from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """Caches of catalogue content (facet index, page parts) are keyed by the catalogue's content
    version, which the services replace on commit (``ortswandel.core.versions``)."""

    name = "ortswandel.catalogue"
    verbose_name = "Wissensportal"
