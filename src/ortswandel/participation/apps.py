from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "ortswandel.participation"
    verbose_name = _("Beteiligung")
    default_auto_field = "django.db.models.BigAutoField"
    demo_loader = "ortswandel.participation.demo.load"  # see ortswandel.core.demo
    demo_accounts = "ortswandel.participation.demo.accounts"
