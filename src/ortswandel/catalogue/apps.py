from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """Caches of catalogue content (facet index, page parts) are keyed by the catalogue's content
    version, which the services replace on commit (``ortswandel.core.versions``)."""

    name = "ortswandel.catalogue"
    verbose_name = "Wissensportal"
    demo_loader = "ortswandel.catalogue.demo.load"  # see ortswandel.core.demo

    def ready(self) -> None:
        _contribute_to_municipality_page()


def _contribute_to_municipality_page() -> None:
    """The catalogue adds its projects to the municipality page (the register below it cannot
    import the catalogue; see ``ortswandel.municipalities.contributions``)."""
    from ortswandel.municipalities.contributions import register_page_contributor

    from . import places

    register_page_contributor(places.contribute, clear_cache=places.clear_cache)
