from django.apps import AppConfig


def _bump_content_version(**kwargs: object) -> None:
    from .facets import bump_content_version

    bump_content_version()


class CatalogueConfig(AppConfig):
    name = "ortswandel.catalogue"
    verbose_name = "Wissensportal"

    def ready(self) -> None:
        """Any change to catalogue content invalidates cached facet counts."""
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import models

        senders = [
            models.Programme,
            models.Theme,
            models.Project,
            models.ProjectPartner,
            models.Result,
            models.Organisation,
        ]
        for sender in senders:
            uid = f"catalogue-version-{sender._meta.label_lower}"
            post_save.connect(_bump_content_version, sender=sender, dispatch_uid=uid)
            post_delete.connect(_bump_content_version, sender=sender, dispatch_uid=f"{uid}-del")
        for through in [models.Project.themes.through, models.Project.municipalities.through]:
            m2m_changed.connect(
                _bump_content_version,
                sender=through,
                dispatch_uid=f"catalogue-version-{through._meta.label_lower}",
            )
