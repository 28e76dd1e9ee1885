"""Settings of the planning app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ortswandel.core.ratelimit import Limit

#: Projections computed on request (API runs, PDF reports, background runs) per client and
#: window (``ORTSWANDEL_RATELIMIT_PROJECTIONS``, default 60 a minute).
PROJECTION_LIMIT = Limit(
    scope="planning.projection",
    setting="ORTSWANDEL_RATELIMIT_PROJECTIONS",
    message=_("Zu viele Berechnungen von Ihrer Adresse. Bitte versuchen Sie es später erneut."),
)
