from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "ortswandel.catalogue"
    verbose_name = "Wissensportal"
    demo_loader = "ortswandel.catalogue.demo.load"  # see ortswandel.core.demo

    def ready(self) -> None:
        """Any change to catalogue content invalidates the facet index and cached parts."""
        from ortswandel.core.versions import version_on_change

        from . import models
        from .facets import CONTENT_VERSION_KEY

        version_on_change(
            CONTENT_VERSION_KEY,
            senders=[
                models.Programme,
                models.Theme,
                models.Project,
                models.ProjectPartner,
                models.Result,
                models.Organisation,
            ],
            m2m=[models.Project.themes.through, models.Project.municipalities.through],
        )
        _contribute_to_municipality_page()


def _contribute_to_municipality_page() -> None:
    """The catalogue adds its projects to the municipality page (the register below it cannot
    import the catalogue; see ``ortswandel.municipalities.contributions``)."""
    from ortswandel.municipalities.contributions import register_page_contributor

    from . import places

    register_page_contributor(places.contribute, clear_cache=places.clear_cache)
