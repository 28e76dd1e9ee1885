from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "ortswandel.municipalities"
    verbose_name = "Kommunen"
