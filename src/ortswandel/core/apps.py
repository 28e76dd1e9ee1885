from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "ortswandel.core"
    verbose_name = "Plattform"
    default = True


class OrtswandelAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with our admin site (permission-checked "view on site")."""

    default = False
    default_site = "ortswandel.core.adminsite.OrtswandelAdminSite"
