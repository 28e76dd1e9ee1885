from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ortswandel.core"
    verbose_name = "Plattform"
