"""WSGI entry point (gunicorn ortswandel.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ortswandel.config.settings")
application = get_wsgi_application()

# Import every URLconf (and with it the views and API modules) now, when the server process
# starts, instead of during its first request (about a second on a loaded machine).
get_resolver().url_patterns  # noqa: B018
