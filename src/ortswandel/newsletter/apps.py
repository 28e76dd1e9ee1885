from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "ortswandel.newsletter"
    verbose_name = _("Newsletter")
    default_auto_field = "django.db.models.BigAutoField"
    demo_loader = "ortswandel.newsletter.demo.load"  # see ortswandel.core.demo
