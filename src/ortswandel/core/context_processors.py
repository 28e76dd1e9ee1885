from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "SITE_NAME": settings.ORTSWANDEL_SITE_NAME,
        "SITE_OPERATOR": settings.ORTSWANDEL_OPERATOR,
        "SITE_CONTACT_EMAIL": settings.ORTSWANDEL_CONTACT_EMAIL,
    }
