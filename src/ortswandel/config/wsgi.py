"""WSGI entry point (gunicorn ortswandel.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from ortswandel.config.runtime import tune_gc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ortswandel.config.settings")
application = get_wsgi_application()

# Import every URLconf (and with it the views and API modules) now, when the server process
# starts, instead of during its first request (about a second on a loaded machine).
get_resolver().url_patterns  # noqa: B018
tune_gc()  # after start-up: full collections no longer walk Django's own objects
