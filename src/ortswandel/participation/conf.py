"""Settings of the participation app (parsed at start-up by ``config/settings.py``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ortswandel.core.ratelimit import Limit

#: Ideas and comments per account and window (``ORTSWANDEL_RATELIMIT_PARTICIPATION``): spam
#: protection without captchas, together with the honeypot field and the first-post review.
CONTRIBUTION_LIMIT = Limit(
    scope="participation.contribution",
    setting="ORTSWANDEL_RATELIMIT_PARTICIPATION",
    message=_(
        "Sie haben in kurzer Zeit sehr viele Beiträge geschrieben. "
        "Bitte warten Sie %(minutes)s Minuten."
    ),
)
