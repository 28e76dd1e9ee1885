from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "ortswandel.catalogue"
    verbose_name = "Wissensportal"

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
